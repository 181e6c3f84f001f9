import { entraAdapter } from '../../../src/adapters/identity/entra.js';
import { requiresMfa } from '../../../src/adapters/identity/entra-policies.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { IdentityDocument, IdentityPolicy, IdentityUser } from '../../../src/schemas/canonical-types.js';
import { fixture, runOnFixtures } from '../../helpers/adapters.js';

const fixturePart = (name: string, path: string) => ({ name, bytes: fixture(path) });
const jsonPart = (name: string, value: unknown) => ({ name, bytes: Buffer.from(JSON.stringify(value)) });

const ALEX = '86462606-fde0-4fc4-9e0c-a20eb73e54c6';
const MEGAN = 'f3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const GUEST = '0b7e1c9a-3f2d-4e5b-9a8c-7d6e5f4a3b2c';
const LEE = '5c4b3a29-1807-4f6e-9d8c-b7a6f5e4d3c2';
const HELP = '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4';
const NORA = '1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9';
const ODD = '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f9a0';
const BREAKGLASS = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
const GA = '62e90394-69f5-4237-9190-012177145e10';

const REGISTRATIONS: [string, string][] = [
  ['registrations', 'entra/registrations-page1.json'],
  ['registrations', 'entra/registrations-page2.json'],
];
const ALL: [string, string][] = [...REGISTRATIONS, ['users', 'entra/users.json'], ['policies', 'entra/policies.json']];

function run(parts: [string, string][] = ALL): AdapterResult {
  return runOnFixtures(entraAdapter, parts);
}

function doc(result: AdapterResult): IdentityDocument {
  return result.document as IdentityDocument;
}

function user(result: AdapterResult, id: string): IdentityUser {
  const found = doc(result).users.find((u) => u.id === id);
  if (!found) throw new Error(`no user ${id}`);
  return found;
}

function policy(result: AdapterResult, name: string): IdentityPolicy {
  const found = doc(result).policies?.find((p) => p.name.startsWith(name));
  if (!found) throw new Error(`no policy ${name}`);
  return found;
}

