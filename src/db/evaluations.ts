/** Evaluation and finding queries: an evaluation and its findings are written once, together. */
import type { FindingStatus, Severity } from '../core/vocabulary.js';
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Tx, yieldToEventLoop } from './client.js';
import { evaluations, findings } from './schema.js';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;

const BATCH = 5000;

/**
 * NOTE: findings go in as one jsonb parameter per batch, unpacked by jsonb_to_recordset: tens of
 * thousands of findings in a few statements, where a multi-row VALUES insert binds 18 parameters
 * per row and spends its time building and parsing them.
 */
export async function insertEvaluation(
  tx: Tx,
  row: typeof evaluations.$inferInsert,
  rows: (typeof findings.$inferInsert)[],
): Promise<void> {
  await tx.insert(evaluations).values(row);
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH).map((f) => ({
      tenant_id: f.tenantId,
      evaluation_id: f.evaluationId,
      id: f.id,
      pack_id: f.packId,
      rule_id: f.ruleId,
      requirements: f.requirements,
      status: f.status,
      severity: f.severity,
      source: f.source,
      snapshot_id: f.snapshotId,
      item_id: f.itemId,
      item_name: f.itemName,
      message: f.message,
      evidence: f.evidence,
      origin: f.origin ?? null,
      waiver_id: f.waiverId,
      is_new: f.isNew,
      fingerprint: f.fingerprint,
      assumed: f.assumed ?? [],
      stale: f.stale ?? false,
    }));
    await tx.execute(sql`
      insert into findings (tenant_id, evaluation_id, id, pack_id, rule_id, requirements, status, severity, source, snapshot_id,
        item_id, item_name, message, evidence, origin, waiver_id, is_new, fingerprint, assumed, stale)
      select tenant_id, evaluation_id, id, pack_id, rule_id, requirements, status, severity, source, snapshot_id,
        item_id, item_name, message, evidence, origin, waiver_id, is_new, fingerprint, assumed, stale
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(tenant_id uuid, evaluation_id uuid, id uuid, pack_id text,
        rule_id text, requirements jsonb, status text, severity text, source text, snapshot_id uuid, item_id text, item_name text,
        message text, evidence jsonb, origin jsonb, waiver_id uuid, is_new boolean, fingerprint text, assumed jsonb,
        stale boolean)`);
    await yieldToEventLoop();
  }
}

export interface DiffBaseQuery {
  /** the new evaluation's asOf: a base evaluated as of a later time is not "before" it */
  asOf: Date;
  /** only evaluations created before this time */
  createdBefore: Date;
  /** only evaluations whose snapshot ids differ from these (an unchanged input is not a change) */
  otherThanSnapshots?: readonly string[];
}

/**
 * Per pack, the id of the evaluation a new one is diffed against: of those that evaluated that
 * pack, created before `createdBefore` and (when asked) over other snapshots, the one as of the
 * latest time no later than the new one's (an evaluation back-dated to last quarter is not the
 * state just before an ingest). Packs with none are absent from the map. See runEvaluation.
 */
export async function diffBases(
  tx: Tx,
  tenantId: string,
  packIds: readonly string[],
  q: DiffBaseQuery,
): Promise<Map<string, string>> {
  if (packIds.length === 0) return new Map();
  // NOTE: one statement for every pack (a lateral subquery per pack, each on evaluations_as_of_idx)
  // rather than one query per pack: the evaluation's reads share one transaction and connection,
  // where each statement is a round trip that every ingest waits for in turn.
  const rows = await queryRows<{ pack: string; id: string }>(
    tx,
    sql`select p.pack, b.id
        from unnest(array[${sql.join(
          packIds.map((id) => sql`${id}`),
          sql`, `,
        )}]::text[]) as p(pack)
        cross join lateral (
          select ${evaluations.id} as id from ${evaluations}
          where ${evaluations.tenantId} = ${tenantId}
            and ${evaluations.asOf} <= ${q.asOf.toISOString()}::timestamptz
            and ${evaluations.createdAt} < ${q.createdBefore.toISOString()}::timestamptz
            and ${evaluations.packs} @> jsonb_build_array(p.pack)
            ${
              q.otherThanSnapshots
                ? sql`and ${evaluations.snapshotIds} <> ${JSON.stringify(q.otherThanSnapshots)}::jsonb`
                : sql``
            }
          order by ${evaluations.asOf} desc, ${evaluations.createdAt} desc, ${evaluations.id} desc
          limit 1
        ) as b`,
  );
  const found = new Map(rows.map((r) => [r.pack, r.id]));
  // in the packs' order, as before
  return new Map(packIds.flatMap((p) => (found.has(p) ? [[p, found.get(p)!] as const] : [])));
}

