/**
 * The reads behind "Your MSP's technicians" in a client's report: the parent MSP, its latest
 * evaluation of a pack as of a time, the documents of its snapshots and the findings of that pack.
 * Callers pass the MSP's id they derived from the client row, never an id from a request.
 */
import type { SnapshotKind } from '../core/vocabulary.js';
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { evaluations, findings, snapshots, tenants } from './schema.js';

export async function tenantRef(db: Tx, id: string): Promise<{ id: string; slug: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(eq(tenants.id, id))
    .limit(1);
  return row;
}

/** The latest evaluation of `tenantId` that ran `packId`, as of `asOf` or earlier. */
export async function latestEvaluationOfPack(db: Tx, tenantId: string, packId: string, asOf: Date) {
  const [row] = await db
    .select({
      id: evaluations.id,
      asOf: evaluations.asOf,
      snapshotIds: evaluations.snapshotIds,
      fileHashes: evaluations.fileHashes,
      parameters: evaluations.parameters,
    })
    .from(evaluations)
    .where(
      and(
        eq(evaluations.tenantId, tenantId),
        lte(evaluations.asOf, asOf),
        sql`${evaluations.packs} @> ${JSON.stringify([packId])}::jsonb`,
      ),
    )
    .orderBy(desc(evaluations.asOf), desc(evaluations.id))
    .limit(1);
  return row;
}

/** Snapshots of one kind among `ids`, with their canonical documents. */
export async function snapshotDocuments(db: Tx, tenantId: string, ids: readonly string[], kind: SnapshotKind) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: snapshots.id,
      kind: snapshots.kind,
      source: snapshots.source,
      instance: snapshots.instance,
      collectedAt: snapshots.collectedAt,
      receivedAt: snapshots.receivedAt,
      sha256: snapshots.sha256,
      normalized: snapshots.normalized,
    })
    .from(snapshots)
    .where(and(eq(snapshots.tenantId, tenantId), inArray(snapshots.id, [...ids]), eq(snapshots.kind, kind)));
}

export interface PackFindingRow {
  itemId: string | null;
  snapshotId: string | null;
  source: string | null;
  ruleId: string;
  status: string;
  severity: string;
  message: string;
}

export async function findingsOfPack(
  db: Tx,
  tenantId: string,
  evaluationId: string,
  packId: string,
): Promise<PackFindingRow[]> {
  return db
    .select({
      itemId: findings.itemId,
      snapshotId: findings.snapshotId,
      source: findings.source,
      ruleId: findings.ruleId,
      status: findings.status,
      severity: findings.severity,
      message: findings.message,
    })
    .from(findings)
    .where(and(eq(findings.tenantId, tenantId), eq(findings.evaluationId, evaluationId), eq(findings.packId, packId)));
}
