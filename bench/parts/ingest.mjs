/**
 * Part b: ingest over HTTP under load. autocannon posts ~20 KB nftables exports (CI-sized) with
 * 16 connections, EVERY request a different export (the marker comment "ci-build 000000000"
 * becomes the request's sequence number: the raw bytes and the canonical document both change,
 * so no request takes the duplicate path), to
 *   - the Posture service as a user runs it: `node dist/cli/index.js serve` in its own process,
 *     a temp data dir, PGlite or PostgreSQL (a fresh database, dropped afterwards), an admin
 *     token from `posture token`, 16 client tenants (the requests go round-robin over them:
 *     16 CI pipelines), and every ingest running the evaluation of the tenant's packs, as the
 *     product does;
 *   - a bare express endpoint parsing the same bodies (bench/bare-server.mjs), in its own
 *     process, measured in the same run, right before.
 * Both get one unmeasured warm-up run first.
 *
 *   node bench/parts/ingest.mjs --data DIR --db pglite|postgres [--duration 20] [--connections 16] [--runs 5] [--out f.json]
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { answer, log, options, summary } from '../lib/common.mjs';
import {
  api,
  createDatabase,
  dropDatabase,
  pgAvailable,
  removeDir,
  startBare,
  startPosture,
  tempDir,
} from '../lib/proc.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const opts = options();
/** `--profile-dir D`: the Posture server runs under `node --cpu-prof` (profile written when it stops) */
const serverNodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
const duration = Number(opts.duration ?? 20);
const connections = Number(opts.connections ?? 16);
const runs = Number(opts.runs ?? 5);
const tenants = Number(opts.tenants ?? 16);
const db = opts.db ?? 'pglite';
const MARK = 'ci-build 000000000';
const template = readFileSync(join(opts.data, 'nftables/ci-template.json'), 'utf8');
if (!template.includes(MARK)) throw new Error(`the CI template has no "${MARK}" marker: regenerate the data`);
const bodyBytes = Buffer.byteLength(template);

let sequence = 0;
/** The next distinct export (same length as the template). */
function nextBody() {
  const n = sequence++;
  return { n, body: template.replace(MARK, `ci-build ${String(n).padStart(9, '0')}`) };
}

function cannon({ url, path, headers, seconds }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const { n, body } = nextBody();
              return { ...req, path: path(n), headers: { ...headers, 'content-type': 'application/json' }, body };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

function figures(r) {
  const ok = r['2xx'];
  return {
    rps: Number((ok / r.duration).toFixed(1)),
    requests: r.requests.total,
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    seconds: Number(r.duration.toFixed(2)),
  };
}

const result = { db, duration, connections, tenants, bodyBytes, runs: [] };
if (db === 'postgres') {
  const pg = await pgAvailable();
  if (!pg.ok) {
    result.skipped = `PostgreSQL is not reachable (${pg.reason}): not measured`;
    log(`ingest/${db}: ${result.skipped}`);
    answer(opts, result);
    process.exit(0);
  }
  result.postgres = pg.version;
}

const dataDir = tempDir('posture-bench-ingest-');
const database = db === 'postgres' ? await createDatabase('ingest') : undefined;
const bare = await startBare(`bare-${db}`);
let posture;
try {
  posture = await startPosture(`posture-ingest-${db}`, {
    dataDir,
    databaseUrl: database?.url,
    nodeArgs: serverNodeArgs,
  });
  const slugs = Array.from({ length: tenants }, (_, i) => `bench-ci-${String(i).padStart(2, '0')}`);
  for (const slug of slugs)
    await api(posture, 'POST', '/v1/tenants', { slug, name: `Bench CI ${slug}`, kind: 'client' });
  const posturePath = (n) => `/v1/tenants/${slugs[n % slugs.length]}/snapshots?source=nftables&internetInterfaces=eth0`;
  const postureHeaders = { authorization: `Bearer ${posture.token}` };
  // a sanity check that the request is what we think it is
  const probe = await fetch(`${posture.url}${posturePath(0)}`, {
    method: 'POST',
    headers: { ...postureHeaders, 'content-type': 'application/json' },
    body: nextBody().body,
  });
  const probeBody = await probe.json();
  if (probe.status !== 201)
    throw new Error(`probe ingest answered ${probe.status}: ${JSON.stringify(probeBody).slice(0, 500)}`);
  result.probe = { status: probe.status, itemCount: probeBody.itemCount, findings: probeBody.evaluation?.summary };
  log(`ingest/${db}: probe 201, ${probeBody.itemCount} firewall rules; warm-up`);
  await cannon({ url: bare.url, path: () => '/ingest', headers: {}, seconds: Math.min(3, duration) });
  await cannon({ url: posture.url, path: posturePath, headers: postureHeaders, seconds: Math.min(3, duration) });
  for (let i = 0; i < runs; i++) {
    const b = figures(await cannon({ url: bare.url, path: () => '/ingest', headers: {}, seconds: duration }));
    const p = figures(
      await cannon({ url: posture.url, path: posturePath, headers: postureHeaders, seconds: duration }),
    );
    const ratio = Number((p.rps / b.rps).toFixed(4));
    result.runs.push({ bare: b, posture: p, ratio });
    log(
      `ingest/${db}: run ${i + 1}/${runs}: posture ${p.rps} req/s (p50 ${p.p50} ms, p99 ${p.p99} ms, non-2xx ${p.non2xx}, errors ${p.errors}) | bare ${b.rps} req/s | ratio ${ratio}`,
    );
  }
  const pick = (side, key) => result.runs.map((r) => r[side][key]);
  result.posture = {
    rps: summary(pick('posture', 'rps'), 1),
    p50: summary(pick('posture', 'p50'), 1),
    p99: summary(pick('posture', 'p99'), 1),
    non2xx: pick('posture', 'non2xx').reduce((a, b) => a + b, 0),
    errors: pick('posture', 'errors').reduce((a, b) => a + b, 0),
    timeouts: pick('posture', 'timeouts').reduce((a, b) => a + b, 0),
    requests: pick('posture', 'requests').reduce((a, b) => a + b, 0),
  };
  result.bare = {
    rps: summary(pick('bare', 'rps'), 1),
    p50: summary(pick('bare', 'p50'), 1),
    p99: summary(pick('bare', 'p99'), 1),
    non2xx: pick('bare', 'non2xx').reduce((a, b) => a + b, 0),
    errors: pick('bare', 'errors').reduce((a, b) => a + b, 0),
  };
  result.ratio = summary(
    result.runs.map((r) => r.ratio),
    4,
  );
  result.distinctBodies = sequence;
} finally {
  await bare.stop();
  if (posture) await posture.stop();
  if (database) await dropDatabase(database.name);
  removeDir(dataDir);
}
answer(opts, result);
