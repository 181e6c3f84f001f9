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
const packFilter = (q: OverviewQuery, column: SQL) => (q.pack === undefined ? sql`` : sql`and ${column} = ${q.pack}`);

/** The last `limit` scores rows of each (tenant, pack) as of now, `rn` 1 the latest. */
export function scoreSeries(tx: Tx, q: OverviewQuery): Promise<ScoreSeriesRow[]> {
  return queryRows(
    tx,
    sql`select * from (
      select s.*, (row_number() over (partition by s.tenant_id, s.pack_id
        order by s.as_of desc, s.created_at desc, s.evaluation_id desc))::int as rn
      from evaluation_scores s
      where s.tenant_id = any(${ids(q)}) and s.as_of <= ${ts(q.now)} ${packFilter(q, sql`s.pack_id`)}) x
    where rn <= ${q.limit}`,
  );
}

/** The latest evaluation of each (tenant, pack) at or before `at`. */
function latestAt(q: OverviewQuery, at: Date): SQL {
  return sql`select distinct on (tenant_id, pack_id) tenant_id, pack_id, evaluation_id
    from evaluation_scores where tenant_id = any(${ids(q)}) and as_of <= ${ts(at)} ${packFilter(q, sql`pack_id`)}
    order by tenant_id, pack_id, as_of desc, created_at desc, evaluation_id desc`;
}

/**
 * Per (tenant, pack): failing findings of the latest evaluation whose fingerprint was not failing
 * in the latest evaluation at or before `since` (none then: every failing finding is new).
 */
export function newSince(tx: Tx, q: OverviewQuery): Promise<{ tenant_id: string; pack_id: string; n: number }[]> {
  return queryRows(
    tx,
    sql`with latest as (${latestAt(q, q.now)}), base as (${latestAt(q, q.since)})
    select l.tenant_id, l.pack_id, count(*)::int as n
    from latest l
    join findings f on f.tenant_id = l.tenant_id and f.evaluation_id = l.evaluation_id
      and f.pack_id = l.pack_id and f.status = 'fail'
    left join base b on b.tenant_id = l.tenant_id and b.pack_id = l.pack_id
    where not exists (select 1 from findings g where g.tenant_id = b.tenant_id and g.evaluation_id = b.evaluation_id
      and g.pack_id = b.pack_id and g.status = 'fail' and g.fingerprint = f.fingerprint)
    group by l.tenant_id, l.pack_id`,
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
  return queryRows(
    tx,
    sql`select tenant_id, 'waiver' as what, count(*)::int as n, min(expires_at) as next_at from waivers
      where tenant_id = any(${ids(q)}) and status = 'approved' and revoked_at is null
        and expires_at > ${ts(q.now)} and expires_at <= ${ts(q.expiringBy)} ${waiverPack}
      group by tenant_id
    union all
    select tenant_id, 'attestation' as what, count(*)::int as n, min(valid_until) as next_at from attestations
      where tenant_id = any(${ids(q)}) and revoked_at is null
        and valid_until > ${ts(q.now)} and valid_until <= ${ts(q.expiringBy)} ${packFilter(q, sql`pack_id`)}
      group by tenant_id`,
  );
}
