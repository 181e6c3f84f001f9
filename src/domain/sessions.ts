/**
 * Console sessions: a redeemed login link becomes a server-side row, carried by a cookie holding
 * the session's secret. A session yields the same Principal a bearer token would (subject, tenant
 * slugs, scopes), so reach and row-level security are decided the same way for both.
 */
import { csrfTokenOf, newSecret, SECRET_PATTERN, sha256Hex } from '../auth/session-secrets.js';
import { isScope, ROLES, ROLE_NAMES, type Principal, type Role } from '../auth/scopes.js';
import type { Reach, ScopedDb } from '../db/scope.js';
import { consumeLoginLink, deleteEndedBefore, findLiveSession, insertSession, revokeSession } from '../db/sessions.js';

/** Sessions and links are not tenant data: their tables are read with no tenant in reach. */
export const NO_TENANTS: Reach = { all: false, tenantIds: [] };

/** How long a console session lasts from sign-in (no sliding renewal). */
export const SESSION_SECONDS = 12 * 3600;
/** Ended links and sessions are deleted this long after they ended. */
const KEEP_ENDED_MS = 7 * 86_400_000;

/** What the HTTP layer knows of a session beyond its principal. */
export interface SessionInfo {
  idHash: string;
  role: Role;
  expiresAt: Date;
  csrfHash: string;
  /** derived from the cookie's secret, handed to the console by GET /v1/session */
  csrfToken: string;
}

export interface StartedSession {
  /** the cookie's value: returned once, never stored */
  secret: string;
  expiresAt: Date;
}

/**
 * Redeems a login link once: the link is marked used and a session row made in one transaction.
 * `undefined` when the token is malformed, unknown, used or expired (one answer for all four).
 */
export async function redeemLoginLink(db: ScopedDb, token: string, now: Date): Promise<StartedSession | undefined> {
  if (!SECRET_PATTERN.test(token)) return undefined;
  return db.transaction(async (tx) => {
    const link = await consumeLoginLink(tx, sha256Hex(token), now);
    if (!link || !ROLE_NAMES.includes(link.role as Role)) return undefined;
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
    await insertSession(tx, {
      idHash: sha256Hex(secret),
      subject: link.subject,
      name: link.name,
      email: link.email,
      tenants: link.tenants,
      role: link.role,
      scopes: [...ROLES[link.role as Role]],
      csrfHash: sha256Hex(csrfTokenOf(secret)),
      createdAt: now,
      expiresAt,
    });
    await deleteEndedBefore(tx, new Date(now.getTime() - KEEP_ENDED_MS));
    return { secret, expiresAt };
  });
}

/** The live session a cookie's secret names, as a principal; `undefined` when there is none. */
export async function findSession(
  db: ScopedDb,
  secret: string,
  now: Date,
): Promise<{ principal: Principal; session: SessionInfo } | undefined> {
  if (!SECRET_PATTERN.test(secret)) return undefined;
  const idHash = sha256Hex(secret);
  const row = await db.transaction((tx) => findLiveSession(tx, idHash, now));
  if (!row) return undefined;
  const principal: Principal = {
    sub: row.subject,
    tenants: row.tenants,
    scopes: new Set(row.scopes.filter(isScope)),
    ...(row.name ? { name: row.name } : {}),
    ...(row.email ? { email: row.email } : {}),
  };
  const session = {
    idHash,
    role: row.role as Role,
    expiresAt: row.expiresAt,
    csrfHash: row.csrfHash,
    csrfToken: csrfTokenOf(secret),
  };
  return { principal, session };
}

/** Logout: the session stops working at once, on every instance. */
export async function endSession(db: ScopedDb, idHash: string, now: Date): Promise<void> {
  await db.transaction((tx) => revokeSession(tx, idHash, now));
}
