import { oktaAdapter } from '../../../src/adapters/identity/okta.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { IdentityDocument, IdentityUser } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const ALL: [string, string][] = [
  ['users', 'okta/users-page1.json'],
  ['users', 'okta/users-page2.json'],
  ['factors', 'okta/factors-page1.json'],
  ['factors', 'okta/factors-page2.json'],
  ['roles', 'okta/roles.json'],
];
const WITHOUT_ROLES = ALL.filter(([part]) => part !== 'roles');

function run(parts: [string, string][] = ALL): AdapterResult {
  return runOnFixtures(oktaAdapter, parts);
}

function user(result: AdapterResult, id: string): IdentityUser {
  const found = (result.document as IdentityDocument).users.find((u) => u.id === id);
  if (!found) throw new Error(`no user ${id}`);
  return found;
}

function inline(parts: Record<string, unknown>[]): AdapterResult {
  return runAdapter(
    oktaAdapter,
    parts.flatMap((p) =>
      Object.entries(p).map(([name, value]) => ({ name, bytes: Buffer.from(JSON.stringify(value)) })),
    ),
    { clients: [] },
  );
}

function inputError(fn: () => unknown): AdapterInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AdapterInputError) return e;
    throw e;
  }
  throw new Error('expected an AdapterInputError');
}

const minimalUser = { id: '00u1x', status: 'ACTIVE', profile: { login: 'x@example.com' } };