export async function getEvaluation(tx: Tx, tenantId: string, id: string): Promise<EvaluationRow | undefined> {
  const rows = await tx
    .select()
    .from(evaluations)
    .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, id)))
    .limit(1);
  return rows[0];
}

export async function listEvaluations(
  tx: Tx,
  tenantId: string,
  limit: number,
  before?: string,
): Promise<EvaluationRow[]> {
  return tx
    .select()
    .from(evaluations)
    .where(and(eq(evaluations.tenantId, tenantId), before ? lt(evaluations.id, before) : undefined))
    .orderBy(desc(evaluations.id))
    .limit(limit);
}

export type BaseFinding = Pick<
  FindingRow,
  'packId' | 'ruleId' | 'itemId' | 'itemName' | 'severity' | 'status' | 'source'
>;

/** `pack\0fingerprint` → the finding, of each pack's base evaluation (diffBases), for the diff. */
export async function findingsByFingerprint(
  tx: Tx,
  tenantId: string,
  bases: ReadonlyMap<string, string>,
): Promise<Map<string, BaseFinding>> {
  const packsOf = new Map<string, string[]>();
  for (const [pack, id] of bases) {
    const packs = packsOf.get(id);
    if (packs) packs.push(pack);
    else packsOf.set(id, [pack]);
  }
  const out = new Map<string, BaseFinding>();
  for (const [evaluationId, packs] of packsOf) {
    const rows = await tx
      .select({
        fingerprint: findings.fingerprint,
        packId: findings.packId,
        ruleId: findings.ruleId,
        itemId: findings.itemId,
        itemName: findings.itemName,
        severity: findings.severity,
        status: findings.status,
        source: findings.source,
      })
      .from(findings)
      .where(
        and(eq(findings.tenantId, tenantId), eq(findings.evaluationId, evaluationId), inArray(findings.packId, packs)),
      );
    for (const { fingerprint, ...r } of rows) out.set(diffKey(r.packId, fingerprint), r);
  }
  return out;
}

export interface FindingFilter {
  status?: FindingStatus[];
  severity?: Severity[];
  pack?: string;
  rule?: string;
  source?: string;
  snapshot?: string;
}

function findingConditions(tenantId: string, evaluationId: string, f: FindingFilter): (SQL | undefined)[] {
  return [
    eq(findings.tenantId, tenantId),
    eq(findings.evaluationId, evaluationId),
    f.status?.length ? inArray(findings.status, f.status) : undefined,
    f.severity?.length ? inArray(findings.severity, f.severity) : undefined,
    f.pack ? eq(findings.packId, f.pack) : undefined,
    f.rule ? eq(findings.ruleId, f.rule) : undefined,
    f.source ? eq(findings.source, f.source) : undefined,
    f.snapshot ? eq(findings.snapshotId, f.snapshot) : undefined,
  ];
}

export async function listFindings(
  tx: Tx,
  tenantId: string,
  evaluationId: string,
  f: FindingFilter,
  limit: number,
  after?: string,
): Promise<FindingRow[]> {
  return tx
    .select()
    .from(findings)
    .where(and(...findingConditions(tenantId, evaluationId, f), after ? lt(findings.id, after) : undefined))
    .orderBy(desc(findings.id))
    .limit(limit);
}

/** Every finding of an evaluation that the filter lets through (the CSV and XLSX downloads). */
export async function matchingFindings(
  tx: Tx,
  tenantId: string,
  evaluationId: string,
  f: FindingFilter,
): Promise<FindingRow[]> {
  return tx
    .select()
    .from(findings)
    .where(and(...findingConditions(tenantId, evaluationId, f)))
    .orderBy(findings.id);
}

/** Findings are matched across evaluations by pack, rule and item. */
export function diffKey(packId: string, fingerprint: string): string {
  return `${packId}\u0000${fingerprint}`;
}

/** Every finding of an evaluation, oldest first (SARIF, JUnit and reports read them all). */
export async function allFindings(tx: Tx, tenantId: string, evaluationId: string): Promise<FindingRow[]> {
  return tx
    .select()
    .from(findings)
    .where(and(eq(findings.tenantId, tenantId), eq(findings.evaluationId, evaluationId)))
    .orderBy(findings.id);
}
