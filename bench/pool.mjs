/**
 * Not run by `npm run bench`: the issue-14 defect-4 targets (one request's CPU or memory must not
 * be everyone's), against the built server (`dist/`), each on a fresh server and data dir:
 *
 *   a. /healthz latency while one 45 MB SentinelOne export is ingested (polled every 50 ms from
 *      another connection; target: every answer under 200 ms), on the embedded default (PGlite)
 *      and on PostgreSQL when it answers;
 *   b. the server's peak RSS while five 45 MB exports are ingested at once, to five tenants
 *      (VmHWM reset before, cross-checked by VmRSS polled every 20 ms; target: under 1.5 GB);
 *      every answer 201 or 503 service_busy (counted);
 *   c. on the embedded default, another tenant's GET of its snapshot list polled every 100 ms
 *      during one 45 MB ingest (target: the slowest answer under 2 s).
 *
 *   npm run build && nice node bench/pool.mjs [--parts a,b,c] [--mb 45] [--dbs pglite] [--probe] [--out bench/out/pool.json]
 *
 * `--dbs pglite` leaves PostgreSQL out. `--probe` (part a) preloads bench/lib/loop-probe.mjs into
 * the server: its event loop's delay during the ingest, and the PGlite calls that ran on its
 * main thread, longest first; a.peakRssMB is the server's VmRSS peak.
 *
 * The export is generated once into bench/out/pool/ (seeded: the same bytes every time); each
 * request changes the first agent's name at the same length, so every ingest is a new export.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sentineloneExport } from './gen/sentinelone.mjs';
import { DEFAULT_SEED, todayUtc } from './generate.mjs';
import { answer, log, ms, now, options, OUT } from './lib/common.mjs';
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
} from './lib/proc.mjs';

const opts = options();
const parts = new Set(String(opts.parts ?? 'a,b,c').split(','));
const mb = Number(opts.mb ?? 45);
const MARK = 'BENCH-RUN-0000';
const sleep = (t) => new Promise((r) => setTimeout(r, t));

const dir = join(OUT, 'pool');
mkdirSync(dir, { recursive: true });
const file = join(dir, `agents-${mb}mb.json`);
if (!existsSync(file)) {
  const fd = openSync(file, 'w');
  const s1 = sentineloneExport({ seed: DEFAULT_SEED, anchorMs: Date.parse(todayUtc()), stream: 'pool', marker: true });
  s1.writeAgents(fd, writeSync, { maxBytes: mb * 1_000_000 });
  closeSync(fd);
}
const big = readFileSync(file);
const markAt = big.indexOf(MARK);
let run = 0;
/** a new export each time: the first agent's name changed at the same length */
function nextBody() {
  const body = Buffer.from(big);
  body.write(`BENCH-RUN-${String(++run).padStart(4, '0')}`, markAt, 'latin1');
  return body;
}

async function ingest(server, tenant, body) {
  const t = now();
  const res = await fetch(`${server.url}/v1/tenants/${tenant}/snapshots?source=sentinelone`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body,
  });
  const json = await res.json();
  return { status: res.status, seconds: Number((ms(t) / 1000).toFixed(2)), code: json.code, items: json.itemCount };
}

/** GETs `path` one after another every `everyMs` until stopped; the latencies in ms. */
function poll(server, path, everyMs, auth = true) {
  const latencies = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const t = now();
      const res = await fetch(`${server.url}${path}`, {
        headers: auth ? { authorization: `Bearer ${server.token}` } : {},
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      latencies.push(ms(t));
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      const sorted = [...latencies].sort((a, b) => a - b);
      const q = (p) => Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1));
      return { polls: sorted.length, medianMs: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99), maxMs: q(1) };
    },
  };
}

const PROBE = new URL('./lib/loop-probe.mjs', import.meta.url).pathname;

