import { duoAdapter } from '../../../src/adapters/identity/duo.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { IdentityDocument, IdentityUser } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const PAGES: [string, string][] = [
  ['body', 'duo/users-page1.json'],
  ['body', 'duo/users-page2.json'],
];

function run(parts: [string, string][] = PAGES): AdapterResult {
  return runOnFixtures(duoAdapter, parts);
}

function user(result: AdapterResult, username: string): IdentityUser {
  const found = (result.document as IdentityDocument).users.find((u) => u.username === username);
  if (!found) throw new Error(`no user ${username}`);
  return found;
}

function inline(...pages: unknown[]): AdapterResult {
  return runAdapter(
    duoAdapter,
    pages.map((v) => ({ name: 'body', bytes: Buffer.from(JSON.stringify(v)) })),
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

const minimalUser = { user_id: 'DU1', username: 'u1', status: 'active' };

describe('duo adapter', () => {
  it('maps an enrolled user with phone, hardware token and WebAuthn factors', () => {
    expect(user(run(), 'jsmith')).toEqual({
      id: 'DU3RP9I2WOC59VZX672N',
      source: 'duo',
      username: 'jsmith',
      email: 'jsmith@example.com',
      displayName: 'Joe Smith',
      status: 'active',
      accountType: 'human',
      authSource: 'local',
      lastLoginAt: '2025-11-19T13:41:07.000Z',
      createdAt: '2017-03-15T21:18:49.000Z',
      mfa: {
        registered: true,
        bypass: false,
        factors: [
          { type: 'push', status: 'active', phishingResistant: false },
          { type: 'sms', status: 'active', phishingResistant: false },
          { type: 'call', status: 'active', phishingResistant: false },
          { type: 'hotp', status: 'active', phishingResistant: false },
          { type: 'hardware_otp', status: 'active', phishingResistant: false },
          { type: 'webauthn', status: 'active', phishingResistant: true },
        ],
      },
      origin: { part: 'body', page: 0, pointer: '/response/0' },
    });
  });

  it.each([
    ['jsmith', 'active'],
    ['kpatel', 'active'], // bypass
    ['lmoreau', 'inactive'], // disabled
    ['mchen', 'locked'], // "Locked Out": a space, any case
    ['nolsen', 'deprovisioned'], // pending deletion
    ['qroe', 'unknown'],
  ])('maps the status of %s to %s', (username, status) => {
    expect(user(run(), username).status).toBe(status);
  });

  it('status bypass is an active account that skips MFA', () => {
    expect(user(run(), 'kpatel').mfa).toEqual({ registered: false, bypass: true, factors: [] });
  });

  it('a Bypass group makes the user bypass MFA whatever the user status', () => {
    expect(user(run(), 'opark')).toMatchObject({ status: 'active', mfa: { registered: true, bypass: true } });
  });

  it('a Disabled group keeps the user status and raises a warning', () => {
    const result = run();
    expect(user(result, 'pquinn')).toMatchObject({ status: 'active', mfa: { bypass: false } });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'group_disabled', part: 'body', page: 1, pointer: '/response/2' }),
    );
  });

  it('an unknown status leaves bypass unknown; a null is_enrolled is derived from the (empty) device lists', () => {
    expect(user(run(), 'qroe').mfa).toEqual({ registered: false, factors: [] });
  });

  it('last_login null is known-never; epoch seconds elsewhere', () => {
    expect(user(run(), 'lmoreau').lastLoginAt).toBeNull();
    expect(user(run(), 'nolsen').lastLoginAt).toBe('2023-11-14T22:13:20.000Z');
    expect(user(run(), 'rsato').createdAt).toBeNull();
  });

  it('Duo Mobile factors on a phone that is not activated are pending; SMS and calls are usable', () => {
    expect(user(run(), 'rsato').mfa?.factors).toEqual([
      { type: 'push', status: 'pending', phishingResistant: false },
      { type: 'sms', status: 'active', phishingResistant: false },
      { type: 'hotp', status: 'pending', phishingResistant: false },
    ]);
  });

  it('U2F tokens are phishing-resistant; a generic account name is shared; an empty email is known-none', () => {
    expect(user(run(), 'frontdesk')).toMatchObject({
      accountType: 'shared',
      email: null,
      displayName: 'Front Desk',
      mfa: {
        factors: [
          { type: 'call', status: 'active', phishingResistant: false },
          { type: 'u2f', status: 'active', phishingResistant: true },
        ],
      },
    });
  });

  it('Duo knows no admin roles: privileged and roles are absent', () => {
    for (const u of (run().document as IdentityDocument).users) {
      expect(u).not.toHaveProperty('privileged');
      expect(u).not.toHaveProperty('roles');
    }
  });

  it('never outputs phone numbers', () => {
    expect(JSON.stringify(run().document)).not.toContain('555555');
  });

  it('accepts a bare array; a single page gives no page in the origin', () => {
    const result = run([['body', 'duo/users-bare.json']]);
    expect(user(result, 'jsmith').origin).toEqual({ part: 'body', pointer: '/0' });
    expect(result.warnings).toEqual([]);
  });

  it('warns when the last page still names a next_offset', () => {
    const result = run([['body', 'duo/users-page1.json']]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'incomplete_export', part: 'body', page: 0, pointer: '/metadata/next_offset' }),
    ]);
    expect(run().warnings.map((w) => w.code)).toEqual(['group_disabled']);
  });

  it('warns about a user repeated across pages and keeps the first', () => {
    const result = inline(
      { stat: 'OK', response: [minimalUser] },
      { stat: 'OK', response: [{ ...minimalUser, status: 'disabled' }] },
    );
    const users = (result.document as IdentityDocument).users;
    expect(users).toHaveLength(1);
    expect(users[0]!.status).toBe('active');
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'duplicate_user', page: 1, pointer: '/response/0' }),
    ]);
  });

  it('a user with no factor fields has no factors and unknown registration', () => {
    expect((inline([minimalUser]).document as IdentityDocument).users[0]).toMatchObject({
      mfa: { bypass: false, factors: [] },
    });
    expect((inline([minimalUser]).document as IdentityDocument).users[0]!.mfa).not.toHaveProperty('registered');
  });

  describe('bad input', () => {
    it('a stat FAIL envelope is a 422 with the Duo code and message', () => {
      const err = inputError(() => run([['body', 'duo/fail.json']]));
      expect(err.status).toBe(422);
      expect(err.problems).toEqual([
        {
          message: 'Duo API error 40301: Access forbidden (You do not have permission to access this resource.)',
          part: 'body',
          page: 0,
          pointer: '/stat',
        },
      ]);
    });

    it('a FAIL page among OK pages is rejected with its page', () => {
      const err = inputError(() =>
        inline({ stat: 'OK', response: [minimalUser] }, { stat: 'FAIL', code: 42901, message: 'Too Many Requests' }),
      );
      expect(err.problems[0]).toMatchObject({ page: 1, message: 'Duo API error 42901: Too Many Requests' });
    });

    it('an OK envelope without a response list is a 422', () => {
      const err = inputError(() => inline({ stat: 'OK', metadata: {} }));
      expect(err.status).toBe(422);
      expect(err.problems[0]).toMatchObject({ pointer: '/response' });
    });

    it('an object without stat is a 422 at /stat', () => {
      const err = inputError(() => inline({ response: [minimalUser] }));
      expect(err.problems).toContainEqual(expect.objectContaining({ part: 'body', pointer: '/stat' }));
    });

    it('points at a last_login that is not epoch seconds', () => {
      const err = inputError(() => inline({ stat: 'OK', response: [{ ...minimalUser, last_login: '2025-01-01' }] }));
      expect(err.problems).toContainEqual(expect.objectContaining({ pointer: '/response/0/last_login' }));
    });

    it('points at a user without user_id in a bare array', () => {
      const err = inputError(() => inline([{ username: 'x', status: 'active' }]));
      expect(err.problems).toContainEqual(expect.objectContaining({ pointer: '/0/user_id' }));
    });

    it('reports malformed JSON with 400 and a line', () => {
      const err = inputError(() =>
        runAdapter(
          duoAdapter,
          [{ name: 'body', bytes: Buffer.from('{"stat": "OK",\n"response": [\n{"user_id": }]}') }],
          { clients: [] },
        ),
      );
      expect(err.status).toBe(400);
      expect(err.problems[0]).toMatchObject({ part: 'body', line: 3 });
    });
  });
});
