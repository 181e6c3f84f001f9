/**
 * Okta: Users API (`GET /api/v1/users`, bare array, one page per `Link: rel="next"`), the Factors
 * API per user and, optionally, the roles per user and the sign-on and app sign-in policies with
 * their rules (okta-policies.ts). Okta names no snapshot time; the org comes from the users'
 * `_links.self.href`.
 */
import type { IdentityUser } from '../../schemas/canonical-types.js';
import { allRecords, originOf, type Record_ } from '../common/envelope.js';
import { looksShared } from '../common/shared-accounts.js';
import type { Adapter, Page, Warning } from '../types.js';
import { defined, textField, timeField } from './fields.js';
import { oktaFactorsSchema, oktaMfa, type OktaFactor } from './okta-factors.js';
import { oktaPolicies, oktaPoliciesSchema } from './okta-policies.js';

interface OktaUser {
  id: string;
  status: string;
  created?: string | null;
  lastLogin?: string | null;
  profile: {
    login: string;
    email?: string | null;
    displayName?: string | null;
    firstName?: string | null;
    lastName?: string | null;
  };
  credentials?: { provider?: { type?: string } | null } | null;
  _links?: { self?: { href?: string } };
}

interface OktaRole {
  id?: string;
  type: string;
}

const nullableString = { type: ['string', 'null'] } as const;

const usersSchema = {
  $id: 'posture:vendor/okta/users',
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'status', 'profile'],
    properties: {
      id: { type: 'string', minLength: 1 },
      status: { type: 'string' },
      created: nullableString,
      lastLogin: nullableString,
      profile: {
        type: 'object',
        required: ['login'],
        properties: {
          login: { type: 'string' },
          email: nullableString,
          displayName: nullableString,
          firstName: nullableString,
          lastName: nullableString,
        },
      },
      credentials: {
        type: ['object', 'null'],
        properties: { provider: { type: ['object', 'null'], properties: { type: { type: 'string' } } } },
      },
      _links: { type: 'object', properties: { self: { type: 'object', properties: { href: { type: 'string' } } } } },
    },
  },
} as const;

const rolesSchema = {
  $id: 'posture:vendor/okta/roles',
  type: 'object',
  description: "user id → that user's /api/v1/users/{id}/roles response",
  additionalProperties: {
    type: 'array',
    items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
  },
} as const;

const STATUS = new Map<string, IdentityUser['status']>([
  ['STAGED', 'pending'],
  ['PROVISIONED', 'pending'],
  ['ACTIVE', 'active'],
  ['RECOVERY', 'active'],
  ['PASSWORD_EXPIRED', 'active'],
  ['LOCKED_OUT', 'locked'],
  ['SUSPENDED', 'suspended'],
  ['DEPROVISIONED', 'deprovisioned'],
]);

const FEDERATED_PROVIDERS = new Set(['FEDERATION', 'SOCIAL']);
const LOCAL_PROVIDERS = new Set(['OKTA', 'ACTIVE_DIRECTORY', 'LDAP', 'IMPORT']);

