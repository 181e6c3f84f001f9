/**
 * Microsoft Entra ID through Graph: the authentication-methods registration report
 * (`/reports/authenticationMethods/userRegistrationDetails`), optionally the conditional access
 * policies and `/users` (account state, sign-in activity). Each part is an OData page
 * (`value`, `@odata.nextLink`) or a bare array. The report says what is registered, not what is
 * enforced, and carries no account state: status and last login come only from `users`.
 */
import type { IdentityPolicy, IdentityUser, Mfa } from '../../schemas/canonical-types.js';
import { allRecords, originOf, type Record_ } from '../common/envelope.js';
import { looksShared } from '../common/shared-accounts.js';
import { AdapterInputError, type Adapter, type Page, type Warning } from '../types.js';
import { methodFactors } from './entra-methods.js';
import { caPolicySchema, toPolicy } from './entra-policies.js';
import { defined, isObject, textField, timeField } from './fields.js';

interface Registration {
  id: string;
  userPrincipalName: string;
  userDisplayName?: string | null;
  userType?: string | null;
  isAdmin?: boolean | null;
  isMfaRegistered?: boolean | null;
  methodsRegistered?: string[] | null;
}

interface DirectoryUser {
  id: string;
  accountEnabled?: boolean | null;
  userType?: string | null;
  mail?: string | null;
  createdDateTime?: string | null;
  signInActivity?: { lastSignInDateTime?: string | null; lastSuccessfulSignInDateTime?: string | null } | null;
}

const nullableString = { type: ['string', 'null'] } as const;
const nullableBoolean = { type: ['boolean', 'null'] } as const;
const nullableStrings = { type: ['array', 'null'], items: { type: 'string' } } as const;

/** An OData page (`value`, or a Graph `error` the adapter reports) or a bare array of `item`. */
function odata(id: string, item: object) {
  return {
    $id: id,
    type: ['array', 'object'],
    items: item,
    properties: {
      value: { type: 'array', items: item },
      '@odata.nextLink': { type: 'string' },
      error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    },
    if: { properties: { error: true }, required: ['error'] },
    else: { properties: { value: true }, required: ['value'] },
  } as const;
}

const registrationSchema = {
  type: 'object',
  required: ['id', 'userPrincipalName'],
  properties: {
    id: { type: 'string', minLength: 1 },
    userPrincipalName: { type: 'string' },
    userDisplayName: nullableString,
    userType: nullableString,
    isAdmin: nullableBoolean,
    isMfaRegistered: nullableBoolean,
    methodsRegistered: nullableStrings,
    userPreferredMethodForSecondaryAuthentication: nullableString,
    systemPreferredAuthenticationMethods: nullableStrings,
  },
} as const;

const directoryUserSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1 },
    accountEnabled: nullableBoolean,
    userType: nullableString,
    mail: nullableString,
    createdDateTime: nullableString,
    signInActivity: {
      type: ['object', 'null'],
      properties: { lastSignInDateTime: nullableString, lastSuccessfulSignInDateTime: nullableString },
    },
  },
} as const;

export const entraAdapter: Adapter<'identity'> = {
  kind: 'identity',
  source: 'entra',
  bodyPart: 'registrations',
  parts: [
    {
      name: 'registrations',
      format: 'json',
      required: true,
      schema: odata('posture:vendor/entra/registrations', registrationSchema),
      description: 'GET /reports/authenticationMethods/userRegistrationDetails (one part per page)',
    },
    {
      name: 'policies',
      format: 'json',
      required: false,
      schema: odata('posture:vendor/entra/policies', caPolicySchema),
      description: 'GET /identity/conditionalAccess/policies',
    },
    {
      name: 'users',
      format: 'json',
      required: false,
      schema: odata('posture:vendor/entra/users', directoryUserSchema),
      description: 'GET /users?$select=id,accountEnabled,userType,mail,createdDateTime,signInActivity',
    },
  ],
  normalize(input) {
    const warnings: Warning[] = [];
    const registrations = readablePages(input.parts.registrations, true, warnings) ?? [];
    const userPages = readablePages(input.parts.users, false, warnings);
    const policyPages = readablePages(input.parts.policies, false, warnings);
    const directory = userPages && indexDirectory(userPages);
    const users = toUsers(registrations, directory, warnings);
    const policies: IdentityPolicy[] | undefined =
      policyPages && allRecords(policyPages, ['value']).flatMap((rec) => toPolicy(rec, policyPages.length, warnings));
    for (const pages of [registrations, userPages, policyPages]) warnings.push(...truncation(pages));
    return { document: defined({ users, policies }), warnings };
  },
};

function toUsers(
  pages: Page[],
  directory: Map<string, DirectoryUser> | undefined,
  warnings: Warning[],
): IdentityUser[] {
  const seen = new Set<string>();
  const users: IdentityUser[] = [];
  for (const rec of allRecords(pages, ['value'])) {
    const id = (rec.value as unknown as Registration).id;
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
    if (directory && !directory.has(id)) {
      warnings.push({
        code: 'user_missing',
        message: `user ${id} is not in the users part: status and last sign-in unknown`,
        ...where,
      });
    }
    users.push(toUser(rec, pages.length, directory?.get(id)));
  }
  warnings.push(...emptyTimes(directory));
  const attemptsOnly = [...(directory?.values() ?? [])].filter(
    (d) => isObject(d.signInActivity) && !('lastSuccessfulSignInDateTime' in d.signInActivity),
  ).length;
  if (attemptsOnly > 0) {
    warnings.push({
      code: 'no_successful_sign_in_time',
      part: 'users',
      message: `${attemptsOnly} user(s) have signInActivity without lastSuccessfulSignInDateTime: their last sign-in is unknown (lastSignInDateTime counts failed attempts too)`,
    });
  }
  return users;
}

