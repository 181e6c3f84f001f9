/** The okta source's optional `policies` part (Policy API) → canonical policies (okta-policies.ts). */
import { oktaAdapter } from '../../../src/adapters/identity/okta.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { IdentityDocument, IdentityPolicy } from '../../../src/schemas/canonical-types.js';
import { fixture, runOnFixtures } from '../../helpers/adapters.js';

const USERS: [string, string][] = [
  ['users', 'okta/users-page1.json'],
  ['factors', 'okta/factors-page1.json'],
];

function run(...pages: string[]): AdapterResult & { policies: IdentityPolicy[] } {
  const result = runOnFixtures(oktaAdapter, [...USERS, ...pages.map((p) => ['policies', p] as [string, string])]);
  return { ...result, policies: (result.document as IdentityDocument).policies ?? [] };
}

/** name → the fields the MFA-enforcement rule reads */
function summary(policies: IdentityPolicy[]) {
  return Object.fromEntries(
    policies.map((p) => [
      p.name,
      {
        state: p.state,
        requiresMfa: p.requiresMfa,
        appliesToAllUsers: p.appliesToAllUsers,
        excludedUsers: p.excludedUsers,
        limitedTo: p.limitedTo,
      },
    ]),
  );
}

function inline(policies: unknown): AdapterResult & { policies: IdentityPolicy[] } {
  const result = runAdapter(
    oktaAdapter,
    [
      ...USERS.map(([name, path]) => ({ name, bytes: fixture(path) })),
      { name: 'policies', bytes: Buffer.from(JSON.stringify(policies)) },
    ],
    { clients: [] },
  );
  return { ...result, policies: (result.document as IdentityDocument).policies ?? [] };
}

const rule = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  status: 'ACTIVE',
  name: id,
  priority: 1,
  conditions: { people: { users: { exclude: [] } }, network: { connection: 'ANYWHERE' } },
  actions: { signon: { access: 'ALLOW', requireFactor: true } },
  ...over,
});
const defaultPolicy = (rules: unknown[], over: Record<string, unknown> = {}) => ({
  id: '00pdefault',
  status: 'ACTIVE',
  type: 'OKTA_SIGN_ON',
  name: 'Default Policy',
  priority: 1,
  system: true,
  conditions: { people: { groups: { include: ['00geveryone'] } } },
  _embedded: { rules },
  ...over,
});

