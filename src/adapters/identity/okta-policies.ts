/**
 * Okta's Policy API → canonical identity policies: the optional `policies` part of the okta
 * source, each page `GET /api/v1/policies?type=OKTA_SIGN_ON&expand=rules` or
 * `?type=ACCESS_POLICY&expand=rules` (a bare array of policies, each with its rules in
 * `_embedded.rules`; a `rules` array on the policy — `GET /api/v1/policies/{id}/rules` merged by
 * the exporter — is read too).
 *
 * Okta evaluates first-match: policies of a type in priority order, the first whose people
 * condition fits the user, then its rules in priority order, the first whose conditions fit the
 * sign-in. The canonical model is "some policy covers the user", so every rule becomes one
 * canonical policy (`<policy id>/<rule id>`, named `<policy> / <rule>`) and what first-match
 * takes away from a rule is written into it:
 * - an ACTIVE rule earlier in the evaluation order that lets people in without MFA (ALLOW without
 *   `requireFactor`, or an app sign-in rule that is not `2FA`) keeps its people away from every
 *   later rule: when it targets groups or users (its own, or its policy's assignment) they are
 *   excluded from the later rules (`group:<id>`, user ids); when it targets everyone under some
 *   condition (a network zone, a risk level) the later rules are limited by it
 *   (`earlierRule:<policy> / <rule>` in `limitedTo`); DENY rules let nobody in and take nothing.
 *   Global session (OKTA_SIGN_ON) policies form one chain; each app sign-in (ACCESS_POLICY)
 *   policy is its own chain (it governs only the apps mapped to it);
 * - state: `enforced` when the policy and the rule are both ACTIVE, `disabled` when either is
 *   INACTIVE (Okta has no report-only mode); any other status → the rule is skipped, with a
 *   warning, and treated as letting its people in without MFA (it may be active);
 * - requiresMfa: sign-on `actions.signon.access: ALLOW` with `requireFactor: true`; app sign-in
 *   `actions.appSignOn.access: ALLOW` with `verificationMethod.factorMode: 2FA` (an authentication
 *   method chain, or no factor mode, is judged not to require MFA);
 * - appliesToAllUsers: the rule names no people to include, and its policy is the Default Policy
 *   (`system: true`, assigned to Everyone) or names no group. A policy assigned to groups is not
 *   for all users, Everyone included: the Policy API gives the group's id, not that it is Everyone;
 * - excludedUsers: the policy's and the rule's `people.users.exclude` (ids) and
 *   `people.groups.exclude` (`group:<id>`), plus what earlier rules took (above);
 * - limitedTo: app sign-in policies are always `applications` (they govern only their apps);
 *   network zones → `locations`; `authContext` other than ANY → `authContext`; risk levels and
 *   behaviours → `riskLevels`, `riskBehaviors`; `identityProvider`, `devices`, `platforms`,
 *   `userTypes`, Okta expression language conditions → `expression`; any
 *   other condition we do not read → `other:<name>` (never silently ignored);
 * - excludedRoles: always empty (Okta policies do not scope by admin role).
 * Other policy types (MFA_ENROLL, PASSWORD, IDP_DISCOVERY…) decide enrolment or recovery, not
 * whether a sign-in demands MFA: skipped with one warning. A policy without rules in the export
 * cannot evidence anything: skipped with a warning, its people taken from later rules.
 */
import type { IdentityPolicy } from '../../schemas/canonical-types.js';
import { allRecords, type Record_ } from '../common/envelope.js';
import type { Page, Warning } from '../types.js';
import { isObject } from './fields.js';

const nullableStrings = { type: ['array', 'null'], items: { type: 'string' } } as const;
const people = {
  type: ['object', 'null'],
  properties: {
    users: { type: ['object', 'null'], properties: { include: nullableStrings, exclude: nullableStrings } },
    groups: { type: ['object', 'null'], properties: { include: nullableStrings, exclude: nullableStrings } },
  },
} as const;

