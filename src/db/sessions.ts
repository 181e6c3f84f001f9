/**
 * Console sessions and one-time sign-in links. Not tenant data (no row-level security): rows are
 * found by the SHA-256 of a secret only its holder has. Redeeming a link is one UPDATE … WHERE
 * used_at IS NULL, so two requests racing with the same link cannot both get a session.
 */
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Tx } from './client.js';
import { loginLinks, sessions } from './schema.js';

export type LoginLinkRow = typeof loginLinks.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export async function insertLoginLink(tx: Tx, row: typeof loginLinks.$inferInsert): Promise<void> {
  await tx.insert(loginLinks).values(row);
}

/** Marks the link used and returns it, or nothing when it is unknown, used or expired. */
export async function consumeLoginLink(tx: Tx, tokenHash: string, now: Date): Promise<LoginLinkRow | undefined> {
  const rows = await tx
    .update(loginLinks)
    .set({ usedAt: now })
    .where(and(eq(loginLinks.tokenHash, tokenHash), isNull(loginLinks.usedAt), gt(loginLinks.expiresAt, now)))
    .returning();
  return rows[0];
}

export async function insertSession(tx: Tx, row: typeof sessions.$inferInsert): Promise<void> {
  await tx.insert(sessions).values(row);
}

/** The session, when it exists, has not expired and was not revoked. */
export async function findLiveSession(tx: Tx, idHash: string, now: Date): Promise<SessionRow | undefined> {
  const rows = await tx
    .select()
    .from(sessions)
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .limit(1);
  return rows[0];
}

export async function revokeSession(tx: Tx, idHash: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)))
    .returning({ idHash: sessions.idHash });
  return rows.length > 0;
}

/** Deletes links and sessions that ended before `before` (they can never be used again). */
export async function deleteEndedBefore(tx: Tx, before: Date): Promise<void> {
  await tx.delete(loginLinks).where(lt(loginLinks.expiresAt, before));
  await tx.delete(sessions).where(or(lt(sessions.expiresAt, before), lt(sessions.revokedAt, before)));
}
