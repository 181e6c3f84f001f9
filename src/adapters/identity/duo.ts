/**
 * Duo Admin API `GET /admin/v1/users`: the `{stat, response, metadata}` envelope or a bare array,
 * one part per page. Duo is the second factor itself, so its users are `local`; it knows no admin
 * roles (privileged stays absent). Times are epoch seconds. Without `is_enrolled`, registration is
 * derived from the user's devices (registeredFrom).
 */
import type { Factor, FactorType, IdentityUser, Mfa } from '../../schemas/canonical-types.js';
import { allRecords, originOf, type Record_ } from '../common/envelope.js';
import { looksShared } from '../common/shared-accounts.js';
import { AdapterInputError, type Adapter, type Page, type Warning } from '../types.js';
import { defined, isObject, textField, timeField } from './fields.js';

interface DuoPhone {
  activated?: boolean | null;
  capabilities?: string[] | null;
}

interface DuoUser {
  user_id: string;
  username: string;
  email?: string | null;
  realname?: string | null;
  status: string;
  is_enrolled?: boolean | null;
  last_login?: number | null;
  created?: number | null;
  phones?: DuoPhone[] | null;
  tokens?: unknown[] | null;
  u2ftokens?: unknown[] | null;
  webauthncredentials?: unknown[] | null;
  groups?: { name?: string | null; status?: string | null }[] | null;
}

const nullableString = { type: ['string', 'null'] } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const nullableObjects = { type: ['array', 'null'], items: { type: 'object' } } as const;

const userSchema = {
  type: 'object',
  required: ['user_id', 'username', 'status'],
  properties: {
    user_id: { type: 'string', minLength: 1 },
    username: { type: 'string' },
    email: nullableString,
    realname: nullableString,
    status: { type: 'string' },
    is_enrolled: { type: ['boolean', 'null'] },
    last_login: nullableNumber,
    created: nullableNumber,
    phones: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          activated: { type: ['boolean', 'null'] },
          capabilities: { type: ['array', 'null'], items: { type: 'string' } },
        },
      },
    },
    tokens: nullableObjects,
    u2ftokens: nullableObjects,
    webauthncredentials: nullableObjects,
    groups: {
      type: ['array', 'null'],
      items: { type: 'object', properties: { name: nullableString, status: nullableString } },
    },
  },
} as const;

const bodySchema = {
  $id: 'posture:vendor/duo/body',
  type: ['array', 'object'],
  items: userSchema,
  required: ['stat'],
  properties: {
    stat: { type: 'string' },
    response: { type: 'array', items: userSchema },
    metadata: { type: 'object', properties: { next_offset: { type: ['integer', 'string', 'null'] } } },
    code: { type: ['integer', 'string'] },
    message: { type: 'string' },
    message_detail: { type: 'string' },
  },
} as const;

/** `bypass` is an active account that skips the second factor (reported as `mfa.bypass`). */
const STATUS = new Map<string, IdentityUser['status']>([
  ['active', 'active'],
  ['bypass', 'active'],
  ['disabled', 'inactive'],
  ['locked out', 'locked'],
  ['pending deletion', 'deprovisioned'],
]);

/** Phone capabilities; `auto` is Duo choosing among the others, not a factor of its own. */
const CAPABILITIES = new Map<string, FactorType>([
  ['push', 'push'],
  ['sms', 'sms'],
  ['phone', 'call'],
  ['mobile_otp', 'hotp'],
]);
/** These need Duo Mobile, which is usable only once the phone is activated. */
const NEEDS_APP = new Set<FactorType>(['push', 'hotp']);

export const duoAdapter: Adapter<'identity'> = {
  kind: 'identity',
  source: 'duo',
  bodyPart: 'body',
  parts: [
    {
      name: 'body',
      format: 'json',
      required: true,
      schema: bodySchema,
      description: 'GET /admin/v1/users ({stat, response, metadata} or a bare array; one part per page)',
    },
  ],
  normalize(input) {
    const pages = input.parts.body ?? [];
    pages.forEach(rejectFailure);
    const warnings: Warning[] = [];
    const seen = new Set<string>();
    const users: IdentityUser[] = [];
    for (const rec of allRecords(pages, ['response'])) {
      const u = rec.value as unknown as DuoUser;
      if (seen.has(u.user_id)) {
        warnings.push({
          code: 'duplicate_user',
          message: `user ${u.user_id} appears more than once; the first is kept`,
          ...where(rec),
        });
        continue;
      }
      seen.add(u.user_id);
      if (hasGroupStatus(u, 'disabled')) {
        warnings.push({
          code: 'group_disabled',
          message: `user ${u.user_id} is in a Disabled Duo group; whether that overrides the user's own status depends on the application, so the user's status is kept`,
          ...where(rec),
        });
      }
      users.push(toUser(rec, pages.length));
    }
    return { document: { users }, warnings: [...warnings, ...truncation(pages)] };
  },
};