const ruleSchema = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    id: { type: 'string', minLength: 1 },
    status: { type: 'string' },
    name: { type: ['string', 'null'] },
    priority: { type: ['number', 'null'] },
    conditions: { type: ['object', 'null'], properties: { people } },
    actions: {
      type: ['object', 'null'],
      properties: {
        signon: {
          type: ['object', 'null'],
          properties: { access: { type: ['string', 'null'] }, requireFactor: { type: ['boolean', 'null'] } },
        },
        appSignOn: {
          type: ['object', 'null'],
          properties: {
            access: { type: ['string', 'null'] },
            verificationMethod: {
              type: ['object', 'null'],
              properties: { type: { type: ['string', 'null'] }, factorMode: { type: ['string', 'null'] } },
            },
          },
        },
      },
    },
  },
} as const;

export const oktaPoliciesSchema = {
  $id: 'posture:vendor/okta/policies',
  type: 'array',
  description: 'GET /api/v1/policies?type=OKTA_SIGN_ON|ACCESS_POLICY&expand=rules',
  items: {
    type: 'object',
    required: ['id', 'status', 'type'],
    properties: {
      id: { type: 'string', minLength: 1 },
      status: { type: 'string' },
      type: { type: 'string' },
      name: { type: ['string', 'null'] },
      priority: { type: ['number', 'null'] },
      system: { type: ['boolean', 'null'] },
      conditions: { type: ['object', 'null'], properties: { people } },
      _embedded: { type: ['object', 'null'], properties: { rules: { type: 'array', items: ruleSchema } } },
      rules: { type: 'array', items: ruleSchema },
    },
  },
} as const;

interface People {
  users?: { include?: string[] | null; exclude?: string[] | null } | null;
  groups?: { include?: string[] | null; exclude?: string[] | null } | null;
}

interface OktaRule {
  id: string;
  status: string;
  name?: string | null;
  priority?: number | null;
  conditions?: ({ people?: People | null } & Record<string, unknown>) | null;
  actions?: {
    signon?: { access?: string | null; requireFactor?: boolean | null } | null;
    appSignOn?: {
      access?: string | null;
      verificationMethod?: { type?: string | null; factorMode?: string | null } | null;
    } | null;
  } | null;
}

interface OktaPolicy {
  id: string;
  status: string;
  type: string;
  name?: string | null;
  priority?: number | null;
  system?: boolean | null;
  conditions?: { people?: People | null } | null;
  _embedded?: { rules?: OktaRule[] } | null;
  rules?: OktaRule[];
}

type Kind = 'signOn' | 'access';
const KINDS = new Map<string, Kind>([
  ['OKTA_SIGN_ON', 'signOn'],
  ['ACCESS_POLICY', 'access'],
]);

/** What earlier rules of the chain took away from the later ones. */
interface Taken {
  excluded: string[];
  limited: string[];
}

export function oktaPolicies(pages: readonly Page[], warnings: Warning[]): IdentityPolicy[] {
  const records = allRecords(pages, []);
  const ignored = new Map<string, number>();
  const signOn: Record_[] = [];
  const access: Record_[] = [];
  for (const rec of records) {
    const type = (rec.value as unknown as OktaPolicy).type.toUpperCase();
    const kind = KINDS.get(type);
    if (kind === 'signOn') signOn.push(rec);
    else if (kind === 'access') access.push(rec);
    else ignored.set(type, (ignored.get(type) ?? 0) + 1);
  }
  if (ignored.size > 0) {
    const list = [...ignored].map(([t, n]) => `${n} ${t}`).join(', ');
    warnings.push({
      code: 'policy_type_ignored',
      part: 'policies',
      message: `${list} polic(ies) skipped: only global session (OKTA_SIGN_ON) and app sign-in (ACCESS_POLICY) policies decide whether a sign-in demands MFA`,
    });
  }
  const out: IdentityPolicy[] = [];
  chain(byPriority(signOn), 'signOn', pages.length, warnings, out);
  for (const rec of byPriority(access)) chain([rec], 'access', pages.length, warnings, out);
  return out;
}

