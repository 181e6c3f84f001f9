/** Does a tenant-scoped object with this id belong to this tenant? (the 404-before-403 check) */
import { and, eq } from 'drizzle-orm';
import type { Tx } from './client.js';
import { attestations, evaluations, reports, snapshots, waivers } from './schema.js';

const TABLES = {
  snapshot: snapshots,
  evaluation: evaluations,
  waiver: waivers,
  attestation: attestations,
  report: reports,
} as const;

export type ObjectType = keyof typeof TABLES;

export async function objectInTenant(tx: Tx, type: ObjectType, tenantId: string, id: string): Promise<boolean> {
  const table = TABLES[type];
  const rows = await tx
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), eq(table.id, id)))
    .limit(1);
  return rows.length > 0;
}
