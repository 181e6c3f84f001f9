/** Evaluation and finding queries: an evaluation and its findings are written once, together. */
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';
import { evaluations, findings } from './schema.js';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;

const BATCH = 1000;

export async function insertEvaluation(tx: Tx, row: typeof evaluations.$inferInsert, rows: (typeof findings.$inferInsert)[]): Promise<void> {
  await tx.insert(evaluations).values(row);
  for (let i = 0; i < rows.length; i += BATCH) await tx.insert(findings).values(rows.slice(i, i + BATCH));
}

export async function latestEvaluation(tx: Tx, tenantId: string): Promise<EvaluationRow | undefined> {
  const rows = await tx.select().from(evaluations).where(eq(evaluations.tenantId, tenantId)).orderBy(desc(evaluations.id)).limit(1);
  return rows[0];
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

/** Fingerprint → the finding, for the diff against the next evaluation. */
export async function findingsByFingerprint(tx: Tx, tenantId: string, evaluationId: string): Promise<Map<string, Pick<FindingRow, 'packId' | 'ruleId' | 'itemId' | 'itemName' | 'severity' | 'status' | 'source'>>> {
  const rows = await tx
    .select({ fingerprint: findings.fingerprint, packId: findings.packId, ruleId: findings.ruleId, itemId: findings.itemId, itemName: findings.itemName, severity: findings.severity, status: findings.status, source: findings.source })
    .from(findings)
    .where(and(eq(findings.tenantId, tenantId), eq(findings.evaluationId, evaluationId)));
  return new Map(rows.map(({ fingerprint, ...r }) => [fingerprint, r]));
}

export interface FindingFilter {
  status?: string[];
  severity?: string[];
  pack?: string;
  rule?: string;
  source?: string;
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
    after ? lt(findings.id, after) : undefined,
  ];
  return tx.select().from(findings).where(and(...conditions)).orderBy(desc(findings.id)).limit(limit);
}