/** Priority order (1 first); no priority → after those with one, in export order. */
function byPriority(recs: Record_[]): Record_[] {
  const p = (r: Record_) => (r.value as unknown as OktaPolicy).priority ?? Number.POSITIVE_INFINITY;
  return recs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => p(a.r) - p(b.r) || a.i - b.i)
    .map((x) => x.r);
}

function rulesByPriority(rules: OktaRule[]): { rule: OktaRule; index: number }[] {
  const p = (r: OktaRule) => r.priority ?? Number.POSITIVE_INFINITY;
  return rules.map((rule, index) => ({ rule, index })).sort((a, b) => p(a.rule) - p(b.rule) || a.index - b.index);
}

function chain(recs: Record_[], kind: Kind, pageCount: number, warnings: Warning[], out: IdentityPolicy[]): void {
  const taken: Taken = { excluded: [], limited: [] };
  for (const rec of recs) {
    const p = rec.value as unknown as OktaPolicy;
    const policyName = p.name ?? p.id;
    const policyStatus = statusOf(p.status);
    const embedded = Array.isArray(p._embedded?.rules);
    const rules = embedded ? p._embedded!.rules! : p.rules;
    const policyScope = scopeOf(p.conditions?.people);
    const policyForAll = p.system === true || policyScope.included.length === 0;
    const where = (pointer: string) => ({ part: rec.part, page: rec.page, pointer: `${rec.pointer}${pointer}` });
    if (policyStatus === undefined) {
      warnings.push({
        code: 'unknown_policy_status',
        message: `Okta policy ${p.id} has status ${JSON.stringify(p.status)}, which is not known: policy skipped, its people taken from later rules`,
        ...where('/status'),
      });
      take(taken, policyForAll, policyScope.included, `${policyName} (status unknown)`);
      continue;
    }
    if (rules === undefined) {
      warnings.push({
        code: 'policy_rules_missing',
        message: `Okta policy ${p.id} comes without its rules (export it with ?expand=rules): policy skipped${policyStatus ? ', its people taken from later rules' : ''}`,
        ...where(''),
      });
      if (policyStatus) take(taken, policyForAll, policyScope.included, `${policyName} (rules not exported)`);
      continue;
    }
    const base = embedded ? '/_embedded/rules' : '/rules';
    for (const { rule, index } of rulesByPriority(rules)) {
      const name = `${policyName} / ${rule.name ?? rule.id}`;
      const ruleStatus = statusOf(rule.status);
      if (ruleStatus === undefined) {
        warnings.push({
          code: 'unknown_policy_status',
          message: `Okta policy rule ${p.id}/${rule.id} has status ${JSON.stringify(rule.status)}, which is not known: rule skipped, its people taken from later rules`,
          ...where(`${base}/${index}/status`),
        });
        if (policyStatus) take(taken, policyForAll, policyScope.included, `${name} (status unknown)`);
        continue;
      }
      const enforced = policyStatus && ruleStatus;
      const ruleScope = scopeOf(rule.conditions?.people);
      const forAll = policyForAll && ruleScope.included.length === 0;
      out.push({
        id: `${p.id}/${rule.id}`,
        name,
        state: enforced ? 'enforced' : 'disabled',
        requiresMfa: requiresMfa(rule, kind),
        appliesToAllUsers: forAll,
        excludedUsers: unique([...policyScope.excluded, ...ruleScope.excluded, ...taken.excluded]),
        excludedRoles: [],
        limitedTo: unique([...(kind === 'access' ? ['applications'] : []), ...conditionsOf(rule), ...taken.limited]),
        origin: {
          part: rec.part,
          ...(pageCount > 1 ? { page: rec.page } : {}),
          pointer: `${rec.pointer}${base}/${index}`,
        },
      });
      if (enforced && letsInWithoutMfa(rule, kind)) {
        const who = ruleScope.included.length > 0 ? ruleScope.included : policyScope.included;
        take(taken, forAll, who, name);
      }
    }
  }
}

