import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Tx } from './client.js';
import { waivers } from './schema.js';

export type WaiverRow = typeof waivers.$inferSelect;

export async function insertWaiver(tx: Tx, row: typeof waivers.$inferInsert): Promise<void> {
  await tx.insert(waivers).values(row);
}

export async function getWaiver(tx: Tx, tenantId: string, id: string): Promise<WaiverRow | undefined> {
  const rows = await tx
    .select()
    .from(waivers)
    .where(and(eq(waivers.tenantId, tenantId), eq(waivers.id, id)))
    .limit(1);
  return rows[0];
}

export async function listWaivers(tx: Tx, tenantId: string, limit: number, before?: string): Promise<WaiverRow[]> {
  return tx
    .select()
    .from(waivers)
    .where(and(eq(waivers.tenantId, tenantId), before ? lt(waivers.id, before) : undefined))
    .orderBy(desc(waivers.id))
    .limit(limit);
}

/** Every waiver of the tenant that is not revoked (expiry is judged at the evaluation's asOf). */
export async function unrevokedWaivers(tx: Tx, tenantId: string): Promise<WaiverRow[]> {
  return tx.select().from(waivers).where(eq(waivers.tenantId, tenantId));
}

/** Revoke an approved waiver, or reject a pending one (`status` says which); the row stays. */
export async function revokeWaiver(
  tx: Tx,
  tenantId: string,
  id: string,
  by: string,
  at: Date,
  status: WaiverRow['status'],
): Promise<void> {
  await tx
    .update(waivers)
    .set({ revokedAt: at, revokedBy: by, status })
    .where(and(eq(waivers.tenantId, tenantId), eq(waivers.id, id), isNull(waivers.revokedAt)));
}

/** Pending → approved, only while still pending (a concurrent approval or rejection wins once). */
export async function approveWaiver(
  tx: Tx,
  tenantId: string,
  id: string,
  approval: Pick<WaiverRow, 'approvedBy' | 'approvedByName' | 'approvedByEmail' | 'approvedAt'>,
): Promise<boolean> {
  const rows = await tx
    .update(waivers)
    .set({ ...approval, status: 'approved' })
    .where(and(eq(waivers.tenantId, tenantId), eq(waivers.id, id), eq(waivers.status, 'pending')))
    .returning({ id: waivers.id });
  return rows.length === 1;
}
