/**
 * Kaseya VSA 9 users: `GET api/v1.0/system/users` (`{Result[], TotalRecords, ResponseCode, Status,
 * Error}` or a bare array, one part per page). The endpoint exposes no MFA, last login or disabled
 * state: `mfa` and `lastLoginAt` stay absent and `status` is `unknown`.
 *
 * Role and scope names are not in the API record; the VSA PowerShell module's
 * `Get-VSAUser -ResolveIDs` adds them as `AdminRoles` and `AdminScopes`, and they are read when present:
 * the built-in `Master` role makes a user privileged, the `Master` scope reaches every client.
 */
import type { Technician } from '../../schemas/canonical-types.js';
import { allRecords, originOf } from '../common/envelope.js';
import { looksShared } from '../common/shared-accounts.js';
import { defined, isObject, textField } from '../identity/fields.js';
import { AdapterInputError, type Adapter, type Page, type Warning } from '../types.js';
import { buildClientMap, mapClientIds, type ClientMap } from './client-map.js';

const SOURCE = 'kaseya-vsa';
const MASTER = 'master';
const str = { type: ['string', 'null'] } as const;
const id = { type: ['integer', 'string'], minLength: 1 } as const;
const ids = { type: ['array', 'null'], items: id } as const;

const userSchema = {
  type: 'object',
  required: ['UserId'],
  properties: {
    UserId: id,
    AdminName: str,
    FirstName: str,
    LastName: str,
    Email: str,
    AdminRoleIds: ids,
    AdminScopeIds: ids,
    AdminRoles: { type: ['array', 'null'], items: { type: ['string', 'object'] } },
    AdminScopes: { type: ['array', 'string', 'null'], items: { type: 'string' } },
  },
} as const;

const usersSchema = {
  $id: 'posture:vendor/kaseya-vsa/users',
  anyOf: [
    { type: 'array', items: userSchema },
    {
      type: 'object',
      properties: {
        Result: { type: ['array', 'null'], items: userSchema },
        TotalRecords: { type: ['integer', 'null'] },
        ResponseCode: { type: ['integer', 'string', 'null'] },
        Status: str,
        Error: str,
      },
      // an error answer may carry no Result; it is refused in normalize, naming its Error
      anyOf: [
        { required: ['Result'], properties: { Result: true } },
        { required: ['ResponseCode'], properties: { ResponseCode: true } },
      ],
    },
  ],
} as const;

type VsaId = number | string;

interface VsaUser {
  UserId: VsaId;
  AdminName?: string | null;
  FirstName?: string | null;
  LastName?: string | null;
  Email?: string | null;
  AdminRoleIds?: VsaId[] | null;
  AdminScopeIds?: VsaId[] | null;
  AdminRoles?: (string | Record<string, unknown>)[] | null;
  AdminScopes?: string[] | string | null;
}

/** Kaseya VSA users → technicians; an error answer on any page is refused (422) naming its Error. */
export const kaseyaVsaAdapter: Adapter<'technicians'> = {
  kind: 'technicians',
  source: SOURCE,
  bodyPart: 'body',
  parts: [
    {
      name: 'body',
      format: 'json',
      required: true,
      schema: usersSchema,
      description:
        'GET api/v1.0/system/users ({Result[], TotalRecords, ResponseCode, Status, Error} or bare array; one part per page)',
    },
  ],
  normalize({ parts, context }) {
    const pages = parts.body ?? [];
    pages.forEach(assertOk);
    const clients = buildClientMap(context.clients, SOURCE);
    const warnings: Warning[] = [];
    const technicians = allRecords(pages, ['Result']).map((rec) =>
      toTechnician(rec.value as unknown as VsaUser, originOf(rec, pages.length), clients, warnings),
    );
    const missing = incomplete(pages, technicians.length);
    if (missing) warnings.push(missing);
    return { document: { technicians }, warnings };
  },
};

