/** Evaluation and finding queries: an evaluation, its scores rows and its findings are written once, together. */
import {
  FINDING_STATUSES_WORST_FIRST,
  type FindingSort,
  type FindingStatus,
  SEVERITIES,
  type Severity,
} from '../core/vocabulary.js';
import { and, desc, eq, inArray, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { queryRows, type Tx, yieldToEventLoop } from './client.js';
import { insertScores, scoreRows } from './evaluation-scores.js';
import { evaluations, findings } from './schema.js';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;

// one batch is stringified on the event loop: 1,000 rows keep that to tens of milliseconds
const BATCH = 1000;

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
  await insertScores(tx, scoreRows(row, rows));
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
      first_seen_at: f.firstSeenAt ?? null,
    }));
    await tx.execute(sql`
      insert into findings (tenant_id, evaluation_id, id, pack_id, rule_id, requirements, status, severity, source, snapshot_id,
        item_id, item_name, message, evidence, origin, waiver_id, is_new, fingerprint, assumed, stale, first_seen_at)
      select tenant_id, evaluation_id, id, pack_id, rule_id, requirements, status, severity, source, snapshot_id,
        item_id, item_name, message, evidence, origin, waiver_id, is_new, fingerprint, assumed, stale, first_seen_at
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(tenant_id uuid, evaluation_id uuid, id uuid, pack_id text,
        rule_id text, requirements jsonb, status text, severity text, source text, snapshot_id uuid, item_id text, item_name text,
        message text, evidence jsonb, origin jsonb, waiver_id uuid, is_new boolean, fingerprint text, assumed jsonb,
        stale boolean, first_seen_at timestamptz)`);
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
> & {
  /** when it was first seen failing; for a row from before migration 0008, its evaluation's asOf */
  firstSeenAt: Date;
};

/**
 * `pack\0fingerprint` → the finding, of each pack's base evaluation (diffBases), for the diff and
 * for carrying first-seen times over.
 */
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
        firstSeenAt: findings.firstSeenAt,
        asOf: evaluations.asOf,
      })
      .from(findings)
      .innerJoin(
        evaluations,
        and(eq(evaluations.tenantId, findings.tenantId), eq(evaluations.id, findings.evaluationId)),
      )
      .where(
        and(eq(findings.tenantId, tenantId), eq(findings.evaluationId, evaluationId), inArray(findings.packId, packs)),
      );
    for (const { fingerprint, asOf, firstSeenAt, ...r } of rows)
      out.set(diffKey(r.packId, fingerprint), { ...r, firstSeenAt: firstSeenAt ?? asOf });
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

/** A row of a findings page: its fingerprint and the values it is sorted by (the cursor's). */
export interface FindingGroupKey {
  fingerprint: string;
  /** the sort's key values, last one the fingerprint */
  key: (string | number)[];
}

export interface FindingGroupPage {
  sort: FindingSort;
  limit: number;
  /** the key of the last row of the previous page */
  after?: readonly (string | number)[];
  /** the evaluation's asOf: the first-seen time of rows stored before it was recorded */
  asOf: Date;
}

const rank = (column: SQLWrapper, order: readonly string[]) =>
  sql`case ${column} ${sql.join(
    order.map((v, i) => sql`when ${v}::text then ${sql.raw(String(i))}`),
    sql` `,
  )} end`;

/**
 * The problems of an evaluation that the filter lets through, one row per fingerprint (rule and
 * item) with its severity rank, worst status rank, rule and first-seen time. The rule, source and
 * snapshot are the same in every pack's finding of a fingerprint; `status` and `severity` apply to
 * the row's worst status and severity; `pack` keeps the rows that affect that pack.
 */
function problems(tenantId: string, evaluationId: string, f: FindingFilter, asOf: Date): SQL {
  const perFinding = findingConditions(tenantId, evaluationId, {
    ...f,
    status: undefined,
    severity: undefined,
    pack: undefined,
  });
  const ranks = (values: readonly string[], order: readonly string[]) =>
    sql.join(
      values.map((v) => sql`${order.indexOf(v)}::int`),
      sql`, `,
    );
  return sql`(select * from (
      select ${findings.fingerprint} as fingerprint,
        min(${rank(findings.severity, SEVERITIES)}) as sev,
        min(${rank(findings.status, FINDING_STATUSES_WORST_FIRST)}) as st,
        min(${findings.ruleId}) as rule,
        coalesce(min(${findings.firstSeenAt}), ${asOf.toISOString()}::timestamptz) as first_seen,
        ${f.pack ? sql`bool_or(${findings.packId} = ${f.pack})` : sql`true`} as in_pack
      from ${findings}
      where ${and(...perFinding)}
      group by ${findings.fingerprint}
    ) g
    where in_pack
      ${f.status?.length ? sql`and st in (${ranks(f.status, FINDING_STATUSES_WORST_FIRST)})` : sql``}
      ${f.severity?.length ? sql`and sev in (${ranks(f.severity, SEVERITIES)})` : sql``})`;
}