describe('okta adapter', () => {
  it('maps a local user with active factors, roles and origin on a paged part', () => {
    expect(user(run(), '00u1alice0000000001')).toEqual({
      id: '00u1alice0000000001',
      source: 'okta',
      username: 'alice.nguyen@example.com',
      email: 'alice.nguyen@example.com',
      displayName: 'Alice Nguyen',
      status: 'active',
      accountType: 'human',
      privileged: true,
      roles: ['ORG_ADMIN', 'HELP_DESK_ADMIN'],
      authSource: 'local',
      lastLoginAt: '2026-11-19T13:41:07.000Z',
      createdAt: '2025-03-04T17:12:09.000Z',
      mfa: {
        registered: true,
        factors: [
          { type: 'webauthn', status: 'active', phishingResistant: true },
          { type: 'sms', status: 'active', phishingResistant: false },
          { type: 'email', status: 'active', phishingResistant: false },
        ],
      },
      origin: { part: 'users', page: 0, pointer: '/0' },
    });
  });

  it('keeps every user of every page, in order, and names the org as the instance', () => {
    const result = run();
    expect((result.document as IdentityDocument).users.map((u) => u.id)).toHaveLength(11);
    expect(user(result, '00u1erin0000000007').origin).toEqual({ part: 'users', page: 1, pointer: '/0' });
    expect(result.instance).toBe('example.okta.com');
    expect(result.collectedAt).toBeUndefined();
    expect((result.document as IdentityDocument).policies).toBeUndefined();
  });

  it('omits the page from the origin when the users part has one page', () => {
    const result = run([
      ['users', 'okta/users-page1.json'],
      ['factors', 'okta/factors-page1.json'],
    ]);
    expect(user(result, '00u1bob00000000002').origin).toEqual({ part: 'users', pointer: '/1' });
  });

  it.each([
    ['00u1bob00000000002', 'pending'], // STAGED
    ['00u1itadm000000009', 'pending'], // PROVISIONED
    ['00u1alice0000000001', 'active'],
    ['00u1frank000000008', 'active'], // RECOVERY
    ['00u1helpdesk000006', 'active'], // PASSWORD_EXPIRED
    ['00u1carol000000004', 'locked'],
    ['00u1dave0000000005', 'suspended'],
    ['00u1erin0000000007', 'deprovisioned'],
    ['00u1gina0000000010', 'unknown'], // a status Okta may add later
  ])('maps the status of %s to %s', (id, status) => {
    expect(user(run(), id).status).toBe(status);
  });

  it('lastLogin null is known-never (null), not absent', () => {
    const bob = user(run(), '00u1bob00000000002');
    expect(bob.lastLoginAt).toBeNull();
    expect(bob).toHaveProperty('lastLoginAt', null);
  });

  it('a user with no factors at all has MFA known not registered', () => {
    expect(user(run(), '00u1bob00000000002').mfa).toEqual({ registered: false, factors: [] });
  });

  it('a federated user without an active Okta factor has MFA unknown, not failed', () => {
    const jsmith = user(run(), '00u1jsmith00000003');
    expect(jsmith.authSource).toBe('federated');
    expect(jsmith.mfa).toEqual({ factors: [] });
    expect(jsmith.mfa).not.toHaveProperty('registered');
  });

  it('a federated (SOCIAL) user with an active Okta factor is registered', () => {
    const hank = user(run(), '00u1hank0000000011');
    expect(hank.authSource).toBe('federated');
    expect(hank.mfa).toEqual({
      registered: true,
      factors: [{ type: 'totp', status: 'active', phishingResistant: false }],
    });
  });

  it('a security question never counts as MFA, and inactive factors do not count', () => {
    expect(user(run(), '00u1carol000000004').mfa).toEqual({
      registered: false,
      factors: [
        { type: 'question', status: 'active', phishingResistant: false },
        { type: 'totp', status: 'inactive', phishingResistant: false },
      ],
    });
  });

  it('unknown factor statuses (FULFILLMENT_PENDING) and pending activation are not active', () => {
    expect(user(run(), '00u1dave0000000005').mfa).toEqual({
      registered: false,
      factors: [
        { type: 'webauthn', status: 'unknown', phishingResistant: true },
        { type: 'push', status: 'pending', phishingResistant: false },
      ],
    });
  });

  it('FastPass (signed_nonce) counts as MFA but is not claimed phishing-resistant', () => {
    expect(user(run(), '00u1frank000000008').mfa).toEqual({
      registered: true,
      factors: [{ type: 'fastpass', status: 'active', phishingResistant: false }],
    });
  });

  it('hardware tokens count; expired call factors do not', () => {
    expect(user(run(), '00u1itadm000000009').mfa).toEqual({
      registered: true,
      factors: [
        { type: 'hardware_otp', status: 'active', phishingResistant: false },
        { type: 'call', status: 'inactive', phishingResistant: false },
      ],
    });
  });

  it('a third-party web factor (Duo) counts; an unknown factor type alone would leave MFA unknown', () => {
    expect(user(run(), '00u1gina0000000010').mfa).toEqual({
      registered: true,
      factors: [
        { type: 'unknown', status: 'active', phishingResistant: false },
        { type: 'unknown', status: 'active', phishingResistant: false },
      ],
    });
    const onlyUnknown = inline([
      { users: [minimalUser] },
      { factors: { '00u1x': [{ factorType: 'future_factor_type', status: 'ACTIVE' }] } },
    ]);
    expect((onlyUnknown.document as IdentityDocument).users[0]!.mfa).toEqual({
      factors: [{ type: 'unknown', status: 'active', phishingResistant: false }],
    });
  });

  it('a user absent from the factors part has MFA absent and a warning', () => {
    const result = run();
    expect(user(result, '00u1erin0000000007')).not.toHaveProperty('mfa');
    expect(result.warnings).toContainEqual({
      code: 'factors_missing',
      message: 'user 00u1erin0000000007 has no entry in the factors part: MFA left unknown',
      part: 'users',
      page: 1,
      pointer: '/0',
    });
    expect(result.warnings.filter((w) => w.code === 'factors_missing')).toHaveLength(1);
  });

  it('factors pages merge, and a factor repeated across pages is kept once', () => {
    const alice = user(run(), '00u1alice0000000001');
    expect(alice.mfa?.factors?.filter((f) => f.type === 'sms')).toHaveLength(1);
    expect(user(run(), '00u1helpdesk000006').mfa?.registered).toBe(true);
  });

  it('roles part given: listed roles make the user privileged; no entry or [] is not privileged', () => {
    const result = run();
    expect(user(result, '00u1helpdesk000006')).toMatchObject({ privileged: true, roles: ['SUPER_ADMIN'] });
    expect(user(result, '00u1bob00000000002')).toMatchObject({ privileged: false, roles: [] });
    expect(user(result, '00u1frank000000008')).toMatchObject({ privileged: false, roles: [] });
  });

  it('roles part not given: privileged and roles are absent', () => {
    for (const u of (run(WITHOUT_ROLES).document as IdentityDocument).users) {
      expect(u).not.toHaveProperty('privileged');
      expect(u).not.toHaveProperty('roles');
    }
  });

  it('flags shared/generic accounts by login or display name', () => {
    const result = run();
    expect(user(result, '00u1helpdesk000006').accountType).toBe('shared');
    expect(user(result, '00u1itadm000000009')).toMatchObject({ accountType: 'shared', displayName: 'IT Admin' });
    expect(user(result, '00u1carol000000004').accountType).toBe('human');
  });

  it('never outputs phone numbers or factor profiles', () => {
    const json = JSON.stringify(run().document);
    expect(json).not.toContain('5555550');
    expect(json).not.toContain('credentialId');
    expect(json).not.toContain('ANDROID');
  });

  it('warns about a user repeated across pages and keeps the first', () => {
    const result = inline([
      { users: [minimalUser] },
      { users: [{ ...minimalUser, status: 'SUSPENDED' }] },
      { factors: { '00u1x': [] } },
    ]);
    const users = (result.document as IdentityDocument).users;
    expect(users).toHaveLength(1);
    expect(users[0]!.status).toBe('active');
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'duplicate_user', part: 'users', page: 1, pointer: '/0' }),
    ]);
  });

  it('a user without credentials or profile names has authSource unknown and no display name', () => {
    const result = inline([{ users: [minimalUser] }, { factors: { '00u1x': [] } }]);
    const u = (result.document as IdentityDocument).users[0]!;
    expect(u.authSource).toBe('unknown');
    expect(u).not.toHaveProperty('displayName');
    expect(u).not.toHaveProperty('email');
    expect(u).not.toHaveProperty('lastLoginAt');
    expect(result.instance).toBeUndefined();
  });

  describe('bad input', () => {
    it('rejects a users page that is not an array with 422', () => {
      const err = inputError(() => inline([{ users: { users: [minimalUser] } }, { factors: {} }]));
      expect(err.status).toBe(422);
      expect(err.problems[0]).toMatchObject({ part: 'users', page: 0, pointer: '' });
    });

    it('points at a user without a login', () => {
      const err = inputError(() =>
        inline([{ users: [minimalUser, { id: '00u2', status: 'ACTIVE', profile: {} }] }, { factors: {} }]),
      );
      expect(err.status).toBe(422);
      expect(err.problems).toContainEqual(expect.objectContaining({ part: 'users', pointer: '/1/profile/login' }));
    });

    it('points at a factors entry that is not an array of factors', () => {
      const err = inputError(() =>
        inline([{ users: [minimalUser] }, { factors: { '00u1x': [{ factorType: 'sms' }] } }]),
      );
      expect(err.problems).toContainEqual(expect.objectContaining({ part: 'factors', pointer: '/00u1x/0/status' }));
    });

    it('points at a role without a type', () => {
      const err = inputError(() =>
        inline([{ users: [minimalUser] }, { factors: {} }, { roles: { '00u1x': [{ label: 'x' }] } }]),
      );
      expect(err.problems).toContainEqual(expect.objectContaining({ part: 'roles', pointer: '/00u1x/0/type' }));
    });

    it('requires the factors part', () => {
      const err = inputError(() => inline([{ users: [minimalUser] }]));
      expect(err.status).toBe(422);
      expect(err.problems[0]).toMatchObject({ part: 'factors' });
    });

    it('reports malformed JSON with a line and 400', () => {
      const err = inputError(() =>
        runAdapter(
          oktaAdapter,
          [
            { name: 'users', bytes: Buffer.from('[\n  {"id": "00u1x",\n  "status" "ACTIVE"}\n]') },
            { name: 'factors', bytes: Buffer.from('{}') },
          ],
          { clients: [] },
        ),
      );
      expect(err.status).toBe(400);
      expect(err.problems[0]).toMatchObject({ part: 'users', line: 3 });
    });
  });
});
