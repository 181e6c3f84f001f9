/**
 * ConnectWise PSA (Manage) members: `GET /v4_6_release/apis/3.0/system/members` (bare array, one
 * part per page). Members are not scoped to companies in this endpoint, so `clientAccess` is null.
 */
import type { AccountStatus, Factor, Mfa, Technician } from '../../schemas/canonical-types.js';
import { allRecords, originOf } from '../common/envelope.js';
import { looksShared } from '../common/shared-accounts.js';
import { toIsoTime } from '../common/time.js';
import { defined, isObject, textField } from '../identity/fields.js';
import type { Adapter, Warning } from '../types.js';

const SOURCE = 'connectwise';
/** The role marker of an API member (`licenseClass` "A"): a non-interactive integration identity. */
export const API_MEMBER_ROLE = 'api-member';

const str = { type: ['string', 'null'] } as const;
const bool = { type: ['boolean', 'null'] } as const;

const memberSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'integer' },
    identifier: str,
    firstName: str,
    lastName: str,
    primaryEmail: str,
    officeEmail: str,
    inactiveFlag: bool,
    lastLogin: str,
    licenseClass: str,
    adminFlag: bool,
    securityRole: { type: ['object', 'null'], properties: { name: str } },
    authenticationServiceType: str,
    timebasedOneTimePasswordActivated: bool,
    ssoSettings: { type: ['object', 'null'], properties: { ssoUserId: { type: ['string', 'integer', 'null'] } } },
  },
} as const;

interface Member {
  id: number;
  identifier?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  primaryEmail?: string | null;
  officeEmail?: string | null;
  inactiveFlag?: boolean | null;
  lastLogin?: string | null;
  licenseClass?: string | null;
  adminFlag?: boolean | null;
  securityRole?: { name?: string | null } | null;
  authenticationServiceType?: string | null;
  timebasedOneTimePasswordActivated?: boolean | null;
  ssoSettings?: { ssoUserId?: string | number | null } | null;
}

/** ConnectWise PSA members → technicians; API members carry the `api-member` role. */
export const connectwiseAdapter: Adapter<'technicians'> = {
  kind: 'technicians',
  source: SOURCE,
  bodyPart: 'body',
  parts: [
    {
      name: 'body',
      format: 'json',
      required: true,
      schema: { $id: 'posture:vendor/connectwise/members', type: 'array', items: memberSchema },
      description: 'GET /v4_6_release/apis/3.0/system/members (bare array; one part per page)',
    },
  ],
  normalize({ parts }) {
    const pages = parts.body ?? [];
    const warnings: Warning[] = [];
    const technicians = allRecords(pages, []).map((rec) => {
      const origin = originOf(rec, pages.length);
      return toTechnician(rec.value as unknown as Member, origin, warnings);
    });
    return { document: { technicians }, warnings };
  },
};

function toTechnician(m: Member, origin: Technician['origin'], warnings: Warning[]): Technician {
  const name = [m.firstName, m.lastName].filter((s) => typeof s === 'string' && s.trim() !== '').join(' ');
  const email = emailOf(m);
  const api = m.licenseClass === 'A';
  return defined<Technician>({
    id: String(m.id),
    source: SOURCE,
    name: name || m.identifier || String(m.id),
    email,
    status: statusOf(m),
    // an API member is an integration identity, not a login people share (PCI 8.6, not 8.2.2)
    shared: api ? false : looksShared({ username: m.identifier, email, displayName: name }),
    privileged: m.adminFlag ?? undefined,
    roles: rolesOf(m, api),
    clientAccess: null,
    lastLoginAt: lastLoginOf(m, origin, warnings),
    // API members authenticate with API keys: interactive MFA does not apply to them
    mfa: api || ssoLinked(m) ? undefined : mfaOf(m),
    origin,
  });
}

function statusOf(m: Member): AccountStatus {
  if (m.inactiveFlag === true) return 'inactive';
  return m.inactiveFlag === false ? 'active' : 'unknown';
}

/** `primaryEmail` (newer releases), else `officeEmail`; both blank → null; both absent → absent. */
function emailOf(m: Member): string | null | undefined {
  const primary = textField(m.primaryEmail);
  const office = textField(m.officeEmail);
  return primary ?? office ?? (primary === null || office === null ? null : undefined);
}

/** `securityRole: null` → no role; a role without a name → roles unknown. */
function rolesOf(m: Member, api: boolean): string[] | undefined {
  const name = m.securityRole === null ? null : textField(m.securityRole?.name);
  const roles = name === undefined ? undefined : name === null ? [] : [name];
  return api ? [...(roles ?? []), API_MEMBER_ROLE] : roles;
}

/** A member linked to an SSO user signs in at the IdP, which may skip ConnectWise's own 2FA. */
function ssoLinked(m: Member): boolean {
  const id = isObject(m.ssoSettings) ? m.ssoSettings.ssoUserId : undefined;
  return (typeof id === 'string' && id.trim() !== '') || typeof id === 'number';
}

const ACTIVE_TOTP: Factor = Object.freeze({ type: 'totp', status: 'active', phishingResistant: false });
const PENDING_TOTP: Factor = Object.freeze({ type: 'totp', status: 'pending', phishingResistant: false });
const EMAIL: Factor = Object.freeze({ type: 'email', status: 'active', phishingResistant: false });
const UNKNOWN: Factor = Object.freeze({ type: 'unknown', status: 'unknown', phishingResistant: false });

/**
 * `authenticationServiceType` names the member's 2FA service; `timebasedOneTimePasswordActivated`
 * says whether its authenticator app is enrolled. Email codes count as a (weak) registered factor.
 * `registered: false` only when the record shows no second factor at all: no service, or Google
 * Authenticator not yet activated. AuthAnvil (and unknown services) enrol outside ConnectWise.
 */
function mfaOf(m: Member): Mfa | undefined {
  const totp = m.timebasedOneTimePasswordActivated;
  const service = textField(m.authenticationServiceType) ?? null;
  const factors: Factor[] = [];
  if (service === 'Email') factors.push(EMAIL);
  else if (service !== null && service !== 'GoogleAuthenticator') factors.push(UNKNOWN);
  if (totp === true) factors.push(ACTIVE_TOTP);
  else if (totp === false && service === 'GoogleAuthenticator') factors.push(PENDING_TOTP);
  if (factors.some((f) => f.status === 'active')) return { registered: true, factors };
  if (totp === false && !factors.includes(UNKNOWN)) return { registered: false, factors };
  return factors.length > 0 ? { factors } : undefined;
}

/** Only ISO-8601 forms: `Date` would read anything else ("5/1/2024 2:22 PM") in the host's zone. */
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** null → never logged in; blank → absent; unreadable → absent with a warning. */
function lastLoginOf(m: Member, origin: Technician['origin'], warnings: Warning[]): string | null | undefined {
  const value = m.lastLogin;
  if (value === null) return null;
  if (value === undefined || value.trim() === '') return undefined;
  const iso = ISO_LIKE.test(value.trim()) ? toIsoTime(value.trim().replace(' ', 'T')) : undefined;
  if (iso === undefined) {
    const pointer = origin.pointer === undefined ? undefined : `${origin.pointer}/lastLogin`;
    warnings.push(
      defined({
        code: 'unreadable_time',
        message: `member ${m.id}: lastLogin is not an ISO-8601 time; left out`,
        part: origin.part,
        page: origin.page,
        pointer,
      }),
    );
  }
  return iso;
}
