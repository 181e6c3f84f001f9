/**
 * Part c: one ~50 MB SentinelOne export ingested over HTTP by the Posture server on PostgreSQL:
 * the time from sending the request to the answer (which includes the evaluation of the
 * tenant's packs), and the growth of the SERVER process's peak RSS over its RSS before the
 * request, as a multiple of the body size. Each run is a fresh server on a fresh database (so
 * one run's heap does not flatter the next) that first ingests one small export (warm-up); the
 * peak is VmHWM after the request (reset to the current RSS just before it through
 * /proc/<pid>/clear_refs) and, as a cross-check, VmRSS polled every 20 ms. The body stays under
 * POSTURE_MAX_SNAPSHOT_BYTES' default (52,428,800); each run changes the first agent's name, at
 * the same length, so the body is a new export every time.
 *
 *   node bench/parts/big-ingest.mjs --data DIR [--runs 5] [--db postgres|pglite] [--out f.json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer, log, ms, now, options, summary } from '../lib/common.mjs';
import {
  api,
  createDatabase,
  dropDatabase,
  memoryOf,
  pgAvailable,
  removeDir,
  resetPeak,
  sampleRss,
  startPosture,
  tempDir,
} from '../lib/proc.mjs';

const opts = options();
/** `--profile-dir D`: the Posture server runs under `node --cpu-prof` (profile written when it stops) */
const serverNodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
const runs = Number(opts.runs ?? 5);
const db = opts.db ?? 'postgres';
const MARK = 'BENCH-RUN-0000';
const big = readFileSync(join(opts.data, 'sentinelone/agents-big.json'));
const markAt = big.indexOf(MARK);
if (markAt < 0) throw new Error(`the big export has no "${MARK}" marker: regenerate the data`);
const ci = readFileSync(join(opts.data, 'nftables/ci-template.json'));
const sleep = (t) => new Promise((r) => setTimeout(r, t));

const result = { db, bodyBytes: big.length, runs: [] };
if (db === 'postgres') {
  const pg = await pgAvailable();
  if (!pg.ok) {
    result.skipped = `PostgreSQL is not reachable (${pg.reason}): not measured`;
    log(`big-ingest: ${result.skipped}`);
    answer(opts, result);
    process.exit(0);
  }
  result.postgres = pg.version;
}

for (let i = 0; i < runs; i++) {
  const body = Buffer.from(big);
  body.write(`BENCH-RUN-${String(i + 1).padStart(4, '0')}`, markAt, 'latin1');
  const dataDir = tempDir('posture-bench-big-');
  const database = db === 'postgres' ? await createDatabase('big') : undefined;
  let server;
  try {
    server = await startPosture(`posture-big-${db}-${i + 1}`, {
      dataDir,
      databaseUrl: database?.url,
      nodeArgs: serverNodeArgs,
    });
    await api(server, 'POST', '/v1/tenants', { slug: 'bench-big', name: 'Bench big export', kind: 'client' });
    const warm = await fetch(`${server.url}/v1/tenants/bench-big/snapshots?source=nftables`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: ci,
    });
    if (warm.status !== 201) throw new Error(`warm-up ingest answered ${warm.status}`);
    await warm.arrayBuffer();
    await sleep(500);
    const before = memoryOf(server.pid);
    const peakReset = resetPeak(server.pid);
    const sampler = sampleRss(server.pid, 20);
    const t = now();
    const res = await fetch(`${server.url}/v1/tenants/bench-big/snapshots?source=sentinelone`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body,
    });
    const answerBody = await res.json();
    const elapsed = ms(t);
    const sampled = sampler.stop();
    const after = memoryOf(server.pid);
    if (res.status !== 201)
      throw new Error(`big ingest answered ${res.status}: ${JSON.stringify(answerBody).slice(0, 500)}`);
    const peak = Math.max(peakReset ? after.hwm : 0, sampled);
    const growth = peak - before.rss;
    const run = {
      seconds: Number((elapsed / 1000).toFixed(2)),
      status: res.status,
      itemCount: answerBody.itemCount,
      warnings: answerBody.warnings?.length,
      rssBeforeMB: Number((before.rss / 1e6).toFixed(1)),
      peakMB: Number((peak / 1e6).toFixed(1)),
      hwmAfterMB: Number((after.hwm / 1e6).toFixed(1)),
      sampledPeakMB: Number((sampled / 1e6).toFixed(1)),
      sampledPeakAtSeconds: Number((sampler.peakAtMs() / 1000).toFixed(2)),
      peakSource: peakReset ? 'VmHWM (reset before the request)' : 'VmRSS polled every 20 ms',
      growthMB: Number((growth / 1e6).toFixed(1)),
      ratio: Number((growth / body.length).toFixed(2)),
    };
    result.runs.push(run);
    log(
      `big-ingest/${db}: run ${i + 1}/${runs}: ${run.seconds} s, ${run.itemCount} agents, RSS ${run.rssBeforeMB} → peak ${run.peakMB} MB (+${run.growthMB} MB = ${run.ratio}x the ${(body.length / 1e6).toFixed(1)} MB body)`,
    );
  } finally {
    if (server) await server.stop();
    if (database) await dropDatabase(database.name);
    removeDir(dataDir);
  }
}
result.seconds = summary(
  result.runs.map((r) => r.seconds),
  2,
);
result.growthMB = summary(
  result.runs.map((r) => r.growthMB),
  1,
);
result.ratio = summary(
  result.runs.map((r) => r.ratio),
  2,
);
answer(opts, result);