async function withServer(label, db, fn, { probe = false, cli } = {}) {
  const dataDir = tempDir(`posture-bench-pool-${label}-`);
  const probeFile = probe ? join(dataDir, '..', `${label}-${process.pid}-loop-probe.json`) : undefined;
  const database = db === 'postgres' ? await createDatabase(`pool_${label}`) : undefined;
  let server;
  try {
    server = await startPosture(`posture-pool-${label}`, {
      dataDir,
      databaseUrl: database?.url,
      cli,
      // `--profile-dir D`: the server runs under `node --cpu-prof` (the profile is written when it stops)
      nodeArgs: [
        ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []),
        ...(probeFile ? ['--import', PROBE] : []),
      ],
      env: probeFile ? { POSTURE_LOOP_PROBE: probeFile } : {},
    });
    const out = await fn(server);
    if (probeFile) {
      await server.stop();
      server = undefined;
      out.probe = readProbes(probeFile);
    }
    return out;
  } finally {
    if (server) await server.stop();
    if (database) await dropDatabase(database.name);
    removeDir(dataDir);
  }
}

/** the probe's report (the server's main thread) */
function readProbes(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file);
  return report;
}

const tenant = (server, slug) => api(server, 'POST', '/v1/tenants', { slug, name: slug, kind: 'client' });

const result = { bodyBytes: big.length, parts: {} };
const pg = await pgAvailable();
const dbs = (pg.ok ? ['pglite', 'postgres'] : ['pglite']).filter((d) => !opts.dbs || opts.dbs.split(',').includes(d));
if (!pg.ok) result.postgresSkipped = pg.reason;

// `--compare DIR`: another build (a copy of dist/ made before a change, one level below the
// repository so that its relative paths hold) runs parts a and b too, alternately with this one
const builds = opts.compare
  ? [
      ['before', join(opts.compare, 'cli', 'index.js')],
      ['after', undefined],
    ]
  : [['', undefined]];

if (parts.has('a')) {
  const rounds = Number(opts.rounds ?? 1);
  result.parts.healthz = {};
  for (let round = 0; round < rounds; round++) {
    for (const db of dbs) {
      for (const [build, cli] of builds) {
        const key = [db, build].filter(Boolean).join('/');
        const out = await withServer(
          `a-${db}`,
          db,
          async (server) => {
            await tenant(server, 'bench-a');
            const body = nextBody();
            await sleep(500);
            if (opts.probe) process.kill(server.pid, 'SIGUSR2'); // the probe starts over: start-up is not measured
            const rss = sampleRss(server.pid, 20);
            const probe = poll(server, '/healthz', 50, false);
            const answerOf = await ingest(server, 'bench-a', body);
            const latency = await probe.stop();
            const peakRssMB = Number((rss.stop() / 1e6).toFixed(1));
            log(
              `pool/a ${key}: ingest ${JSON.stringify(answerOf)}; /healthz ${JSON.stringify(latency)}; peak RSS ${peakRssMB} MB`,
            );
            return { ingest: answerOf, healthz: latency, peakRssMB };
          },
          { probe: Boolean(opts.probe), cli },
        );
        if (out.probe) log(`pool/a ${key} probe: ${JSON.stringify(out.probe)}`);
        (result.parts.healthz[key] ??= []).push(out);
      }
    }
  }
}

if (parts.has('b')) {
  result.parts.fiveAtOnce = {};
  for (const db of dbs) {
    for (const [build, cli] of builds) {
      const key = [db, build].filter(Boolean).join('/');
      result.parts.fiveAtOnce[key] = await withServer(
        `b-${db}`,
        db,
        async (server) => {
          for (let i = 1; i <= 5; i++) await tenant(server, `bench-b${i}`);
          const bodies = [1, 2, 3, 4, 5].map(() => nextBody());
          await sleep(500);
          if (opts.probe) process.kill(server.pid, 'SIGUSR2'); // the probe starts over
          const before = memoryOf(server.pid);
          const reset = resetPeak(server.pid);
          const sampler = sampleRss(server.pid, 20);
          const t = now();
          const answers = await Promise.all(bodies.map((b, i) => ingest(server, `bench-b${i + 1}`, b)));
          const seconds = Number((ms(t) / 1000).toFixed(1));
          const sampled = sampler.stop();
          const after = memoryOf(server.pid);
          const peak = Math.max(reset ? after.hwm : 0, sampled);
          const out = {
            seconds,
            answers: answers.map((a) => `${a.status}${a.code ? ` ${a.code}` : ''} in ${a.seconds} s`),
            rssBeforeMB: Number((before.rss / 1e6).toFixed(1)),
            peakMB: Number((peak / 1e6).toFixed(1)),
            peakSource: reset ? 'VmHWM (reset before the requests)' : 'VmRSS polled every 20 ms',
            bodiesMB: Number(((5 * big.length) / 1e6).toFixed(1)),
          };
          log(`pool/b ${key}: ${JSON.stringify(out)}`);
          return out;
        },
        { cli, probe: Boolean(opts.probe) },
      );
      const probe = result.parts.fiveAtOnce[key].probe;
      if (probe) log(`pool/b ${key} probe: ${JSON.stringify({ ...probe, pgliteCallsOnThisThread: undefined })}`);
    }
  }
}