function toTechnician(u: VsaUser, origin: Technician['origin'], clients: ClientMap, warnings: Warning[]): Technician {
  const name = [u.FirstName, u.LastName].filter((s) => typeof s === 'string' && s.trim() !== '').join(' ');
  const email = textField(u.Email);
  const roleNames = namesOf(u.AdminRoles);
  return defined<Technician>({
    id: String(u.UserId),
    source: SOURCE,
    name: name || u.AdminName || String(u.UserId),
    email,
    status: 'unknown',
    shared: looksShared({ username: u.AdminName, email, displayName: name }),
    // only the built-in Master role is known to be all-powerful; other roles are custom function sets
    privileged: roleNames?.some(isMaster) ? true : undefined,
    roles: roleNames ?? u.AdminRoleIds?.map(String),
    clientAccess: clientAccessOf(u, origin, clients, warnings),
    origin,
  });
}

/**
 * `["*"]` for the Master scope; else the clients whose `externalRefs["kaseya-vsa"]` is one of the
 * user's scope ids (unmapped ones are warnings). When none of the scopes maps, the user still
 * reaches something we cannot name, so the answer is null ("may reach"), not `[]`.
 */
function clientAccessOf(
  u: VsaUser,
  origin: Technician['origin'],
  clients: ClientMap,
  warnings: Warning[],
): string[] | null {
  const scopeNames = typeof u.AdminScopes === 'string' ? [u.AdminScopes] : u.AdminScopes;
  if (scopeNames?.some(isMaster)) return ['*'];
  const scopeIds = u.AdminScopeIds;
  if (!scopeIds) return null;
  const at = { ...origin, pointer: origin.pointer === undefined ? undefined : `${origin.pointer}/AdminScopeIds` };
  const slugs = mapClientIds(scopeIds, clients, { source: SOURCE, noun: 'scope', at }, warnings);
  return slugs.length === 0 && scopeIds.length > 0 ? null : slugs;
}

/** Role names from `AdminRoles` (strings, or role objects with `RoleName`); undefined when not resolved. */
function namesOf(roles: VsaUser['AdminRoles']): string[] | undefined {
  if (!roles) return undefined;
  const names = roles
    .map((r) => (typeof r === 'string' ? r : r.RoleName))
    .filter((n): n is string => typeof n === 'string');
  return names.length === roles.length ? names : undefined;
}

function isMaster(name: string): boolean {
  return name.trim().toLowerCase() === MASTER;
}

/** A VSA error answer (ResponseCode ≠ 0 or Status ≠ "OK") holds no users: refuse it, naming the error. */
function assertOk(page: Page): void {
  const v = page.value;
  if (!isObject(v)) return;
  const code = v.ResponseCode;
  const codeOk = code === undefined || code === null || Number(code) === 0;
  const statusOk = typeof v.Status !== 'string' || v.Status.trim().toUpperCase() === 'OK';
  if (codeOk && statusOk) return;
  const error = typeof v.Error === 'string' && v.Error.trim() !== '' ? v.Error.trim().slice(0, 200) : 'no error text';
  throw new AdapterInputError(422, [
    {
      message: `Kaseya VSA answered with an error instead of users (ResponseCode ${String(code)}, Status ${JSON.stringify(v.Status ?? null)}): ${error}`,
      part: page.part,
      page: page.page,
      pointer: codeOk ? '/Status' : '/ResponseCode',
    },
  ]);
}

/** Fewer users than `TotalRecords` says: a page was not posted (evidence is incomplete). */
function incomplete(pages: readonly Page[], count: number): Warning | undefined {
  const totals = pages.map((p) => (isObject(p.value) ? p.value.TotalRecords : undefined));
  const total = Math.max(...totals.filter((t): t is number => typeof t === 'number'));
  if (!(total > count)) return undefined;
  return {
    code: 'incomplete_export',
    message: `the export holds ${count} of the ${total} users TotalRecords reports: post every page`,
    part: 'body',
  };
}