/**
 * Guests sign in (and do MFA) at their home tenant: `federated`, and their local registration
 * says nothing. Graph leaves `createdDateTime` null for accounts created before it recorded it,
 * so null there is unknown, not "never created".
 */
function toUser(rec: Record_, pageCount: number, d: DirectoryUser | undefined): IdentityUser {
  const r = rec.value as unknown as Registration;
  const userType = (r.userType ?? d?.userType)?.toLowerCase();
  const guest = userType === 'guest';
  const names = { username: r.userPrincipalName, email: textField(d?.mail), displayName: textField(r.userDisplayName) };
  let accountType: IdentityUser['accountType'] = userType === 'member' ? 'human' : 'unknown';
  if (guest) accountType = 'guest';
  else if (looksShared(names)) accountType = 'shared';
  return defined({
    id: r.id,
    source: 'entra',
    ...names,
    status: statusOf(d),
    accountType,
    privileged: typeof r.isAdmin === 'boolean' ? r.isAdmin : undefined,
    authSource: guest ? 'federated' : userType === 'member' ? 'local' : 'unknown',
    lastLoginAt: lastSuccess(d),
    createdAt: d?.createdDateTime === null ? undefined : timeField(d?.createdDateTime),
    mfa: mfaOf(r, guest),
    origin: originOf(rec, pageCount),
  } satisfies IdentityUser);
}

/**
 * The last SUCCESSFUL sign-in (interactive or not). `lastSignInDateTime` records attempts whether
 * they succeeded or not (Graph's signInActivity docs): a dormant account under a password spray
 * would look in use. Graph has kept the successful time since December 2023 without backfill, so
 * null there means none since then — dormant by any limit in the packs. Without the field at all
 * the time is unknown (a warning says so).
 */
function lastSuccess(d: DirectoryUser | undefined): string | null | undefined {
  if (!isObject(d?.signInActivity) || !('lastSuccessfulSignInDateTime' in d.signInActivity)) return undefined;
  return timeField(d.signInActivity.lastSuccessfulSignInDateTime);
}

/**
 * Graph exports (and the PowerShell that saves them) sometimes write a time as `""`. An empty
 * string is no time: the field is absent (unknown), never null (which would say "never signed
 * in" and make the account dormant), and one warning per field counts the users.
 */
function emptyTimes(directory: Map<string, DirectoryUser> | undefined): Warning[] {
  const fields = [
    [
      'signInActivity/lastSuccessfulSignInDateTime',
      (d: DirectoryUser) => d.signInActivity?.lastSuccessfulSignInDateTime,
    ],
    ['createdDateTime', (d: DirectoryUser) => d.createdDateTime],
  ] as const;
  const out: Warning[] = [];
  for (const [field, read] of fields) {
    const n = [...(directory?.values() ?? [])].filter((d) => {
      const v = read(d);
      return typeof v === 'string' && v.trim() === '';
    }).length;
    if (n === 0) continue;
    out.push({
      code: 'empty_timestamp',
      part: 'users',
      message: `${n} user(s) have an empty string as ${field}: left absent (unknown), not read as "never"`,
    });
  }
  return out;
}

function statusOf(d: DirectoryUser | undefined): IdentityUser['status'] {
  if (typeof d?.accountEnabled !== 'boolean') return 'unknown';
  return d.accountEnabled ? 'active' : 'inactive';
}

function mfaOf(r: Registration, guest: boolean): Mfa | undefined {
  let registered = typeof r.isMfaRegistered === 'boolean' ? r.isMfaRegistered : undefined;
  if (guest && registered === false) registered = undefined;
  const mfa = defined({ registered, factors: r.methodsRegistered ? methodFactors(r.methodsRegistered) : undefined });
  return Object.keys(mfa).length > 0 ? mfa : undefined;
}

function indexDirectory(pages: Page[]): Map<string, DirectoryUser> {
  const out = new Map<string, DirectoryUser>();
  for (const rec of allRecords(pages, ['value'])) {
    const u = rec.value as unknown as DirectoryUser;
    if (!out.has(u.id)) out.set(u.id, u);
  }
  return out;
}

/**
 * Pages without Graph error bodies. A Graph error (e.g. no Entra ID P1/P2 licence) means the data
 * is unavailable, not that the tenant fails: 422 for the report itself, a warning (part ignored)
 * for the optional parts.
 */
function readablePages(pages: Page[] | undefined, required: boolean, warnings: Warning[]): Page[] | undefined {
  if (!pages) return undefined;
  const failed = pages.find((p) => isObject(p.value) && isObject(p.value.error));
  if (!failed) return pages;
  const error = (failed.value as { error: { code?: string; message?: string } }).error;
  const message =
    `Graph returned an error instead of data: ${error.code ?? 'unknown code'}: ${error.message ?? ''}`.trim();
  const where = { part: failed.part, page: failed.page, pointer: '/error' };
  if (required) throw new AdapterInputError(422, [{ message, ...where }]);
  warnings.push({ code: 'graph_error', message: `${message}; part ignored`, ...where });
  return undefined;
}

/** A last page that still names a next link: the export stopped early. */
function truncation(pages: Page[] | undefined): Warning[] {
  const last = pages?.[pages.length - 1];
  if (!last || !isObject(last.value) || typeof last.value['@odata.nextLink'] !== 'string') return [];
  return [
    {
      code: 'incomplete_export',
      message: `the last page of part "${last.part}" has an @odata.nextLink: later pages are missing`,
      part: last.part,
      page: last.page,
      pointer: '/@odata.nextLink',
    },
  ];
}
