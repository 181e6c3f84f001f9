/** Evaluation and finding queries: an evaluation and its findings are written once, together. */
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';
import { evaluations, findings } from './schema.js';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;

const BATCH = 5000;

/**
 * NOTE: findings go in as one jsonb parameter per batch, unpacked by jsonb_to_recordset: tens of
 * thousands of findings in a few statements, where a multi-row VALUES insert binds 18 parameters
 * per row and spends its time building and parsing them.
 */
export async function insertEvaluation(tx: Tx, row: typeof evaluations.$inferInsert, rows: (typeof findings.$inferInsert)[]): Promise<void> {
  await tx.insert(evaluations).values(row);
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH).map((f) => ({
      tenant_id: f.tenantId, evaluation_id: f.evaluationId, id: f.id, pack_id: f.packId, rule_id: f.ruleId, requirements: f.requirements,
      status: f.status, severity: f.severity, source: f.source, snapshot_id: f.snapshotId, item_id: f.itemId, item_name: f.itemName,
      message: f.message, evidence: f.evidence, origin: f.origin ?? null, waiver_id: f.waiverId, is_new: f.isNew, fingerprint: f.fingerprint,
    }));
    await tx.execute(sql`
      insert into findings (tenant_id, evaluation_id, id, pack_id, rule_id, requirements, status, severity, source, snapshot_id,
        item_id, item_name, message, evidence, origin, waiver_id, is_new, fingerprint)
      select tenant_id, evaluation_id, id, pack_id, rule_id, requirements, status, severity, source, snapshot_id,
        item_id, item_name, message, evidence, origin, waiver_id, is_new, fingerprint
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(tenant_id uuid, evaluation_id uuid, id uuid, pack_id text,
        rule_id text, requirements jsonb, status text, severity text, source text, snapshot_id uuid, item_id text, item_name text,
        message text, evidence jsonb, origin jsonb, waiver_id uuid, is_new boolean, fingerprint text)`);
  }
}

/** The id of the tenant's latest evaluation (the diff base): not its (large) result. */
export async function latestEvaluationId(tx: Tx, tenantId: string): Promise<string | undefined> {
  const rows = await tx.select({ id: evaluations.id }).from(evaluations).where(eq(evaluations.tenantId, tenantId)).orderBy(desc(evaluations.id)).limit(1);
  return rows[0]?.id;
}

export async function getEvaluation(tx: Tx, tenantId: string, id: string): Promise<EvaluationRow | undefined> {
  const rows = await tx.select().from(evaluations).where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, id))).limit(1);
  return rows[0];
}

export async function listEvaluations(tx: Tx, tenantId: string, limit: number, before?: string): Promise<EvaluationRow[]> {
  return tx
    .select()
    .from(evaluations)
    .where(and(eq(evaluations.tenantId, tenantId), before ? lt(evaluations.id, before) : undefined))
    .orderBy(desc(evaluations.id))
    .limit(limit);
}

/** `pack\0fingerprint` → the finding, for the diff against the next evaluation. */
export async function findingsByFingerprint(tx: Tx, tenantId: string, evaluationId: string): Promise<Map<string, Pick<FindingRow, 'packId' | 'ruleId' | 'itemId' | 'itemName' | 'severity' | 'status' | 'source'>>> {
  const rows = await tx
    .select({ fingerprint: findings.fingerprint, packId: findings.packId, ruleId: findings.ruleId, itemId: findings.itemId, itemName: findings.itemName, severity: findings.severity, status: findings.status, source: findings.source })
    .from(findings)
    .where(and(eq(findings.tenantId, tenantId), eq(findings.evaluationId, evaluationId)));
  return new Map(rows.map(({ fingerprint, ...r }) => [diffKey(r.packId, fingerprint), r]));
}

export interface FindingFilter {
  status?: string[];
  severity?: string[];
  pack?: string;
  rule?: string;
  source?: string;
  snapshot?: string;
}

export async function listFindings(tx: Tx, tenantId: string, evaluationId: string, f: FindingFilter, limit: number, after?: string): Promise<FindingRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(findings.tenantId, tenantId),
    eq(findings.evaluationId, evaluationId),
    f.status?.length ? inArray(findings.status, f.status) : undefined,
    f.severity?.length ? inArray(findings.severity, f.severity) : undefined,
    f.pack ? eq(findings.packId, f.pack) : undefined,
    f.rule ? eq(findings.ruleId, f.rule) : undefined,
    f.source ? eq(findings.source, f.source) : undefined,
    f.snapshot ? eq(findings.snapshotId, f.snapshot) : undefined,
    after ? lt(findings.id, after) : undefined,
  ];
  return tx.select().from(findings).where(and(...conditions)).orderBy(desc(findings.id)).limit(limit);
}

/** Findings are matched across evaluations by pack, rule and item. */
export function diffKey(packId: string, fingerprint: string): string {
  return `${packId}\u0000${fingerprint}`;
}

/** Every finding of an evaluation, oldest first (SARIF, JUnit and reports read them all). */
export async function allFindings(tx: Tx, tenantId: string, evaluationId: string): Promise<FindingRow[]> {
  return tx.select().from(findings).where(and(eq(findings.tenantId, tenantId), eq(findings.evaluationId, evaluationId))).orderBy(findings.id);
}
