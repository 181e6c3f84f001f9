import { looksShared } from '../../../src/adapters/common/shared-accounts.js';

describe('looksShared', () => {
  it.each([
    'admin',
    'Administrator',
    'root',
    'itadmin',
    'helpdesk',
    'support',
    'tech',
    'frontdesk',
    'it-admin',
    'IT_Admin',
    'help.desk',
    'helpdesk2',
    'admin01',
    'CONTOSO\\administrator',
  ])('flags the username %p', (username) => {
    expect(looksShared({ username })).toBe(true);
  });

  it.each(['admin@example.com', 'front-desk@example.com', 'support+tickets@example.com', 'Tech2@example.com'])(
    'flags the email %p by its local part',
    (email) => {
      expect(looksShared({ username: 'x1', email })).toBe(true);
    },
  );

  it.each(['IT Admin', 'Help Desk', 'Front Desk', 'Shared mailbox', 'Reception (shared)', 'Support'])(
    'flags the display name %p',
    (displayName) => {
      expect(looksShared({ username: 'u123', displayName })).toBe(true);
    },
  );

  it.each([
    { username: 'alice.nguyen@example.com', email: 'alice.nguyen@example.com', displayName: 'Alice Nguyen' },
    { username: 'admin.jsmith', displayName: 'John Smith (admin)' },
    { username: 'techniciansmith', displayName: 'Technician Smith' },
    { username: 'aroot', displayName: 'Anna Rootes' },
    { username: 'supporter@example.com', displayName: 'Sharedeh Patel' },
    { username: '', email: null, displayName: null },
  ])('does not flag a personal account %p', (names) => {
    expect(looksShared(names)).toBe(false);
  });

  it('accepts absent fields', () => {
    expect(looksShared({})).toBe(false);
  });
});
