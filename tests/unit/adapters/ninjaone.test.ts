import { ninjaoneAdapter } from '../../../src/adapters/technicians/ninjaone.js';
import { AdapterInputError } from '../../../src/adapters/types.js';
import type { Technician } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const USERS: [string, string] = ['technicians', 'ninjaone/users.json'];
const ACTIVITIES: [string, string] = ['activities', 'ninjaone/activities.json'];

function run(parts: [string, string][]) {
  return runOnFixtures(ninjaoneAdapter, parts);
}

function tech(parts: [string, string][], id: string): Technician {
  const found = run(parts).document.technicians.find((t) => t.id === id);
  if (!found) throw new Error(`no technician ${id}`);
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

describe('ninjaone adapter', () => {
  it('normalises a registered technician field by field, last login from the activity log', () => {
    expect(tech([USERS, ACTIVITIES], '101')).toEqual({
      id: '101',
      source: 'ninjaone',
      name: 'Alice Nguyen',
      email: 'alice.nguyen@msp.example.com',
      status: 'active',
      shared: false,
      privileged: false,
      clientAccess: null,
      lastLoginAt: '2025-01-10T09:06:40.250Z',
      mfa: { registered: true },
      origin: { part: 'technicians', pointer: '/0' },
    });
  });

  it('administrator → privileged; permitAllClients → every client; mfaConfigured false → registered false', () => {
    expect(tech([USERS, ACTIVITIES], '102')).toEqual({
      id: '102',
      source: 'ninjaone',
      name: 'Bruno Okafor',
      email: 'bruno.okafor@msp.example.com',
      status: 'active',
      shared: false,
      privileged: true,
      clientAccess: ['*'],
      lastLoginAt: '2025-01-09T05:20:00.750Z',
      mfa: { registered: false },
      origin: { part: 'technicians', pointer: '/1' },
    });
  });

  it('enabled false → inactive', () => {
    expect(tech([USERS], '103').status).toBe('inactive');
  });

  it('an unanswered (PENDING) or EXPIRED invitation → pending', () => {
    expect(tech([USERS], '104').status).toBe('pending');
    expect(tech([USERS], '105').status).toBe('pending');
  });

  it('flags a role-named account as shared', () => {
    expect(tech([USERS], '106')).toMatchObject({ name: 'Help Desk', shared: true, clientAccess: ['*'] });
  });

  it('skips END_USER records with a warning', () => {
    const result = run([USERS]);
    expect(result.document.technicians.map((t) => t.id)).not.toContain('107');
    expect(result.warnings).toEqual([
      { code: 'end_user_skipped', message: expect.stringContaining('107'), part: 'technicians', pointer: '/6' },
    ]);
  });

  it('without the activities part lastLoginAt is absent (the export does not say)', () => {
    expect(tech([USERS], '101')).not.toHaveProperty('lastLoginAt');
  });

  it('a technician with no login in the activity window keeps lastLoginAt absent, not null', () => {
    const t = tech([USERS, ACTIVITIES], '103');
    expect(t).not.toHaveProperty('lastLoginAt'); // only a failed login for 103
  });

  it('takes the latest login per user across activity pages (envelope and bare array)', () => {
    const parts: [string, string][] = [USERS, ACTIVITIES, ['activities', 'ninjaone/activities-bare.json']];
    expect(tech(parts, '101').lastLoginAt).toBe('2025-01-11T12:53:20.500Z');
  });

  it('an absent mfaConfigured leaves mfa absent; pages carry their page number', () => {
    const t = tech([USERS, ['technicians', 'ninjaone/users-page2.json']], '108');
    expect(t).not.toHaveProperty('mfa');
    expect(t.origin).toEqual({ part: 'technicians', page: 1, pointer: '/0' });
  });

  it('SSO technicians: MFA happens at the IdP, so mfa is absent (unknown), never false', () => {
    expect(tech([['technicians', 'ninjaone/technicians.json']], '201')).toEqual({
      id: '201',
      source: 'ninjaone',
      name: 'Hana Kowalski',
      email: 'hana.kowalski@msp.example.com',
      status: 'active',
      shared: false,
      privileged: false,
      roles: ['Tier 2 Technician', 'Patch Management'],
      clientAccess: null,
      origin: { part: 'technicians', pointer: '/0' },
    });
  });

  it('reads roles from /v2/user/technicians, an empty list included; NATIVE auth keeps mfaConfigured', () => {
    expect(tech([['technicians', 'ninjaone/technicians.json']], '202')).toMatchObject({
      roles: [],
      privileged: true,
      clientAccess: ['*'],
      mfa: { registered: true },
    });
  });

  it('is a pure function of its input (same output twice)', () => {
    expect(run([USERS, ACTIVITIES])).toEqual(run([USERS, ACTIVITIES]));
  });

  describe('bad input', () => {
    it('a technicians page that breaks the schema is a 422 pointing at the field', () => {
      const err = inputError(() => run([['technicians', 'ninjaone/bad-id.json']]));
      expect(err.status).toBe(422);
      expect(err.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ part: 'technicians', page: 0, pointer: '/1/id' }),
          expect.objectContaining({ part: 'technicians', page: 0, pointer: '/1/enabled' }),
        ]),
      );
    });

    it('an activities page that is neither envelope nor array is a 422', () => {
      const err = inputError(() => run([USERS, ['activities', 'ninjaone/activities-wrong.json']]));
      expect(err.status).toBe(422);
      expect(err.problems).toEqual(
        expect.arrayContaining([expect.objectContaining({ part: 'activities', pointer: '/activities' })]),
      );
    });

    it('malformed JSON is a 400 with its line', () => {
      const err = inputError(() => run([['technicians', 'ninjaone/malformed.json']]));
      expect(err.status).toBe(400);
      expect(err.problems[0]).toMatchObject({ part: 'technicians', line: 2 });
    });

    it('the technicians part is required', () => {
      const err = inputError(() => run([ACTIVITIES]));
      expect(err.status).toBe(422);
      expect(err.problems[0]).toMatchObject({ part: 'technicians' });
    });
  });
});
