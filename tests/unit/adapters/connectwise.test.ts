import { connectwiseAdapter } from '../../../src/adapters/technicians/connectwise.js';
import { AdapterInputError } from '../../../src/adapters/types.js';
import type { Technician } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const PAGE1: [string, string] = ['body', 'connectwise/members.json'];
const PAGE2: [string, string] = ['body', 'connectwise/members-page2.json'];

function run(parts: [string, string][] = [PAGE1, PAGE2]) {
  return runOnFixtures(connectwiseAdapter, parts);
}

function tech(id: string): Technician {
  const found = run().document.technicians.find((t) => t.id === id);
  if (!found) throw new Error(`no member ${id}`);
  return found;
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

const TOTP_ACTIVE = { type: 'totp', status: 'active', phishingResistant: false };

describe('connectwise adapter', () => {
  it('normalises an admin member with an activated authenticator field by field', () => {
    expect(tech('176')).toEqual({
      id: '176',
      source: 'connectwise',
      name: 'Tomas Admin',
      email: 'tomas.admin@msp.example.com',
      status: 'active',
      shared: false,
      privileged: true,
      roles: ['Admin'],
      clientAccess: null,
      lastLoginAt: '2025-01-14T08:04:36.000Z',
      mfa: { registered: true, factors: [TOTP_ACTIVE] },
      origin: { part: 'body', page: 0, pointer: '/0' },
    });
  });

  it('Email 2FA is a registered but weak (email, not phishing-resistant) factor', () => {
    expect(tech('180')).toMatchObject({
      email: 'jamie.doe@msp.example.com',
      privileged: false,
      roles: ['Technician'],
      mfa: { registered: true, factors: [{ type: 'email', status: 'active', phishingResistant: false }] },
    });
  });

  it('Google Authenticator chosen but never activated → registered false, factor pending', () => {
    expect(tech('181').mfa).toEqual({
      registered: false,
      factors: [{ type: 'totp', status: 'pending', phishingResistant: false }],
    });
  });

  it('no 2FA service and no authenticator → registered false with no factors', () => {
    expect(tech('182').mfa).toEqual({ registered: false, factors: [] });
  });

  it('AuthAnvil enrols outside ConnectWise: a factor of unknown state, registered absent', () => {
    expect(tech('183').mfa).toEqual({ factors: [{ type: 'unknown', status: 'unknown', phishingResistant: false }] });
  });

  it('inactiveFlag → inactive', () => {
    expect(tech('184').status).toBe('inactive');
  });

  it('an API member (licenseClass A) is an integration identity: api-member role, not shared, no interactive MFA', () => {
    expect(tech('185')).toEqual({
      id: '185',
      source: 'connectwise',
      name: 'RMM Integration',
      email: null,
      status: 'active',
      shared: false,
      privileged: false,
      roles: ['API Integration', 'api-member'],
      clientAccess: null,
      lastLoginAt: null,
      origin: { part: 'body', page: 0, pointer: '/6' },
    });
  });

  it('an SSO-linked member signs in at the IdP: mfa absent even though ConnectWise 2FA is off', () => {
    const t = tech('190');
    expect(t).not.toHaveProperty('mfa');
    expect(t.origin).toEqual({ part: 'body', page: 1, pointer: '/0' });
  });

  it('lastLogin with a space instead of T is read as UTC', () => {
    expect(tech('191')).toMatchObject({
      lastLoginAt: '2025-01-11T14:22:10.000Z',
      mfa: { registered: true, factors: [TOTP_ACTIVE] },
    });
  });

  it('an unreadable lastLogin is left out with a warning pointing at it', () => {
    const result = run();
    const t = result.document.technicians.find((x) => x.id === '192');
    expect(t).not.toHaveProperty('lastLoginAt');
    expect(result.warnings).toEqual([
      {
        code: 'unreadable_time',
        message: expect.stringContaining('192'),
        part: 'body',
        page: 1,
        pointer: '/2/lastLogin',
      },
    ]);
  });

  it('a role-named member is shared; securityRole null → no roles; no MFA fields → mfa absent', () => {
    const t = tech('193');
    expect(t).toMatchObject({ name: 'Help Desk', shared: true, roles: [] });
    expect(t).not.toHaveProperty('mfa');
  });

  it('one page: origin carries no page number', () => {
    expect(run([PAGE1]).document.technicians[0]!.origin).toEqual({ part: 'body', pointer: '/0' });
  });

  describe('bad input', () => {
    it('wrong field types are a 422 pointing at them', () => {
      const err = inputError(() => run([['body', 'connectwise/bad-types.json']]));
      expect(err.status).toBe(422);
      expect(err.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ part: 'body', pointer: '/0/inactiveFlag' }),
          expect.objectContaining({ part: 'body', pointer: '/0/securityRole/name' }),
        ]),
      );
    });

    it('an object instead of the bare array is a 422', () => {
      const err = inputError(() => run([['body', 'connectwise/envelope.json']]));
      expect(err.status).toBe(422);
      expect(err.problems[0]).toMatchObject({ part: 'body', pointer: '' });
    });
  });
});