describe('okta policies part', () => {
  it('without the part there are no policies (the MFA-enforcement rule stays insufficient evidence)', () => {
    expect(runOnFixtures(oktaAdapter, USERS).document).not.toHaveProperty('policies');
  });

  it('maps global session rules in first-match order: one-factor rules earlier take their people from later ones', () => {
    const { policies } = run('okta/policies-sign-on.json');
    expect(summary(policies)).toEqual({
      'Contractors / Contractors on-site': {
        state: 'enforced',
        requiresMfa: false,
        appliesToAllUsers: false,
        excludedUsers: [],
        limitedTo: ['locations'],
      },
      'Contractors / Contractors MFA': {
        state: 'enforced',
        requiresMfa: true,
        appliesToAllUsers: false,
        excludedUsers: ['group:00g1contractors0001'],
        limitedTo: [],
      },
      // an INACTIVE policy is disabled and takes nobody
      'Legacy kiosk / Kiosk without MFA': {
        state: 'disabled',
        requiresMfa: false,
        appliesToAllUsers: false,
        excludedUsers: ['group:00g1contractors0001'],
        limitedTo: [],
      },
      'Default Policy / Require MFA everywhere': {
        state: 'enforced',
        requiresMfa: true,
        appliesToAllUsers: true,
        excludedUsers: ['00u1breakglass00012', 'group:00g1contractors0001'],
        limitedTo: [],
      },
      'Default Policy / Default Rule': {
        state: 'enforced',
        requiresMfa: false,
        appliesToAllUsers: true,
        excludedUsers: ['group:00g1contractors0001'],
        limitedTo: [],
      },
    });
  });

  it('gives each rule an id and an origin pointing at the rule in its page', () => {
    const { policies } = run('okta/policies-sign-on.json', 'okta/policies-access.json');
    expect(policies.find((p) => p.name === 'Default Policy / Require MFA everywhere')).toMatchObject({
      id: '00opolicydefault001/0pr1mfaall00000004',
      excludedRoles: [],
      origin: { part: 'policies', page: 0, pointer: '/2/_embedded/rules/0' },
    });
    // a policy that carries its rules as `rules` (merged from GET /policies/{id}/rules)
    expect(policies.find((p) => p.name === 'Okta Dashboard / Everyone else 2FA')?.origin).toEqual({
      part: 'policies',
      page: 1,
      pointer: '/1/rules/1',
    });
  });

  it('app sign-in policies are limited to their applications, chain within themselves, and read 2FA as MFA', () => {
    const { policies, warnings } = run('okta/policies-access.json');
    expect(summary(policies)).toEqual({
      'Okta Admin Console / Admins need 2FA': {
        state: 'enforced',
        requiresMfa: true,
        appliesToAllUsers: false,
        excludedUsers: [],
        limitedTo: ['applications'],
      },
      // a DENY catch-all lets nobody in: no MFA needed, nothing taken
      'Okta Admin Console / Catch-all Rule': {
        state: 'enforced',
        requiresMfa: false,
        appliesToAllUsers: true,
        excludedUsers: [],
        limitedTo: ['applications'],
      },
      'Okta Dashboard / Mobile, one factor': {
        state: 'enforced',
        requiresMfa: false,
        appliesToAllUsers: true,
        excludedUsers: [],
        limitedTo: ['applications', 'platforms'],
      },
      'Okta Dashboard / Everyone else 2FA': {
        state: 'enforced',
        requiresMfa: true,
        appliesToAllUsers: true,
        excludedUsers: [],
        limitedTo: ['applications', 'earlierRule:Okta Dashboard / Mobile, one factor'],
      },
    });
    expect(warnings.filter((w) => w.code === 'policy_type_ignored')).toEqual([
      expect.objectContaining({
        part: 'policies',
        message: expect.stringMatching(/^1 MFA_ENROLL polic\(ies\) skipped/),
      }),
    ]);
  });

  it('an INACTIVE MFA rule is disabled; a rule for some network zones is limited; both then limit the one-factor default', () => {
    const { policies } = run('okta/policies-mfa-inactive.json');
    expect(summary(policies)).toEqual({
      'Default Policy / Require MFA everywhere': {
        state: 'disabled',
        requiresMfa: true,
        appliesToAllUsers: true,
        excludedUsers: [],
        limitedTo: [],
      },
      'Default Policy / MFA off the office network': {
        state: 'enforced',
        requiresMfa: true,
        appliesToAllUsers: true,
        excludedUsers: [],
        limitedTo: ['locations'],
      },
      'Default Policy / Default Rule': {
        state: 'enforced',
        requiresMfa: false,
        appliesToAllUsers: true,
        excludedUsers: [],
        limitedTo: [],
      },
    });
  });

  it('a one-factor rule for everyone ahead of the MFA rule limits it; a DENY rule does not', () => {
    const { policies } = inline([
      defaultPolicy([
        rule('deny-risky', { priority: 1, actions: { signon: { access: 'DENY' } } }),
        rule('radius', {
          priority: 2,
          conditions: { authContext: { authType: 'RADIUS' } },
          actions: { signon: { access: 'ALLOW', requireFactor: false } },
        }),
        rule('mfa', { priority: 3 }),
      ]),
    ]);
    expect(policies.map((p) => [p.name, p.limitedTo])).toEqual([
      ['Default Policy / deny-risky', []],
      ['Default Policy / radius', ['authContext']],
      ['Default Policy / mfa', ['earlierRule:Default Policy / radius']],
    ]);
  });

  it('rules are taken in priority order, whatever their order in the export', () => {
    const { policies } = inline([
      defaultPolicy([
        rule('mfa', { priority: 2 }),
        rule('one-factor', { priority: 1, actions: { signon: { access: 'ALLOW' } } }),
      ]),
    ]);
    expect(policies.map((p) => p.name)).toEqual(['Default Policy / one-factor', 'Default Policy / mfa']);
    expect(policies[1]!.limitedTo).toEqual(['earlierRule:Default Policy / one-factor']);
  });

  it('a policy assigned to groups is not for all users, and its one-factor rules exclude those groups from later policies', () => {
    const { policies } = inline([
      defaultPolicy([rule('mfa', { priority: 1 })], { priority: 2 }),
      defaultPolicy([rule('no-mfa', { actions: { signon: { access: 'ALLOW', requireFactor: false } } })], {
        id: '00pfrontdesk',
        name: 'Front desk',
        priority: 1,
        system: false,
        conditions: { people: { groups: { include: ['00gfrontdesk'], exclude: ['00gmanagers'] } } },
      }),
    ]);
    expect(summary(policies)).toEqual({
      'Front desk / no-mfa': {
        state: 'enforced',
        requiresMfa: false,
        appliesToAllUsers: false,
        excludedUsers: ['group:00gmanagers'],
        limitedTo: [],
      },
      'Default Policy / mfa': {
        state: 'enforced',
        requiresMfa: true,
        appliesToAllUsers: true,
        excludedUsers: ['group:00gfrontdesk'],
        limitedTo: [],
      },
    });
  });

  it('conditions it does not read are never ignored: other:<name>; risk, devices, expressions and user types are named', () => {
    const { policies } = inline([
      defaultPolicy([
        rule('r', {
          conditions: {
            riskScore: { level: 'HIGH' },
            risk: { behaviors: ['New IP'] },
            identityProvider: { provider: 'SPECIFIC_IDP', idpIds: ['0oa1'] },
            device: { registered: true, managed: true },
            userType: { include: ['oty1'] },
            elCondition: { condition: "user.profile.department == 'IT'" },
            futureCondition: { something: 1 },
          },
        }),
      ]),
    ]);
    expect(policies[0]!.limitedTo).toEqual([
      'riskLevels',
      'riskBehaviors',
      'identityProvider',
      'devices',
      'userTypes',
      'expression',
      'other:futureCondition',
    ]);
  });

  it('an unknown status or a policy without its rules is skipped with a warning, and its people are taken from later rules', () => {
    const { policies, warnings } = inline([
      defaultPolicy([rule('odd', { priority: 1, status: 'SOMETHING_NEW' }), rule('mfa', { priority: 2 })]),
      {
        ...defaultPolicy([]),
        id: '00pnorules',
        name: 'No rules',
        priority: 0,
        system: false,
        _embedded: undefined,
        conditions: null,
      },
    ]);
    expect(policies.map((p) => [p.name, p.limitedTo])).toEqual([
      [
        'Default Policy / mfa',
        ['earlierRule:No rules (rules not exported)', 'earlierRule:Default Policy / odd (status unknown)'],
      ],
    ]);
    expect(warnings.filter((w) => w.code !== 'factors_missing').map((w) => [w.code, w.pointer])).toEqual([
      ['policy_rules_missing', '/1'],
      ['unknown_policy_status', '/0/_embedded/rules/0/status'],
    ]);
  });

  it('points at a policy that is not what the Policy API returns (422 with the pointer)', () => {
    let err: unknown;
    try {
      inline([{ id: '00p1', status: 'ACTIVE' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterInputError);
    expect((err as AdapterInputError).status).toBe(422);
    expect((err as AdapterInputError).problems[0]).toMatchObject({ part: 'policies', page: 0, pointer: '/0/type' });
  });
});