function toUser(rec: Record_, pageCount: number): IdentityUser {
  const u = rec.value as unknown as DuoUser;
  const names = { username: u.username, email: textField(u.email), displayName: textField(u.realname) };
  return defined({
    id: u.user_id,
    source: 'duo',
    ...names,
    status: STATUS.get(u.status.trim().toLowerCase()) ?? 'unknown',
    accountType: looksShared(names) ? 'shared' : 'human',
    authSource: 'local',
    lastLoginAt: timeField(u.last_login, 's'),
    createdAt: timeField(u.created, 's'),
    mfa: mfaOf(u),
    origin: originOf(rec, pageCount),
  } satisfies IdentityUser);
}

/**
 * `bypass`: the user's own status, or any group in Bypass (group status overrides the user's).
 * An unrecognised user status leaves bypass unknown unless a group says bypass.
 */
function mfaOf(u: DuoUser): Mfa {
  const status = u.status.trim().toLowerCase();
  let bypass: boolean | undefined = status === 'bypass' || hasGroupStatus(u, 'bypass');
  if (!bypass && !STATUS.has(status)) bypass = undefined;
  const factors = factorsOf(u);
  return defined({
    registered: typeof u.is_enrolled === 'boolean' ? u.is_enrolled : registeredFrom(u, factors),
    bypass,
    factors,
  });
}

/**
 * Without `is_enrolled` (older accounts and some exporters leave it out), registration is what
 * Duo's own definition of it says — a usable phone, hardware token, U2F token or WebAuthn
 * credential — read from the device lists: any active factor of a known type → true; a phone
 * whose Duo Mobile activation is not exported (it might be the usable one) → unknown; no usable
 * factor → false, but only when phones, tokens and WebAuthn credentials are all in the record
 * (`null` = none; a missing list might hold the device). `u2ftokens` (legacy) counts when present.
 */
function registeredFrom(u: DuoUser, factors: readonly Factor[]): boolean | undefined {
  const known = factors.filter((f) => f.type !== 'unknown');
  if (known.some((f) => f.status === 'active')) return true;
  if (known.some((f) => f.status === 'unknown')) return undefined;
  const listed = u.phones !== undefined && u.tokens !== undefined && u.webauthncredentials !== undefined;
  return listed ? false : undefined;
}

function factorsOf(u: DuoUser): Factor[] {
  const phones = (u.phones ?? []).flatMap((phone) =>
    (phone.capabilities ?? []).flatMap((cap): Factor[] => {
      if (cap.toLowerCase() === 'auto') return [];
      const type = CAPABILITIES.get(cap.toLowerCase()) ?? 'unknown';
      return [{ type, status: phoneFactorStatus(type, phone.activated), phishingResistant: false }];
    }),
  );
  const active = (type: FactorType, phishingResistant: boolean, n: unknown[] | null | undefined): Factor[] =>
    (n ?? []).map(() => ({ type, status: 'active', phishingResistant }));
  return [
    ...phones,
    ...active('hardware_otp', false, u.tokens),
    ...active('u2f', true, u.u2ftokens),
    ...active('webauthn', true, u.webauthncredentials),
  ];
}

function phoneFactorStatus(type: FactorType, activated: boolean | null | undefined): Factor['status'] {
  if (!NEEDS_APP.has(type)) return 'active';
  if (typeof activated !== 'boolean') return 'unknown';
  return activated ? 'active' : 'pending';
}

function hasGroupStatus(u: DuoUser, status: string): boolean {
  return (u.groups ?? []).some((g) => g.status?.trim().toLowerCase() === status);
}

function where(rec: Record_) {
  return { part: rec.part, page: rec.page, pointer: rec.pointer };
}

/** `{stat: "FAIL"}`: Duo refused the request; there is no user list to judge. */
function rejectFailure(page: Page): void {
  const v = page.value;
  if (!isObject(v)) return;
  if (String(v.stat).toUpperCase() === 'OK') {
    if (Array.isArray(v.response)) return;
    throw new AdapterInputError(422, [
      {
        message: 'Duo envelope with stat OK has no response list',
        part: page.part,
        page: page.page,
        pointer: '/response',
      },
    ]);
  }
  const detail = typeof v.message_detail === 'string' ? ` (${v.message_detail})` : '';
  const message = `Duo API error ${String(v.code ?? 'without code')}: ${String(v.message ?? 'no message')}${detail}`;
  throw new AdapterInputError(422, [{ message, part: page.part, page: page.page, pointer: '/stat' }]);
}

/** Duo pages by offset: a last page that still names a `next_offset` means pages are missing. */
function truncation(pages: Page[]): Warning[] {
  const last = pages[pages.length - 1];
  const next =
    last && isObject(last.value) && isObject(last.value.metadata) ? last.value.metadata.next_offset : undefined;
  if (next === undefined || next === null || !last) return [];
  return [
    {
      code: 'incomplete_export',
      message: 'the last page has a metadata.next_offset: later pages are missing',
      part: last.part,
      page: last.page,
      pointer: '/metadata/next_offset',
    },
  ];
}
