/**
 * `node bench/start.mjs [--runs 3] [--out FILE]`: wall time from spawning `npm start` to the first
 * `/healthz` answer, on the tree as it is (PORT=0, one PGlite data dir in a temp folder for all
 * the runs, so only the first run creates it). Not part of `npm run bench`: it measures the
 * developer's start, prestart build included, not the service. The first run builds when dist/
 * is stale (scripts/build-if-stale.mjs), the others show an unchanged tree.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answer, log, options, ROOT, summary } from './lib/common.mjs';

const sleep = (msec) => new Promise((r) => setTimeout(r, msec));

/** One `npm start`: ms until /healthz answers 200; the whole process group is stopped after. */
async function startOnce(dataDir, timeoutMs = 180_000) {
  const started = process.hrtime.bigint();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', POSTURE_DATA_DIR: dataDir, POSTURE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    for (;;) {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m && (await healthy(Number(m[1])))) return Number(process.hrtime.bigint() - started) / 1e6;
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${out}`);
      if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) throw new Error(`no answer:\n${out}`);
      await sleep(20);
    }
  } finally {
    if (child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

async function healthy(port) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

const opts = options();
const runs = Number(opts.runs ?? 3);
const dataDir = mkdtempSync(join(tmpdir(), 'posture-start-'));
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    times.push(await startOnce(dataDir));
    log(`npm start → /healthz: ${(times[i] / 1000).toFixed(2)} s`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
answer(opts, { what: 'npm start until /healthz answers (ms)', ...summary(times, 0) });
