/**
 * Entra conditional access policies (`GET /identity/conditionalAccess/policies`) → canonical
 * identity policies: whether an enforced policy makes users do MFA, and who it leaves out.
 */
import type { IdentityPolicy } from '../../schemas/canonical-types.js';
import { originOf, type Record_ } from '../common/envelope.js';
import type { Warning } from '../types.js';
import { isObject } from './fields.js';

const nullableString = { type: ['string', 'null'] } as const;
const nullableStrings = { type: ['array', 'null'], items: { type: 'string' } } as const;

/** The fields of one conditional access policy that the adapter reads. */
export const caPolicySchema = {
  type: 'object',
  required: ['id', 'state'],
  properties: {
    id: { type: 'string', minLength: 1 },
    displayName: nullableString,
    state: { type: 'string' },
    conditions: {
      type: ['object', 'null'],
      properties: {
        users: {
          type: ['object', 'null'],
          properties: {
            includeUsers: nullableStrings,
            excludeUsers: nullableStrings,
            excludeGroups: nullableStrings,
            excludeRoles: nullableStrings,
            excludeGuestsOrExternalUsers: {
              type: ['object', 'null'],
              properties: { guestOrExternalUserTypes: nullableString },
            },
          },
        },
      },
    },
    grantControls: {
      type: ['object', 'null'],
      properties: {
        operator: nullableString,
        builtInControls: nullableStrings,
        authenticationStrength: { type: ['object', 'null'] },
        termsOfUse: nullableStrings,
        customAuthenticationFactors: nullableStrings,
      },
    },
  },
} as const;

interface UserConditions {
  includeUsers?: string[] | null;
  excludeUsers?: string[] | null;
  excludeGroups?: string[] | null;
  excludeRoles?: string[] | null;
  excludeGuestsOrExternalUsers?: { guestOrExternalUserTypes?: string | null } | null;
}

interface GrantControls {
  operator?: string | null;
  builtInControls?: string[] | null;
  authenticationStrength?: object | null;
  termsOfUse?: string[] | null;
  customAuthenticationFactors?: string[] | null;
}

interface CaPolicy {
  id: string;
  displayName?: string | null;
  state: string;
  conditions?: { users?: UserConditions | null } | null;
  grantControls?: GrantControls | null;
}

const STATE = new Map<string, IdentityPolicy['state']>([
  ['enabled', 'enforced'],
  ['enabledforreportingbutnotenforced', 'report_only'],
  ['disabled', 'disabled'],
]);

/**
 * One policy, or none when its state is one we do not know: the canonical state has no
 * `unknown`, and guessing `enforced` could pass an MFA rule on a policy that enforces nothing.
 */
export function toPolicy(rec: Record_, pageCount: number, warnings: Warning[]): IdentityPolicy[] {
  const p = rec.value as unknown as CaPolicy;
  const state = STATE.get(p.state.toLowerCase());
  if (state === undefined) {
    warnings.push({
      code: 'unknown_policy_state',
      message: `conditional access policy ${p.id} has state ${JSON.stringify(p.state)}, which is not known: policy skipped`,
      part: rec.part, page: rec.page, pointer: `${rec.pointer}/state`,
    });
    return [];
  }
  const users = p.conditions?.users ?? {};
  return [{
    id: p.id,
    name: p.displayName ?? '',
    state,
    requiresMfa: requiresMfa(p.grantControls),
    appliesToAllUsers: (users.includeUsers ?? []).some((u) => u.toLowerCase() === 'all'),
    excludedUsers: excludedUsers(users),
    excludedRoles: [...(users.excludeRoles ?? [])],
    origin: originOf(rec, pageCount),
  }];
}

/**
 * MFA comes from the `mfa` control or an authentication strength. With `OR`, any other control
 * (compliant device, approved app, terms of use…) is a way in without MFA, so MFA is not required;
 * `block` lets nobody in and is not an MFA policy.
 */
export function requiresMfa(grant: GrantControls | null | undefined): boolean {
  if (!grant) return false;
  const builtIns = (grant.builtInControls ?? []).map((c) => c.toLowerCase());
  if (builtIns.includes('block')) return false;
  const mfa = builtIns.includes('mfa') || isObject(grant.authenticationStrength);
  if (!mfa) return false;
  const alternatives =
    builtIns.filter((c) => c !== 'mfa').length + (grant.termsOfUse?.length ?? 0) + (grant.customAuthenticationFactors?.length ?? 0);
  return !(grant.operator?.toUpperCase() === 'OR' && alternatives > 0);
}

/** Users by id (and the special `GuestsOrExternalUsers`), groups as `group:<id>`, guest kinds as `guestType:<kind>`. */
function excludedUsers(users: UserConditions): string[] {
  const guestTypes = users.excludeGuestsOrExternalUsers?.guestOrExternalUserTypes ?? '';
  return [
    ...(users.excludeUsers ?? []),
    ...(users.excludeGroups ?? []).map((g) => `group:${g}`),
    ...guestTypes.split(',').map((t) => t.trim()).filter((t) => t !== '').map((t) => `guestType:${t}`),
  ];
}