if (parts.has('c')) {
  result.parts.otherTenant = await withServer('c', 'pglite', async (server) => {
    await tenant(server, 'bench-big');
    await tenant(server, 'bench-other');
    const small = await fetch(`${server.url}/v1/tenants/bench-other/snapshots?source=sentinelone`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: readFileSync(new URL('../tests/fixtures/sentinelone/agents-page1.json', import.meta.url)),
    });
    if (small.status !== 201) throw new Error(`the other tenant's ingest answered ${small.status}`);
    const probe = poll(server, '/v1/tenants/bench-other/snapshots', 100);
    const answerOf = await ingest(server, 'bench-big', nextBody());
    const latency = await probe.stop();
    log(`pool/c pglite: ingest ${JSON.stringify(answerOf)}; other tenant's GET ${JSON.stringify(latency)}`);
    return { ingest: answerOf, otherTenantGet: latency };
  });
}

if (parts.has('d')) {
  // d. what crossing to a worker costs this thread, against the parse it takes off it: the pool
  // in-process (dist/workers/pool.js), the export sent (transferred), its JSON text and an
  // evaluation of it back; the event loop's longest stall meanwhile (monitorEventLoopDelay)
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const { createWorkPool } = await import('../dist/workers/pool.js');
  const { readRuleFiles } = await import('../dist/config/rule-files.js');
  const { normaliseExport } = await import('../dist/domain/normalise-export.js');
  const { resolveAdapter } = await import('../dist/domain/parse-export.js');
  const pool = createWorkPool({ config: { threads: 1, queue: 1, heapMb: 1024 }, ruleFiles: readRuleFiles() });
  await pool.prepare({
    source: 'canonical',
    kind: 'endpoint',
    contentType: 'application/json',
    body: Buffer.from('{"endpoints":[]}'),
    clients: [],
  });
  const body = nextBody();
  const t0 = now();
  normaliseExport({ adapter: resolveAdapter('sentinelone'), parts: [{ name: 'body', bytes: body }] });
  const inThread = ms(t0);
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t1 = now();
  const prepared = await pool.prepare({ source: 'sentinelone', contentType: 'application/json', body, clients: [] });
  const viaPool = ms(t1);
  const output = await pool.evaluate({
    packIds: ['hipaa-security-rule', 'pci-dss-4.0.1', 'cis-controls-8.1'],
    asOf: new Date(),
    snapshots: [{ id: 'x', kind: 'endpoint', source: 'sentinelone', instance: 'default', json: prepared.json }],
  });
  h.disable();
  const t2 = now();
  structuredClone(prepared.json);
  const cloneJson = ms(t2);
  const t3 = now();
  structuredClone(output);
  const cloneOutput = ms(t3);
  await pool.close();
  result.parts.copy = {
    normaliseOnThisThreadMs: Math.round(inThread),
    prepareThroughPoolMs: Math.round(viaPool),
    bodyBytesBack: prepared.body.length,
    jsonMB: Number((prepared.json.length / 1e6).toFixed(1)),
    findings: output.findings.length,
    structuredCloneJsonMs: Math.round(cloneJson),
    structuredCloneEvaluationMs: Math.round(cloneOutput),
    eventLoopMaxStallMs: Math.round(h.max / 1e6),
  };
  log(`pool/d: ${JSON.stringify(result.parts.copy)}`);
}

answer(opts, result);
