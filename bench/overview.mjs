/**
 * Not run by `npm run bench`: issue 17's overview target — `GET /v1/tenants/{msp}/overview` for
 * an MSP with 500 clients × 4 packs answered in under 300 ms on PostgreSQL — against the built
 * server (`dist/`) on a fresh database.
 *
 *   npm run build && nice node bench/overview.mjs [--clients 500] [--evaluations 12] [--findings 25] [--runs 30]
 *     [--out bench/out/overview.json] [--keep: leave the database for EXPLAIN]
 *
 * The data is written straight into the tables as their owner (generate_series, seconds rather
 * than the hours 24,000 real evaluations would take): per client, `evaluations` evaluations of 4
 * packs 5 days apart (the latest as of now), each with its scores rows and `findings` failing
 * findings per pack whose fingerprints drift (2 per evaluation), so "new since last week" has
 * something to count; 3 snapshots (identity, endpoint, firewall); 3 approved waivers and 2
 * attestations, some expiring within 30 days. Then ANALYZE, 3 warm-up requests and `runs` timed
 * ones, one at a time, each from request to the last byte of the body.
 */
import { answer, log, ms, now, options, summary } from './lib/common.mjs';
import { createDatabase, dropDatabase, pgAvailable, removeDir, startPosture, tempDir } from './lib/proc.mjs';

const opts = options();
const CLIENTS = Number(opts.clients ?? 500);
const EVALUATIONS = Number(opts.evaluations ?? 12);
const FINDINGS = Number(opts.findings ?? 25);
const RUNS = Number(opts.runs ?? 30);
const PACKS = ['hipaa-security-rule', 'pci-dss-4.0.1', 'cis-controls-8.1', 'msp-technician-hygiene'];
const MSP_ID = '0195a1c0-0000-7000-8000-00000000a000';

