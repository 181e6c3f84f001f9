import { eq, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { parameters } from './schema.js';

/** pack id → parameter → value: the tenant's overrides. */
export async function tenantParameters(tx: Tx, tenantId: string): Promise<Record<string, Record<string, unknown>>> {
  const rows = await tx.select().from(parameters).where(eq(parameters.tenantId, tenantId));
  return Object.fromEntries(rows.map((r) => [r.packId, r.values]));
}

/**
 * Replace the tenant's overrides as a whole. Call it in a transaction: replacements of one tenant
 * are serialised there (delete-then-insert of two at once would collide on (tenant_id, pack_id)).
 */
export async function replaceParameters(
  tx: Tx,
  tenantId: string,
  values: Record<string, Record<string, unknown>>,
  by: string,
  at: Date,
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`parameters/${tenantId}`}, 0))`);
  await tx.delete(parameters).where(eq(parameters.tenantId, tenantId));
  const rows = Object.entries(values).map(([packId, v]) => ({
    tenantId,
    packId,
    values: v,
    updatedAt: at,
    updatedBy: by,
  }));
  if (rows.length > 0) await tx.insert(parameters).values(rows);
}
