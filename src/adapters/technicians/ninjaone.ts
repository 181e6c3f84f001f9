/**
 * NinjaOne technicians: `GET /v2/users?userType=TECHNICIAN` or `GET /v2/user/technicians` (part
 * `technicians`), with the activity log `GET /v2/activities` (part `activities`) as the only source
 * of last-login times — the user record has none.
 */
import type { AccountStatus, Mfa, Technician } from '../../schemas/canonical-types.js';
import { allRecords, originOf } from '../common/envelope.js';
import { looksShared } from '../common/shared-accounts.js';
import { toIsoTime } from '../common/time.js';
import { defined, textField } from '../identity/fields.js';
import type { Adapter, Page, Warning } from '../types.js';

const SOURCE = 'ninjaone';
const str = { type: ['string', 'null'] } as const;
const bool = { type: ['boolean', 'null'] } as const;

const userSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'integer' },
    firstName: str,
    lastName: str,
    email: str,
    enabled: bool,
    administrator: bool,
    permitAllClients: bool,
    mfaConfigured: bool,
    userType: str,
    invitationStatus: str,
    authType: str,
    roles: { type: ['array', 'null'], items: { type: 'string' } },
  },
} as const;

const activitySchema = {
  type: 'object',
  properties: {
    activityTime: { type: ['number', 'null'] },
    statusCode: str,
    userId: { type: ['integer', 'null'] },
  },
} as const;

const activitiesSchema = {
  $id: 'posture:vendor/ninjaone/activities',
  anyOf: [
    { type: 'array', items: activitySchema },
    {
      type: 'object',
      required: ['activities'],
      properties: {
        lastActivityId: { type: ['integer', 'null'] },
        activities: { type: 'array', items: activitySchema },
      },
    },
  ],
} as const;

interface NinjaUser {
  id: number;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  enabled?: boolean | null;
  administrator?: boolean | null;
  permitAllClients?: boolean | null;
  mfaConfigured?: boolean | null;
  userType?: string | null;
  invitationStatus?: string | null;
  authType?: string | null;
  roles?: string[] | null;
}

/** NinjaOne → technicians. END_USER records are skipped (warning); last logins come only from `activities`. */
export const ninjaoneAdapter: Adapter<'technicians'> = {
  kind: 'technicians',
  source: SOURCE,
  bodyPart: 'technicians',
  parts: [
    {
      name: 'technicians',
      format: 'json',
      required: true,
      schema: { $id: 'posture:vendor/ninjaone/technicians', type: 'array', items: userSchema },
      description: 'GET /v2/users?userType=TECHNICIAN or GET /v2/user/technicians (bare array; one part per page)',
    },
    {
      name: 'activities',
      format: 'json',
      required: false,
      schema: activitiesSchema,
      description:
        'GET /v2/activities (ActivitiesResponse or bare array; one part per page): the source of last-login times',
    },
  ],
  normalize({ parts }) {
    const pages = parts.technicians ?? [];
    const logins = lastLogins(parts.activities);
    const warnings: Warning[] = [];
    const technicians: Technician[] = [];
    for (const rec of allRecords(pages, [])) {
      const user = rec.value as unknown as NinjaUser;
      const origin = originOf(rec, pages.length);
      if (user.userType === 'END_USER') {
        warnings.push({
          code: 'end_user_skipped',
          message: `user ${user.id} is an END_USER, not a technician: skipped`,
          ...origin,
        });
        continue;
      }
      technicians.push(toTechnician(user, logins, origin));
    }
    return { document: { technicians }, warnings };
  },
};

function toTechnician(user: NinjaUser, logins: ReadonlyMap<number, number>, origin: Technician['origin']): Technician {
  const name = [user.firstName, user.lastName].filter((s) => typeof s === 'string' && s.trim() !== '').join(' ');
  const email = textField(user.email);
  const login = logins.get(user.id);
  return defined<Technician>({
    id: String(user.id),
    source: SOURCE,
    name: name || email || String(user.id),
    email,
    status: statusOf(user),
    shared: looksShared({ email, displayName: name }),
    privileged: user.administrator ?? undefined,
    roles: user.roles ?? undefined,
    clientAccess: user.permitAllClients === true ? ['*'] : null,
    // absent, never null, without a login activity: the activity log covers a limited window
    lastLoginAt: login === undefined ? undefined : toIsoTime(login, 's'),
    mfa: mfaOf(user),
    origin,
  });
}

/** A disabled account is inactive whatever its invitation; an unanswered or expired invitation is pending. */
function statusOf(user: NinjaUser): AccountStatus {
  if (user.enabled === false) return 'inactive';
  const invitation = user.invitationStatus ?? 'REGISTERED';
  if (invitation === 'PENDING' || invitation === 'EXPIRED') return 'pending';
  if (invitation !== 'REGISTERED') return 'unknown';
  return user.enabled === true ? 'active' : 'unknown';
}

/**
 * `mfaConfigured` says a NinjaOne MFA method is set up. SSO users authenticate at the IdP, whose
 * MFA this export cannot see, so their MFA is left absent (unknown), never false.
 */
function mfaOf(user: NinjaUser): Mfa | undefined {
  const auth = user.authType ?? 'NATIVE';
  if (auth !== 'NATIVE' || typeof user.mfaConfigured !== 'boolean') return undefined;
  return { registered: user.mfaConfigured };
}

/** userId → the latest APP_USER_LOGGED_IN activityTime (epoch seconds). */
function lastLogins(pages: readonly Page[] | undefined): Map<number, number> {
  const latest = new Map<number, number>();
  for (const { value } of allRecords(pages, ['activities'])) {
    const { statusCode, userId, activityTime } = value;
    if (statusCode !== 'APP_USER_LOGGED_IN' || typeof userId !== 'number' || typeof activityTime !== 'number') continue;
    if (toIsoTime(activityTime, 's') === undefined) continue;
    if (activityTime > (latest.get(userId) ?? -Infinity)) latest.set(userId, activityTime);
  }
  return latest;
}
