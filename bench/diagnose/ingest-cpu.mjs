/**
 * Where the CPU of part b goes: the Posture server on PostgreSQL under the same autocannon load
 * as bench/parts/ingest.mjs (16 connections, distinct ~20 KB nftables exports, 16 tenants), with
 * the CPU seconds of the server process(es), of PostgreSQL's backends and of this load generator
 * read from /proc before and after. A diagnostic (single run, Linux only), not part of `npm run bench`.
 *
 *   node bench/diagnose/ingest-cpu.mjs [--data bench/out/data] [--duration 15] [--env K=V,K=V]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { OUT, options } from '../lib/common.mjs';
import { api, createDatabase, dropDatabase, removeDir, startPosture, tempDir } from '../lib/proc.mjs';

const autocannon = createRequire(import.meta.url)('autocannon');
const opts = options();
const duration = Number(opts.duration ?? 15);
const env = Object.fromEntries(
  String(opts.env ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split('=')),
);
const template = readFileSync(join(opts.data ?? join(OUT, 'data'), 'nftables/ci-template.json'), 'utf8');
const TICK = 100; // USER_HZ

/** utime + stime of every process whose command line matches, in seconds */
function cpuOf(match) {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!match(cmd, Number(pid))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      /* gone */
    }
  }
  return ticks / TICK;
}

let seq = 0;
const run = (url, path, headers, seconds) =>
  new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        connections: 16,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const n = seq++;
              return {
                ...req,
                path: path(n),
                headers: { ...headers, 'content-type': 'application/json' },
                body: template.replace('ci-build 000000000', `ci-build ${String(n).padStart(9, '0')}`),
              };
            },
          },
        ],
      },
      (e, r) => (e ? reject(e) : resolve(r)),
    ),
  );

const dataDir = tempDir('posture-diag-cpu-');
const database = await createDatabase('diagcpu');
const posture = await startPosture('diagnose-cpu', { dataDir, databaseUrl: database.url, env });
try {
  const slugs = Array.from({ length: 16 }, (_, i) => `cpu-${i}`);
  for (const slug of slugs) await api(posture, 'POST', '/v1/tenants', { slug, name: slug, kind: 'client' });
  const path = (n) => `/v1/tenants/${slugs[n % 16]}/snapshots?source=nftables&internetInterfaces=eth0`;
  const headers = { authorization: `Bearer ${posture.token}` };
  await run(posture.url, path, headers, 3);
  const server = (_cmd, pid) => pid === posture.pid;
  const postgres = (cmd) => cmd.startsWith('postgres');
  const before = { server: cpuOf(server), postgres: cpuOf(postgres), self: process.cpuUsage() };
  const r = await run(posture.url, path, headers, duration);
  const self = process.cpuUsage(before.self);
  const used = {
    server: cpuOf(server) - before.server,
    postgres: cpuOf(postgres) - before.postgres,
    autocannon: (self.user + self.system) / 1e6,
  };
  const ok = r['2xx'];
  console.log(
    `${(ok / r.duration).toFixed(1)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`,
  );
  for (const [k, s] of Object.entries(used))
    console.log(
      `  ${k.padEnd(10)} ${s.toFixed(1)} CPU-s = ${((s / r.duration) * 100).toFixed(0)}% of a core, ${((s * 1000) / ok).toFixed(2)} ms per ingest`,
    );
} finally {
  await posture.stop();
  await dropDatabase(database.name);
  removeDir(dataDir);
}