/**
 * One page of an evaluation's problems (see `problems` for the filters), sorted by `sort` with the
 * rule and the fingerprint as tie-breaks, so that the cursor (the last row's key) cuts pages with
 * no row twice and none left out. The caller fetches their findings (findingsOfPrints).
 */
export async function listFindingGroups(
  tx: Tx,
  tenantId: string,
  evaluationId: string,
  f: FindingFilter,
  page: FindingGroupPage,
): Promise<FindingGroupKey[]> {
  const keys = sortKeys(page.sort, page.after);
  const rows = await queryRows<{ fingerprint: string; sev: number; rule: string; first_seen: string | Date }>(
    tx,
    sql`select fingerprint, sev, rule, first_seen from ${problems(tenantId, evaluationId, f, page.asOf)} p
    ${keys.after ? sql`where ${keys.after}` : sql``}
    order by ${sql.join(keys.order, sql`, `)}
    limit ${page.limit}`,
  );
  return rows.map((r) => {
    const firstSeen = new Date(r.first_seen).toISOString();
    const sev = Number(r.sev);
    const key = page.sort === 'severity' ? [sev, r.rule, r.fingerprint] : [firstSeen, sev, r.rule, r.fingerprint];
    return { fingerprint: r.fingerprint, key };
  });
}

interface SortKey {
  expr: SQL;
  desc: boolean;
  value: (v: string | number) => SQL;
}

const asInt = (v: string | number) => sql`${v}::int`;
const asText = (v: string | number) => sql`${v}::text`;
const asTime = (v: string | number) => sql`${v}::timestamptz`;

/** The ORDER BY of a sort and, after a cursor, the condition "sorts after it" (row by row, lexicographic). */
function sortKeys(sort: FindingSort, after?: readonly (string | number)[]): { order: SQL[]; after?: SQL } {
  const tail: SortKey[] = [
    { expr: sql`sev`, desc: false, value: asInt },
    // NOTE: byte order, not the database's locale: the same pages on every server and on PGlite
    { expr: sql`rule collate "C"`, desc: false, value: asText },
    { expr: sql`fingerprint collate "C"`, desc: false, value: asText },
  ];
  const keys: SortKey[] =
    sort === 'severity' ? tail : [{ expr: sql`first_seen`, desc: sort === '-firstSeen', value: asTime }, ...tail];
  const order = keys.map((k) => (k.desc ? sql`${k.expr} desc` : sql`${k.expr} asc`));
  if (!after) return { order };
  if (after.length !== keys.length) throw new Error('a cursor of another sort'); // the caller checked it
  const beyond = (i: number): SQL => {
    const k = keys[i]!;
    const v = k.value(after[i]!);
    const strictly = k.desc ? sql`${k.expr} < ${v}` : sql`${k.expr} > ${v}`;
    return i === keys.length - 1 ? strictly : sql`(${strictly} or (${k.expr} = ${v} and ${beyond(i + 1)}))`;
  };
  return { order, after: beyond(0) };
}

/** The findings (one per pack) of the given fingerprints of an evaluation. */
export async function findingsOfPrints(
  tx: Tx,
  tenantId: string,
  evaluationId: string,
  fingerprints: readonly string[],
): Promise<FindingRow[]> {
  if (fingerprints.length === 0) return [];
  return tx
    .select()
    .from(findings)
    .where(
      and(
        eq(findings.tenantId, tenantId),
        eq(findings.evaluationId, evaluationId),
        inArray(findings.fingerprint, [...fingerprints]),
      ),
    );
}

/**
 * Every finding (one per pack) of the problems the filter lets through, as `problems` reads the
 * filter: the CSV and XLSX downloads, which group them again. NOTE: two statements, the
 * fingerprints then the findings filtered in memory: `fingerprint in (grouped subquery)` ran for
 * minutes on PGlite over 18,000 findings.
 */
export async function matchingFindings(
  tx: Tx,
  tenantId: string,
  evaluationId: string,
  f: FindingFilter,
): Promise<FindingRow[]> {
  const prints = await queryRows<{ fingerprint: string }>(
    tx,
    sql`select fingerprint from ${problems(tenantId, evaluationId, f, new Date(0))} p`,
  );
  const wanted = new Set(prints.map((p) => p.fingerprint));
  const rows = await tx
    .select()
    .from(findings)
    .where(
      and(
        ...findingConditions(tenantId, evaluationId, { ...f, status: undefined, severity: undefined, pack: undefined }),
      ),
    )
    .orderBy(findings.id);
  return rows.filter((r) => wanted.has(r.fingerprint));
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
