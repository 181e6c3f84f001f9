/**
 * Datto RMM console users: `GET /api/v2/account/users` (`{pageDetails, users[]}` or a bare array,
 * one part per page). The endpoint has no MFA, role or client-scope fields: `mfa` and `privileged`
 * stay absent (never false) and `clientAccess` is null.
 */
import type { AccountStatus, Technician } from '../../schemas/canonical-types.js';
import { allRecords, originOf } from '../common/envelope.js';
import { looksShared } from '../common/shared-accounts.js';
import { toIsoTime } from '../common/time.js';
import { defined, isObject, textField } from '../identity/fields.js';
import type { Adapter, Page, Warning } from '../types.js';

const SOURCE = 'datto-rmm';
const str = { type: ['string', 'null'] } as const;

const userSchema = {
  type: 'object',
  required: ['username'],
  properties: {
    username: { type: 'string', minLength: 1 },
    firstName: str,
    lastName: str,
    email: str,
    status: str,
    disabled: { type: ['boolean', 'null'] },
    lastAccess: { type: ['string', 'number', 'null'] },
  },
} as const;

const usersSchema = {
  $id: 'posture:vendor/datto-rmm/users',
  anyOf: [
    { type: 'array', items: userSchema },
    {
      type: 'object',
      required: ['users'],
      properties: {
        pageDetails: { type: ['object', 'null'], properties: { totalCount: { type: ['integer', 'null'] } } },
        users: { type: 'array', items: userSchema },
      },
    },
  ],
} as const;

interface DattoUser {
  username: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  status?: string | null;
  disabled?: boolean | null;
  lastAccess?: string | number | null;
}

/** Datto RMM users → technicians; `id` is the username (the record has no other key). */
export const dattoRmmAdapter: Adapter<'technicians'> = {
  kind: 'technicians',
  source: SOURCE,
  bodyPart: 'body',
  parts: [
    {
      name: 'body',
      format: 'json',
      required: true,
      schema: usersSchema,
      description: 'GET /api/v2/account/users ({pageDetails, users[]} or bare array; one part per page)',
    },
  ],
  normalize({ parts }) {
    const pages = parts.body ?? [];
    const warnings: Warning[] = [];
    const technicians = allRecords(pages, ['users']).map((rec) =>
      toTechnician(rec.value as unknown as DattoUser, originOf(rec, pages.length), warnings),
    );
    const missing = incomplete(pages, technicians.length);
    if (missing) warnings.push(missing);
    return { document: { technicians }, warnings };
  },
};

function toTechnician(u: DattoUser, origin: Technician['origin'], warnings: Warning[]): Technician {
  const name = [u.firstName, u.lastName].filter((s) => typeof s === 'string' && s.trim() !== '').join(' ');
  const email = textField(u.email);
  return defined<Technician>({
    id: u.username,
    source: SOURCE,
    name: name || u.username,
    email,
    status: statusOf(u),
    shared: looksShared({ username: u.username, email, displayName: name }),
    clientAccess: null,
    lastLoginAt: lastAccessOf(u, origin, warnings),
    origin,
  });
}

/** `status` values are undocumented: the few obvious words are read, anything else is unknown. */
const STATUS: ReadonlyMap<string, AccountStatus> = new Map([
  ['active', 'active'],
  ['enabled', 'active'],
  ['inactive', 'inactive'],
  ['disabled', 'inactive'],
  ['pending', 'pending'],
  ['invited', 'pending'],
  ['locked', 'locked'],
  ['suspended', 'suspended'],
]);

function statusOf(u: DattoUser): AccountStatus {
  if (u.disabled === true) return 'inactive';
  const status = textField(u.status)?.trim().toLowerCase();
  if (status) return STATUS.get(status) ?? 'unknown';
  return u.disabled === false ? 'active' : 'unknown';
}

/** Only ISO-8601 forms: `Date` would read anything else in the host's zone. */
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO date-time or epoch milliseconds (number or digits); null → never; unreadable → absent + warning. */
function lastAccessOf(u: DattoUser, origin: Technician['origin'], warnings: Warning[]): string | null | undefined {
  const value = typeof u.lastAccess === 'string' ? u.lastAccess.trim() : u.lastAccess;
  if (value === null || value === undefined || value === '') return value === null ? null : undefined;
  const readable = typeof value === 'number' || /^\d+$/.test(value) || ISO_LIKE.test(value);
  const iso = readable ? toIsoTime(value, 'ms') : undefined;
  if (iso === undefined) {
    const pointer = origin.pointer === undefined ? undefined : `${origin.pointer}/lastAccess`;
    warnings.push(
      defined({
        code: 'unreadable_time',
        message: `user ${JSON.stringify(u.username)}: lastAccess is neither ISO-8601 nor epoch milliseconds; left out`,
        part: origin.part,
        page: origin.page,
        pointer,
      }),
    );
  }
  return iso;
}

/** Fewer users than `pageDetails.totalCount` says: a page was not posted (evidence is incomplete). */
function incomplete(pages: readonly Page[], count: number): Warning | undefined {
  const totals = pages.map((p) =>
    isObject(p.value) && isObject(p.value.pageDetails) ? p.value.pageDetails.totalCount : undefined,
  );
  const total = Math.max(...totals.filter((t): t is number => typeof t === 'number'));
  if (!(total > count)) return undefined;
  return {
    code: 'incomplete_export',
    message: `the export holds ${count} of the ${total} users pageDetails.totalCount reports: post every page`,
    part: 'body',
  };
}