const avail = await pgAvailable();
if (!avail.ok) {
  log(`PostgreSQL does not answer: ${avail.reason}`);
  process.exit(1);
}
const database = await createDatabase('overview');
const dataDir = tempDir('posture-overview-');
let server;
try {
  server = await startPosture('posture-overview', { dataDir, databaseUrl: database.url });
  const seedMs = await seed(database.url);
  log(`seeded in ${seedMs.toFixed(0)} ms`);
  const path = '/v1/tenants/bench-msp/overview';
  const get = async () => {
    const t0 = now();
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
    const text = await res.text();
    const took = ms(t0);
    if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
    return { took, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
  };
  for (let i = 0; i < 3; i++) await get();
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    last = await get();
    times.push(last.took);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
  const tenants = last.body.tenants;
  const result = {
    clients: CLIENTS,
    packs: PACKS.length,
    evaluationsPerClient: EVALUATIONS,
    failingPerPackEvaluation: FINDINGS,
    tenantsInAnswer: tenants.length,
    packRows: tenants.reduce((n, t) => n + t.packs.length, 0),
    newSinceLastWeek: tenants.reduce((n, t) => n + t.packs.reduce((m, p) => m + p.newSinceLastWeek, 0), 0),
    bodyBytes: last.bytes,
    ms: summary(times, 1),
    p95Ms: Number(p95.toFixed(1)),
    target: 'median < 300 ms',
    verdict: summary(times).median < 300 ? 'PASS' : 'MISS',
  };
  answer(opts, result);
} catch (err) {
  log(`overview bench failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await server?.stop();
  if (opts.keep) log(`kept ${database.url}`);
  else await dropDatabase(database.name).catch(() => {});
  removeDir(dataDir);
}

async function seed(url) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  const t0 = now();
  try {
    return await fill(c, t0);
  } catch (err) {
    await c.query('rollback').catch(() => {});
    throw err;
  } finally {
    await c.end();
  }
}

async function fill(c, t0) {
  const packs = `array['${PACKS.join("','")}']`;
  await c.query('begin');
  await c.query(
    `insert into tenants (id, slug, name, kind, packs) values ($1, 'bench-msp', 'Bench MSP', 'msp', '[]')`,
    [MSP_ID],
  );
  await c.query(
    `insert into tenants (id, slug, name, kind, parent_id, packs)
     select ('0195a1c0-0000-7000-8001-' || lpad(to_hex(i), 12, '0'))::uuid, 'client-' || lpad(i::text, 4, '0'),
       'Client ' || i, 'client', $1, $2::jsonb
     from generate_series(1, $3) i`,
    [MSP_ID, JSON.stringify(PACKS), CLIENTS],
  );
  // evaluation k of client i: as of now − (EVALUATIONS − k) × 5 days
  await c.query(
    `create temp table e as
     select t.id as tenant_id, ('0195a1c0-0000-7000-' || lpad(to_hex(k), 4, '0') || '-' || substr(replace(t.id::text, '-', ''), 21, 12))::uuid as id,
       k, now() - ((${EVALUATIONS} - k) * interval '5 days') as as_of
     from tenants t cross join generate_series(1, ${EVALUATIONS}) k where t.kind = 'client'`,
  );
  await c.query(
    `insert into evaluations (tenant_id, id, as_of, created_at, created_by, trigger, packs, parameters, snapshot_ids, file_hashes, result)
     select tenant_id, id, as_of, as_of, 'bench', 'ingest', $1::jsonb, '{}', '[]', '{}', '{"packs": []}' from e`,
    [JSON.stringify(PACKS)],
  );
  await c.query(
    `insert into evaluation_scores (tenant_id, evaluation_id, pack_id, as_of, created_at, verified_numerator, verified_denominator,
       with_attestations_numerator, with_attestations_denominator, with_waivers_numerator, with_waivers_denominator,
       open_critical, open_high, open_medium, open_low, open_info)
     select e.tenant_id, e.id, p, e.as_of, e.as_of, 20 + (e.k * 3 + length(p)) % 40, 80, 25 + (e.k * 3 + length(p)) % 40, 90,
       30 + (e.k * 3 + length(p)) % 40, 90, ${FINDINGS} / 5, ${FINDINGS} / 5, ${FINDINGS} / 5, ${FINDINGS} / 5, ${FINDINGS} - 4 * (${FINDINGS} / 5)
     from e cross join unnest(${packs}) p`,
  );
  await c.query(
    `insert into findings (tenant_id, evaluation_id, id, pack_id, rule_id, requirements, status, severity, source, item_id, item_name,
       message, evidence, is_new, fingerprint, first_seen_at)
     select e.tenant_id, e.id, gen_random_uuid(), p, 'rule.' || ((j + 2 * e.k) % 7), '[]', 'fail',
       (array['critical','high','medium','low','info'])[1 + j % 5], 'canonical', 'item-' || (j + 2 * e.k), 'Item ' || (j + 2 * e.k),
       'failing', '{"mfa": {"registered": false}}', false, p || '/rule.' || ((j + 2 * e.k) % 7) || '/item-' || (j + 2 * e.k), e.as_of
     from e cross join unnest(${packs}) p cross join generate_series(1, ${FINDINGS}) j`,
  );
  await c.query(
    `insert into snapshots (tenant_id, id, kind, source, instance, collected_at, received_at, sha256, document_sha256, content_type,
       parts, normalized, item_count, submitted_by)
     select t.id, gen_random_uuid(), s.kind, s.source, 'default', now() - (s.n * interval '4 days'), now() - (s.n * interval '4 days'),
       'x', 'y', 'application/json', '[]', '{}', 0, 'bench'
     from tenants t cross join (values ('identity', 'okta', 1), ('endpoint', 'crowdstrike', 2), ('firewall', 'pfsense', 3)) s(kind, source, n)
     where t.kind = 'client'`,
  );
  await c.query(
    `insert into waivers (tenant_id, id, rule_id, pack_id, item_match, justification, status, approved_by, approved_at, created_by, expires_at)
     select t.id, gen_random_uuid(), 'rule.1', null, 'item-*', 'bench', 'approved', 'approver', now(), 'bench', now() + (d * interval '1 day')
     from tenants t cross join unnest(array[10, 25, 120]) d where t.kind = 'client'`,
  );
  await c.query(
    `insert into attestations (tenant_id, id, pack_id, requirement_id, statement, attested_by, valid_until)
     select t.id, gen_random_uuid(), 'hipaa-security-rule', 'r' || d, 'bench', 'bench', now() + (d * interval '1 day')
     from tenants t cross join unnest(array[15, 200]) d where t.kind = 'client'`,
  );
  await c.query('commit');
  await c.query('analyze');
  return ms(t0);
}