/** People an earlier rule lets in without MFA never reach the later rules. */
function take(taken: Taken, forAll: boolean, who: string[], name: string): void {
  if (forAll || who.length === 0) taken.limited.push(`earlierRule:${name}`);
  else taken.excluded.push(...who);
}

function statusOf(status: string): boolean | undefined {
  const s = status.toUpperCase();
  if (s === 'ACTIVE') return true;
  if (s === 'INACTIVE') return false;
  return undefined;
}

/** Included and excluded people: user ids as they are, groups as `group:<id>`. */
function scopeOf(p: People | null | undefined): { included: string[]; excluded: string[] } {
  const g = (ids: string[] | null | undefined) => (ids ?? []).map((id) => `group:${id}`);
  return {
    included: [...(p?.users?.include ?? []), ...g(p?.groups?.include)],
    excluded: [...(p?.users?.exclude ?? []), ...g(p?.groups?.exclude)],
  };
}

function requiresMfa(rule: OktaRule, kind: Kind): boolean {
  if (kind === 'signOn') {
    const s = rule.actions?.signon;
    return s?.access?.toUpperCase() === 'ALLOW' && s.requireFactor === true;
  }
  const a = rule.actions?.appSignOn;
  return a?.access?.toUpperCase() === 'ALLOW' && a.verificationMethod?.factorMode?.toUpperCase() === '2FA';
}

/** Anything but an explicit DENY, without MFA required, may let someone in on one factor. */
function letsInWithoutMfa(rule: OktaRule, kind: Kind): boolean {
  const access = (kind === 'signOn' ? rule.actions?.signon?.access : rule.actions?.appSignOn?.access)?.toUpperCase();
  return access !== 'DENY' && !requiresMfa(rule, kind);
}

const ANY = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.toUpperCase() === 'ANY');
const some = (v: unknown) => Array.isArray(v) && v.length > 0;

/** The rule's conditions that make it apply to only some sign-ins (its people aside). */
function conditionsOf(rule: OktaRule): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(rule.conditions ?? {})) {
    if (key === 'people' || value === null || value === undefined) continue;
    const c = isObject(value) ? value : {};
    let limited: boolean;
    switch (key) {
      case 'network':
        limited = !(c.connection === undefined || c.connection === null || /^anywhere$/i.test(String(c.connection)));
        limited ||= some(c.include) || some(c.exclude);
        out.push(...(limited ? ['locations'] : []));
        continue;
      case 'authContext':
        limited = !ANY(c.authType);
        break;
      case 'riskScore':
        limited = !ANY(c.level);
        out.push(...(limited ? ['riskLevels'] : []));
        continue;
      case 'risk':
        limited = some(c.behaviors);
        out.push(...(limited ? ['riskBehaviors'] : []));
        continue;
      case 'identityProvider':
        limited = !ANY(c.provider);
        break;
      case 'platform':
        limited = some(c.include) || some(c.exclude);
        out.push(...(limited ? ['platforms'] : []));
        continue;
      case 'userType':
        limited = some(c.include) || some(c.exclude);
        out.push(...(limited ? ['userTypes'] : []));
        continue;
      case 'device':
        limited = Object.values(c).some((v) => v !== null && v !== undefined && v !== false && !ANY(v));
        out.push(...(limited ? ['devices'] : []));
        continue;
      case 'elCondition':
        limited = typeof c.condition === 'string' && c.condition.trim() !== '';
        out.push(...(limited ? ['expression'] : []));
        continue;
      default:
        out.push(`other:${key}`);
        continue;
    }
    if (limited) out.push(key);
  }
  return out;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
