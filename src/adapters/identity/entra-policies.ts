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
        applications: {
          type: ['object', 'null'],
          properties: {
            includeApplications: nullableStrings,
            excludeApplications: nullableStrings,
            includeUserActions: nullableStrings,
            includeAuthenticationContextClassReferences: nullableStrings,
            applicationFilter: { type: ['object', 'null'] },
          },
        },
        clientAppTypes: nullableStrings,
        locations: {
          type: ['object', 'null'],
          properties: { includeLocations: nullableStrings, excludeLocations: nullableStrings },
        },
        platforms: {
          type: ['object', 'null'],
          properties: { includePlatforms: nullableStrings, excludePlatforms: nullableStrings },
        },
        signInRiskLevels: nullableStrings,
        userRiskLevels: nullableStrings,
        insiderRiskLevels: {},
        devices: { type: ['object', 'null'], properties: { deviceFilter: { type: ['object', 'null'] } } },
        authenticationFlows: { type: ['object', 'null'], properties: { transferMethods: nullableString } },
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

interface Conditions {
  users?: UserConditions | null;
  applications?: {
    includeApplications?: string[] | null;
    excludeApplications?: string[] | null;
    includeUserActions?: string[] | null;
    includeAuthenticationContextClassReferences?: string[] | null;
    applicationFilter?: object | null;
  } | null;
  clientAppTypes?: string[] | null;
  locations?: { includeLocations?: string[] | null; excludeLocations?: string[] | null } | null;
  platforms?: { includePlatforms?: string[] | null; excludePlatforms?: string[] | null } | null;
  signInRiskLevels?: string[] | null;
  userRiskLevels?: string[] | null;
  insiderRiskLevels?: unknown;
  devices?: { deviceFilter?: object | null } | null;
  authenticationFlows?: { transferMethods?: string | null } | null;
}

interface CaPolicy {
  id: string;
  displayName?: string | null;
  state: string;
  conditions?: Conditions | null;
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
      part: rec.part,
      page: rec.page,
      pointer: `${rec.pointer}/state`,
    });
    return [];
  }
  const users = p.conditions?.users ?? {};
  return [
    {
      id: p.id,
      name: p.displayName ?? '',
      state,
      requiresMfa: requiresMfa(p.grantControls),
      appliesToAllUsers: (users.includeUsers ?? []).some((u) => u.toLowerCase() === 'all'),
      excludedUsers: excludedUsers(users),
      excludedRoles: [...(users.excludeRoles ?? [])],
      limitedTo: limitedTo(p.conditions ?? {}),
      origin: originOf(rec, pageCount),
    },
  ];
}

/**
 * The conditions that make a policy ask for MFA on only some sign-ins: some applications or user
 * actions (registering security info) instead of All, some locations, platforms, client apps,
 * risk levels, devices or flows. A policy limited by any of them does not make MFA mandatory for
 * everyone, however many users it includes. Graph always returns `applications`; without it the
 * policy's scope is unknown and it counts as limited too.
 */
function limitedTo(c: Conditions): string[] {
  const some = (list: string[] | null | undefined) => (list ?? []).length > 0;
  const only = (list: string[] | null | undefined, all: string) =>
    !some(list) || list!.every((x) => x.toLowerCase() === all);
  const apps = c.applications;
  const out: string[] = [];
  if (
    !apps ||
    !(apps.includeApplications ?? []).some((a) => a.toLowerCase() === 'all') ||
    some(apps.excludeApplications) ||
    some(apps.includeUserActions) ||
    some(apps.includeAuthenticationContextClassReferences) ||
    isObject(apps.applicationFilter)
  )
    out.push('applications');
  if (!only(c.clientAppTypes, 'all')) out.push('clientAppTypes');
  if (!only(c.locations?.includeLocations, 'all') || some(c.locations?.excludeLocations)) out.push('locations');
  if (!only(c.platforms?.includePlatforms, 'all') || some(c.platforms?.excludePlatforms)) out.push('platforms');
  if (some(c.signInRiskLevels)) out.push('signInRiskLevels');
  if (some(c.userRiskLevels)) out.push('userRiskLevels');
  if (c.insiderRiskLevels !== undefined && c.insiderRiskLevels !== null && c.insiderRiskLevels !== '')
    out.push('insiderRiskLevels');
  if (isObject(c.devices?.deviceFilter)) out.push('devices');
  if (c.authenticationFlows?.transferMethods) out.push('authenticationFlows');
  return out;
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
    builtIns.filter((c) => c !== 'mfa').length +
    (grant.termsOfUse?.length ?? 0) +
    (grant.customAuthenticationFactors?.length ?? 0);
  return !(grant.operator?.toUpperCase() === 'OR' && alternatives > 0);
}

/** Users by id (and the special `GuestsOrExternalUsers`), groups as `group:<id>`, guest kinds as `guestType:<kind>`. */
function excludedUsers(users: UserConditions): string[] {
  const guestTypes = users.excludeGuestsOrExternalUsers?.guestOrExternalUserTypes ?? '';
  return [
    ...(users.excludeUsers ?? []),
    ...(users.excludeGroups ?? []).map((g) => `group:${g}`),
    ...guestTypes
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map((t) => `guestType:${t}`),
  ];
}