function inline(parts: [string, unknown][]): AdapterResult {
  return runAdapter(
    entraAdapter,
    parts.map(([name, v]) => ({ name, bytes: Buffer.from(JSON.stringify(v)) })),
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

const minimalReg = { id: 'u-1', userPrincipalName: 'u1@example.com' };

describe('entra adapter: users', () => {
  it('maps a member with the users part joined in', () => {
    expect(user(run(), ALEX)).toEqual({
      id: ALEX,
      source: 'entra',
      username: 'AlexW@example.com',
      email: 'AlexW@example.com',
      displayName: 'Alex Wilber',
      status: 'active',
      accountType: 'human',
      privileged: false,
      authSource: 'local',
      lastLoginAt: '2026-11-18T07:42:13.123Z',
      createdAt: '2024-05-02T08:11:45.000Z',
      mfa: {
        registered: true,
        factors: [
          { type: 'push', status: 'active', phishingResistant: false },
          { type: 'totp', status: 'active', phishingResistant: false },
        ],
      },
      origin: { part: 'registrations', page: 0, pointer: '/value/0' },
    });
  });

  it('isAdmin → privileged; every spelling of FIDO2/passkey and Windows Hello is phishing-resistant', () => {
    const megan = user(run(), MEGAN);
    expect(megan.privileged).toBe(true);
    expect(megan).not.toHaveProperty('roles');
    expect(megan.mfa?.factors).toEqual([
      { type: 'webauthn', status: 'active', phishingResistant: true },
      { type: 'windows_hello', status: 'active', phishingResistant: true },
      { type: 'passkey', status: 'active', phishingResistant: true },
    ]);
  });

  it('a null lastSuccessfulSignInDateTime is known-never', () => {
    expect(user(run(), MEGAN).lastLoginAt).toBeNull();
  });

  it('the last sign-in is the last SUCCESSFUL one: failed attempts (a password spray) do not make an account look in use', () => {
    const directory = (signInActivity: Record<string, unknown>) => ({
      value: [{ id: ALEX, accountEnabled: true, userType: 'Member', signInActivity }],
    });
    const sprayed = runAdapter(
      entraAdapter,
      [
        fixturePart('registrations', 'entra/registrations-page1.json'),
        jsonPart(
          'users',
          directory({
            lastSignInDateTime: '2026-11-24T03:00:00Z',
            lastNonInteractiveSignInDateTime: '2026-11-24T03:05:00Z',
            lastSuccessfulSignInDateTime: '2026-02-26T09:00:00Z',
          }),
        ),
      ],
      { clients: [] },
    );
    expect(user(sprayed, ALEX).lastLoginAt).toBe('2026-02-26T09:00:00.000Z');
    expect(sprayed.warnings.filter((w) => w.code === 'no_successful_sign_in_time')).toEqual([]);
    // an export without the field: unknown, and said once
    const attemptsOnly = runAdapter(
      entraAdapter,
      [
        fixturePart('registrations', 'entra/registrations-page1.json'),
        jsonPart('users', directory({ lastSignInDateTime: '2026-11-24T03:00:00Z' })),
      ],
      { clients: [] },
    );
    expect(user(attemptsOnly, ALEX)).not.toHaveProperty('lastLoginAt');
    expect(attemptsOnly.warnings.filter((w) => w.code === 'no_successful_sign_in_time')).toEqual([
      expect.objectContaining({ part: 'users', message: expect.stringMatching(/^1 user\(s\)/) }),
    ]);
  });

  it('guests are guest accounts that authenticate at home; their local non-registration is unknown MFA', () => {
    expect(user(run(), GUEST)).toEqual({
      id: GUEST,
      source: 'entra',
      username: 'partner.tech_partner.example#EXT#@contoso.onmicrosoft.com',
      email: 'pat@partner.example',
      displayName: 'Pat Partner (Partner MSP)',
      status: 'active',
      accountType: 'guest',
      privileged: false,
      authSource: 'federated',
      createdAt: '2025-09-14T16:20:00.000Z',
      mfa: { factors: [] },
      origin: { part: 'registrations', page: 0, pointer: '/value/2' },
    });
  });

  it('accountEnabled false → inactive; security questions count as a factor entry but registered follows isMfaRegistered', () => {
    expect(user(run(), LEE)).toMatchObject({
      status: 'inactive',
      email: null,
      lastLoginAt: '2025-01-03T09:00:00.000Z',
      mfa: {
        registered: false,
        factors: [
          { type: 'question', status: 'active', phishingResistant: false },
          { type: 'email', status: 'active', phishingResistant: false },
        ],
      },
    });
  });

  it('"" and "none" preferred methods add no factor', () => {
    expect(user(run(), GUEST).mfa?.factors).toEqual([]);
    expect(user(run(), LEE).mfa?.factors?.map((f) => f.type)).toEqual(['question', 'email']);
  });

  it('phones: mobilePhone is SMS, alternate and office phones are voice; a shared mailbox-like name is shared', () => {
    const help = user(run(), HELP);
    expect(help.accountType).toBe('shared');
    expect(help.mfa?.factors).toEqual([
      { type: 'sms', status: 'active', phishingResistant: false },
      { type: 'call', status: 'active', phishingResistant: false },
    ]);
  });

  it('signInActivity null or missing leaves lastLoginAt absent', () => {
    expect(user(run(), HELP)).not.toHaveProperty('lastLoginAt');
    expect(user(run(), GUEST)).not.toHaveProperty('lastLoginAt');
  });

  it('Authenticator phone sign-in is not phishing-resistant; multifactor certificates are; unknown methods are unknown', () => {
    expect(user(run(), NORA).mfa).toEqual({
      registered: true,
      factors: [
        { type: 'push', status: 'active', phishingResistant: false },
        { type: 'certificate', status: 'active', phishingResistant: true },
        { type: 'temporary_access_pass', status: 'active', phishingResistant: false },
        { type: 'windows_hello', status: 'active', phishingResistant: true },
        { type: 'hardware_otp', status: 'active', phishingResistant: false },
        { type: 'unknown', status: 'active', phishingResistant: false },
      ],
    });
  });

  it('a user missing from the given users part has status unknown and a warning', () => {
    const result = run();
    const nora = user(result, NORA);
    expect(nora.status).toBe('unknown');
    expect(nora).not.toHaveProperty('lastLoginAt');
    expect(nora).not.toHaveProperty('email');
    expect(result.warnings).toContainEqual({
      code: 'user_missing',
      message: `user ${NORA} is not in the users part: status and last sign-in unknown`,
      part: 'registrations',
      page: 1,
      pointer: '/value/1',
    });
  });

  it('unknownFutureValue user types are unknown; null createdDateTime is unknown, null names are known-none', () => {
    expect(user(run(), ODD)).toMatchObject({
      accountType: 'unknown',
      authSource: 'unknown',
      displayName: null,
      email: null,
    });
    expect(user(run(), ODD)).not.toHaveProperty('createdAt');
  });

  it('without the users part: status unknown, no lastLoginAt, no createdAt, no warnings about it', () => {
    const result = run(REGISTRATIONS);
    for (const u of doc(result).users) {
      expect(u.status).toBe('unknown');
      expect(u).not.toHaveProperty('lastLoginAt');
      expect(u).not.toHaveProperty('createdAt');
    }
    expect(doc(result)).not.toHaveProperty('policies');
    expect(result.warnings).toEqual([]);
  });

  it('accepts a bare array and gives no page in the origin of a single page', () => {
    const result = run([['registrations', 'entra/registrations-bare.json']]);
    expect(user(result, ALEX).origin).toEqual({ part: 'registrations', pointer: '/0' });
  });

  it('warns when the last page still has an @odata.nextLink', () => {
    const result = run([['registrations', 'entra/registrations-page1.json']]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'incomplete_export',
        part: 'registrations',
        page: 0,
        pointer: '/@odata.nextLink',
      }),
    ]);
    expect(run().warnings.filter((w) => w.code === 'incomplete_export')).toEqual([]);
  });

  it('warns about a duplicated registration and keeps the first', () => {
    const result = inline([['registrations', { value: [minimalReg, { ...minimalReg, isAdmin: true }] }]]);
    expect(doc(result).users).toHaveLength(1);
    expect(doc(result).users[0]).not.toHaveProperty('privileged');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'duplicate_user', pointer: '/value/1' })]);
  });

  it('a registration without MFA fields has no mfa at all', () => {
    expect(doc(inline([['registrations', [minimalReg]]])).users[0]).not.toHaveProperty('mfa');
  });
});

