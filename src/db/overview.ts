/**
 * The reads behind the MSP overview, each one set-based over all the tenants at once (a query per
 * client would make 500 clients 500 round trips): the latest scores rows per (tenant, pack) with
 * their series, findings new since a time, the oldest evidence by kind, and what expires soon.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Tx } from './client.js';

export interface OverviewQuery {
  tenantIds: readonly string[];
  now: Date;
  /** "new since": the base is the latest evaluation at or before this time */
  since: Date;
  /** waivers and attestations expiring after now and at or before this time */
  expiringBy: Date;
  /** rows per (tenant, pack) in the series, the latest first */
  limit: number;
  /** the packs to report: every known pack, or the one asked for */
  packIds: readonly string[];
  /** the one pack asked for (waivers and attestations of it only) */
  pack?: string;
}

export interface ScoreSeriesRow {
  tenant_id: string;
  pack_id: string;
  evaluation_id: string;
  as_of: Date | string;
  verified_numerator: number;
  verified_denominator: number;
  with_attestations_numerator: number;
  with_attestations_denominator: number;
  with_waivers_numerator: number;
  with_waivers_denominator: number;
  open_critical: number;
  open_high: number;
  open_medium: number;
  open_low: number;
  open_info: number;
  /** 1 = the latest */
  rn: number;
}

const ids = (q: OverviewQuery) => sql`string_to_array(${q.tenantIds.join(',')}, ',')::uuid[]`;
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * The (tenant, pack) pairs to look up: every tenant with every pack asked for. NOTE: a lateral
 * probe per pair walks evaluation_scores_latest_idx in its order (tenant, pack, as_of desc, …) and
 * stops after `limit` rows; `tenant_id = any(…)` with a window function instead read and sorted
 * every row of every tenant (24,000 rows, 220 ms in bench/overview.mjs, at load ~10).
 */
const pairs = (q: OverviewQuery) =>
  sql`select t.id as tenant_id, p.id as pack_id from unnest(${ids(q)}) as t(id)
    cross join unnest(string_to_array(${q.packIds.join(',')}, ',')) as p(id)`;

/**
 * NOTE: the index's own order (drizzle-kit writes DESC NULLS LAST; a bare DESC means NULLS FIRST
 * and makes PostgreSQL sort instead of reading the index in order).
 */
const LATEST_FIRST = sql`order by s.as_of desc nulls last, s.created_at desc nulls last, s.evaluation_id desc nulls last`;

/** The last `limit` scores rows of each (tenant, pack) as of now, `rn` 1 the latest. */
export function scoreSeries(tx: Tx, q: OverviewQuery): Promise<ScoreSeriesRow[]> {
  return queryRows(
    tx,
    sql`select s.* from (${pairs(q)}) k
      cross join lateral (select s.*, (row_number() over (${LATEST_FIRST}))::int as rn from evaluation_scores s
        where s.tenant_id = k.tenant_id and s.pack_id = k.pack_id and s.as_of <= ${ts(q.now)}
        ${LATEST_FIRST} limit ${q.limit}) s`,
  );
}

/** The latest evaluation of each (tenant, pack) at or before `at`. */
function latestAt(q: OverviewQuery, at: Date): SQL {
  return sql`select k.tenant_id, k.pack_id, s.evaluation_id from (${pairs(q)}) k
    cross join lateral (select evaluation_id from evaluation_scores s
      where s.tenant_id = k.tenant_id and s.pack_id = k.pack_id and s.as_of <= ${ts(at)}
      ${LATEST_FIRST} limit 1) s`;
}

/** The fingerprints failing in `pack` of each evaluation of `evaluations` (tenant, pack, evaluation_id). */
function failing(evaluations: string): SQL {
  return sql`select f.tenant_id, f.pack_id, f.fingerprint from ${sql.raw(evaluations)} e
    join findings f on f.tenant_id = e.tenant_id and f.evaluation_id = e.evaluation_id
      and f.pack_id = e.pack_id and f.status = 'fail'`;
}

/**
 * Per (tenant, pack): failing findings of the latest evaluation whose fingerprint was not failing
 * in the latest evaluation at or before `since` (none then: every failing finding is new).
 * NOTE: a hashed EXCEPT of the two sets; a NOT EXISTS probe per finding ran 6 s for 50,000.
 */
export function newSince(tx: Tx, q: OverviewQuery): Promise<{ tenant_id: string; pack_id: string; n: number }[]> {
  return queryRows(
    tx,
    sql`with latest as materialized (${latestAt(q, q.now)}), base as materialized (${latestAt(q, q.since)})
    select tenant_id, pack_id, count(*)::int as n
    from (${failing('latest')} except ${failing('base')}) x
    group by tenant_id, pack_id`,
  );
}

/** Per (tenant, kind): the oldest collection time among the latest snapshot of each (source, instance). */
export function oldestEvidence(
  tx: Tx,
  q: OverviewQuery,
): Promise<{ tenant_id: string; kind: string; collected_at: Date | string }[]> {
  return queryRows(
    tx,
    sql`select tenant_id, kind, min(collected_at) as collected_at from (
      select distinct on (tenant_id, source, instance) tenant_id, kind, collected_at
      from snapshots where tenant_id = any(${ids(q)}) and received_at <= ${ts(q.now)}
      order by tenant_id, source, instance, received_at desc, id desc) s
    group by tenant_id, kind`,
  );
}

export interface ExpiringRow {
  tenant_id: string;
  what: 'waiver' | 'attestation';
  n: number;
  next_at: Date | string;
}

/** Per tenant: approved, unrevoked waivers and unrevoked attestations that expire after now and by `expiringBy`. */
export function expiring(tx: Tx, q: OverviewQuery): Promise<ExpiringRow[]> {
  const waiverPack = q.pack === undefined ? sql`` : sql`and (pack_id is null or pack_id = ${q.pack})`;
  const attestationPack = q.pack === undefined ? sql`` : sql`and pack_id = ${q.pack}`;
  return queryRows(
    tx,
    sql`select tenant_id, 'waiver' as what, count(*)::int as n, min(expires_at) as next_at from waivers
      where tenant_id = any(${ids(q)}) and status = 'approved' and revoked_at is null
        and expires_at > ${ts(q.now)} and expires_at <= ${ts(q.expiringBy)} ${waiverPack}
      group by tenant_id
    union all
    select tenant_id, 'attestation' as what, count(*)::int as n, min(valid_until) as next_at from attestations
      where tenant_id = any(${ids(q)}) and revoked_at is null
        and valid_until > ${ts(q.now)} and valid_until <= ${ts(q.expiringBy)} ${attestationPack}
      group by tenant_id`,
  );
}