export const oktaAdapter: Adapter<'identity'> = {
  kind: 'identity',
  source: 'okta',
  bodyPart: 'users',
  parts: [
    {
      name: 'users',
      format: 'json',
      required: true,
      schema: usersSchema,
      description: 'GET /api/v1/users (bare array; one part per page)',
    },
    {
      name: 'factors',
      format: 'json',
      required: true,
      schema: oktaFactorsSchema,
      description: "object: user id → that user's GET /api/v1/users/{id}/factors response",
    },
    {
      name: 'roles',
      format: 'json',
      required: false,
      schema: rolesSchema,
      description: "object: user id → that user's GET /api/v1/users/{id}/roles response",
    },
    {
      name: 'policies',
      format: 'json',
      required: false,
      schema: oktaPoliciesSchema,
      description:
        'GET /api/v1/policies?type=OKTA_SIGN_ON&expand=rules and ?type=ACCESS_POLICY&expand=rules (bare arrays; one part per type or page)',
    },
  ],
  normalize(input) {
    const userPages = input.parts.users ?? [];
    const factors = mergeById<OktaFactor>(input.parts.factors);
    const roles = input.parts.roles ? mergeById<OktaRole>(input.parts.roles) : undefined;
    const warnings: Warning[] = [];
    const seen = new Set<string>();
    const users: IdentityUser[] = [];
    for (const rec of allRecords(userPages, [])) {
      const id = (rec.value as unknown as OktaUser).id;
      const where = { part: rec.part, page: rec.page, pointer: rec.pointer };
      if (seen.has(id)) {
        warnings.push({
          code: 'duplicate_user',
          message: `user ${id} appears more than once; the first is kept`,
          ...where,
        });
        continue;
      }
      seen.add(id);
      if (!factors.has(id)) {
        warnings.push({
          code: 'factors_missing',
          message: `user ${id} has no entry in the factors part: MFA left unknown`,
          ...where,
        });
      }
      users.push(toUser(rec, userPages.length, factors.get(id), roles));
    }
    const policies = input.parts.policies ? oktaPolicies(input.parts.policies, warnings) : undefined;
    return defined({ document: defined({ users, policies }), warnings, instance: orgOf(userPages) });
  },
};

function toUser(
  rec: Record_,
  pageCount: number,
  factors: OktaFactor[] | undefined,
  roles: Map<string, OktaRole[]> | undefined,
): IdentityUser {
  const u = rec.value as unknown as OktaUser;
  const authSource = authSourceOf(u.credentials?.provider?.type);
  const names = { username: u.profile.login, email: textField(u.profile.email), displayName: displayNameOf(u.profile) };
  return defined({
    id: u.id,
    source: 'okta',
    ...names,
    status: STATUS.get(u.status.toUpperCase()) ?? 'unknown',
    accountType: looksShared(names) ? 'shared' : 'human',
    ...privilegeOf(roles?.get(u.id), roles !== undefined),
    authSource,
    lastLoginAt: timeField(u.lastLogin),
    createdAt: timeField(u.created),
    mfa: factors === undefined ? undefined : oktaMfa(factors, authSource),
    origin: originOf(rec, pageCount),
  } satisfies IdentityUser);
}

function displayNameOf(p: OktaUser['profile']): string | null | undefined {
  const explicit = textField(p.displayName);
  if (explicit) return explicit;
  const joined = [p.firstName, p.lastName].filter((s) => typeof s === 'string' && s.trim() !== '').join(' ');
  if (joined !== '') return joined;
  return p.displayName === undefined && p.firstName === undefined && p.lastName === undefined ? undefined : null;
}

function authSourceOf(providerType: string | undefined): IdentityUser['authSource'] {
  const t = providerType?.toUpperCase() ?? '';
  if (FEDERATED_PROVIDERS.has(t)) return 'federated';
  return LOCAL_PROVIDERS.has(t) ? 'local' : 'unknown';
}

/** Roles part given: every listed role makes the user privileged; no entry = no role. Not given: absent. */
function privilegeOf(list: OktaRole[] | undefined, rolesGiven: boolean): Pick<IdentityUser, 'privileged' | 'roles'> {
  if (!rolesGiven) return {};
  const roles = [...new Set((list ?? []).map((r) => r.type))];
  return { privileged: roles.length > 0, roles };
}

/** Pages of a `user id → array` part, merged; a factor listed twice (same id) is kept once. */
function mergeById<T extends { id?: string }>(pages: readonly Page[] | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const page of pages ?? []) {
    for (const [userId, list] of Object.entries(page.value as Record<string, T[]>)) {
      const prev = out.get(userId) ?? [];
      const ids = new Set(prev.map((x) => x.id).filter((x) => x !== undefined));
      out.set(userId, [...prev, ...list.filter((x) => x.id === undefined || !ids.has(x.id))]);
    }
  }
  return out;
}

/** The Okta org (`example.okta.com`) from the first user's self link. */
function orgOf(pages: readonly Page[]): string | undefined {
  for (const rec of allRecords(pages, [])) {
    const href = (rec.value as unknown as OktaUser)._links?.self?.href;
    if (typeof href !== 'string') continue;
    try {
      return new URL(href).host || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