describe('entra adapter: conditional access policies', () => {
  it('maps an enforced all-users MFA policy with user and group exclusions', () => {
    expect(policy(run(), 'CA001')).toEqual({
      id: '4a0a7f07-8a51-4c3e-9f4b-1e6a2f3b4c5d',
      name: 'CA001: Require MFA for all users',
      state: 'enforced',
      requiresMfa: true,
      appliesToAllUsers: true,
      excludedUsers: [BREAKGLASS, 'group:d1c2b3a4-9586-4777-8899-aabbccddeeff'],
      excludedRoles: [],
      limitedTo: [],
      origin: { part: 'policies', pointer: '/value/0' },
    });
  });

  it('lists the conditions that narrow a policy to some sign-ins (apps, actions, locations, platforms, client apps, risk, devices, flows)', () => {
    const everyone = {
      includeApplications: ['All'],
      excludeApplications: [],
      includeUserActions: [],
      includeAuthenticationContextClassReferences: [],
      applicationFilter: null,
    };
    const ca = (conditions: Record<string, unknown>) => ({
      id: 'p',
      displayName: 'Require MFA',
      state: 'enabled',
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      conditions: {
        users: { includeUsers: ['All'] },
        applications: everyone,
        clientAppTypes: ['all'],
        locations: null,
        platforms: null,
        signInRiskLevels: [],
        userRiskLevels: [],
        ...conditions,
      },
    });
    const cases: [Record<string, unknown>, string[]][] = [
      [{}, []],
      [
        { applications: { ...everyone, includeApplications: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'] } },
        ['applications'],
      ],
      [
        { applications: { ...everyone, excludeApplications: ['00000002-0000-0ff1-ce00-000000000000'] } },
        ['applications'],
      ],
      [
        {
          applications: { ...everyone, includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
        },
        ['applications'],
      ],
      [{ applications: null }, ['applications']],
      [{ clientAppTypes: ['exchangeActiveSync'] }, ['clientAppTypes']],
      [{ locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } }, ['locations']],
      [{ locations: { includeLocations: ['All'], excludeLocations: [] } }, []],
      [{ platforms: { includePlatforms: ['android', 'iOS'], excludePlatforms: [] } }, ['platforms']],
      [{ signInRiskLevels: ['high'], userRiskLevels: ['medium'] }, ['signInRiskLevels', 'userRiskLevels']],
      [{ devices: { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True' } } }, ['devices']],
      [{ devices: { deviceFilter: null } }, []],
      [{ authenticationFlows: { transferMethods: 'deviceCodeFlow' } }, ['authenticationFlows']],
    ];
    for (const [conditions, expected] of cases) {
      const out = runAdapter(
        entraAdapter,
        [
          fixturePart('registrations', 'entra/registrations-page1.json'),
          jsonPart('policies', { value: [ca(conditions)] }),
        ],
        { clients: [] },
      );
      expect([conditions, doc(out).policies![0]!.limitedTo]).toEqual([conditions, expected]);
    }
  });

  it('an authentication strength requires MFA even with no built-in control', () => {
    expect(policy(run(), 'CA002')).toMatchObject({
      requiresMfa: true,
      appliesToAllUsers: false,
      excludedUsers: [BREAKGLASS],
    });
  });

  it('mfa OR compliantDevice does not require MFA; report-only state; "all" matches case-insensitively', () => {
    expect(policy(run(), 'CA003')).toMatchObject({ state: 'report_only', requiresMfa: false, appliesToAllUsers: true });
  });

  it('a block policy is not an MFA policy; guest exclusions are listed by kind', () => {
    expect(policy(run(), 'CA004')).toMatchObject({
      state: 'enforced',
      requiresMfa: false,
      excludedUsers: ['guestType:internalGuest', 'guestType:b2bCollaborationGuest'],
    });
  });

  it('a disabled policy without grant controls; excluded roles are role template ids', () => {
    expect(policy(run(), 'CA005')).toMatchObject({ state: 'disabled', requiresMfa: false, excludedRoles: [GA] });
  });

  it('mfa AND compliantDevice requires MFA; includeUsers None is not all users', () => {
    expect(policy(run(), 'CA006')).toMatchObject({ requiresMfa: true, appliesToAllUsers: false });
  });

  it('skips a policy in an unknown state with a warning', () => {
    const result = run();
    expect(doc(result).policies?.map((p) => p.name)).not.toContain('CA007: Preview feature');
    expect(doc(result).policies).toHaveLength(6);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'unknown_policy_state', part: 'policies', pointer: '/value/6/state' }),
    );
  });

  it('accepts a bare array of policies', () => {
    const result = run([...REGISTRATIONS, ['policies', 'entra/policies-bare.json']]);
    expect(doc(result).policies?.[0]?.origin).toEqual({ part: 'policies', pointer: '/0' });
  });

  it.each([
    [{ operator: 'OR', builtInControls: ['mfa'] }, true],
    [{ operator: 'OR', builtInControls: ['mfa'], termsOfUse: ['tou-1'] }, false],
    [{ operator: 'AND', builtInControls: ['mfa'], termsOfUse: ['tou-1'] }, true],
    [{ operator: 'OR', builtInControls: ['compliantDevice'], authenticationStrength: { id: 's' } }, false],
    [{ operator: 'AND', builtInControls: ['compliantDevice'], authenticationStrength: { id: 's' } }, true],
    [{ operator: 'OR', builtInControls: ['MFA'] }, true],
    [{ operator: 'OR', builtInControls: ['block'] }, false],
    [{ operator: 'OR', builtInControls: [], authenticationStrength: null }, false],
    [null, false],
  ])('requiresMfa(%p) = %p', (grant, expected) => {
    expect(requiresMfa(grant)).toBe(expected);
  });
});

describe('entra adapter: bad input', () => {
  it('a Graph error in the registrations part is a 422 naming the Graph code', () => {
    const err = inputError(() => run([['registrations', 'entra/error-unlicensed.json']]));
    expect(err.status).toBe(422);
    expect(err.problems[0]).toMatchObject({ part: 'registrations', page: 0, pointer: '/error' });
    expect(err.problems[0]!.message).toContain('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
  });

  it('a Graph error in an optional part is a warning and the part is ignored', () => {
    const result = run([...REGISTRATIONS, ['users', 'entra/error-unlicensed.json']]);
    expect(user(result, ALEX).status).toBe('unknown');
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'graph_error', part: 'users', page: 0, pointer: '/error' }),
    ]);
  });

  it('an object page without value is a 422 at /value', () => {
    const err = inputError(() => inline([['registrations', { '@odata.context': 'x', values: [] }]]));
    expect(err.status).toBe(422);
    expect(err.problems).toEqual([expect.objectContaining({ part: 'registrations', pointer: '/value' })]);
  });

  it('points at a wrongly typed field in an envelope and in a bare array', () => {
    const a = inputError(() => inline([['registrations', { value: [{ ...minimalReg, isAdmin: 'yes' }] }]]));
    expect(a.problems).toContainEqual(expect.objectContaining({ part: 'registrations', pointer: '/value/0/isAdmin' }));
    const b = inputError(() =>
      inline([
        ['registrations', [minimalReg]],
        ['policies', [{ id: 'p', state: 1 }]],
      ]),
    );
    expect(b.problems).toContainEqual(expect.objectContaining({ part: 'policies', pointer: '/0/state' }));
  });

  it('points at a users record without id', () => {
    const err = inputError(() =>
      inline([
        ['registrations', [minimalReg]],
        ['users', { value: [{ accountEnabled: true }] }],
      ]),
    );
    expect(err.problems).toContainEqual(expect.objectContaining({ part: 'users', pointer: '/value/0/id' }));
  });

  it('reports malformed JSON with 400 and a line', () => {
    const err = inputError(() =>
      runAdapter(entraAdapter, [{ name: 'registrations', bytes: Buffer.from('{"value": [\n{"id": "a",}\n]}') }], {
        clients: [],
      }),
    );
    expect(err.status).toBe(400);
    expect(err.problems[0]).toMatchObject({ part: 'registrations', line: 2 });
  });
});
