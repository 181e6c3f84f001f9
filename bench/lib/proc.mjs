/**
 * Processes the bench measures: spawned commands timed from spawn to exit, the Posture server
 * (`node dist/cli/index.js serve`, PORT=0, its port read from the "listening on" log line) and
 * the bare express server, each in its own process; PostgreSQL databases made and dropped per
 * run; the RSS of a process read from /proc.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, CLI, OUT } from './common.mjs';

const sleep = (msec) => new Promise((r) => setTimeout(r, msec));

/** Runs a command to completion; stdout to a file (or /dev/null); returns wall ms, exit code and stderr. */
export function timeProcess(cmd, args, { env, stdoutFile = '/dev/null', cwd } = {}) {
  return new Promise((resolve, reject) => {
    const out = openSync(stdoutFile, 'w');
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, 'pipe'], cwd });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => {
      closeSync(out);
      reject(err);
    });
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      closeSync(out);
      resolve({ ms, code, signal, stderr });
    });
  });
}

/** Output of a short command (throws on a non-zero exit). */
export async function capture(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim()}`)),
    );
  });
}

/**
 * Starts a server process whose stdout (the log) goes to a file, and waits for its
 * "listening on http://localhost:PORT" line. Returns { child, pid, port, url, logFile, stop() }.
 */
export async function startServer(name, cmd, args, { env = {}, timeoutMs = 60_000 } = {}) {
  const logDir = join(OUT, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  // the load generators send hundreds of requests a second from one address with one token:
  // the per-address and per-subject rate limits are not what the bench measures
  const childEnv = {
    ...process.env,
    PORT: '0',
    POSTURE_RATE_LIMIT_PER_ADDRESS: '0',
    POSTURE_RATE_LIMIT_PER_SUBJECT: '0',
    ...env,
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn(cmd, args, { env: childEnv, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const started = Date.now();
  for (;;) {
    const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    const m = /listening on http:\/\/[^:]+:(\d+)/.exec(text);
    if (m) {
      const port = Number(m[1]);
      return {
        child,
        pid: child.pid,
        port,
        url: `http://127.0.0.1:${port}`,
        logFile,
        stop: () => stopProcess(child),
        exited: () => exited,
      };
    }
    if (exited)
      throw new Error(
        `${name} exited (${exited.code ?? exited.signal}) before listening; log: ${logFile}\n${text.slice(-2000)}`,
      );
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not log "listening on" within ${timeoutMs} ms; log: ${logFile}`);
    }
    await sleep(50);
  }
}

/** SIGTERM, then SIGKILL after 30 s; resolves when the process is gone. */
export function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A fresh data dir for one server process (removed by the caller with removeDir). */
export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The Posture server: `node [nodeArgs] dist/cli/index.js serve`, with a temp data dir and, for
 * PostgreSQL, DATABASE_URL (node refuses --cpu-prof in NODE_OPTIONS: profiling goes in nodeArgs).
 */
export async function startPosture(name, { dataDir, databaseUrl, env = {}, nodeArgs = [], cli = CLI }) {
  const server = await startServer(name, process.execPath, [...nodeArgs, cli, 'serve'], {
    env: { POSTURE_DATA_DIR: dataDir, NODE_ENV: 'development', DATABASE_URL: databaseUrl, ...env },
  });
  const token = await capture(
    process.execPath,
    [cli, 'token', '--tenant', '*', '--role', 'admin', '--ttl', '2h', '--sub', 'bench'],
    { POSTURE_DATA_DIR: dataDir },
  );
  return { ...server, token };
}

export async function startBare(name) {
  return startServer(name, process.execPath, [join(BENCH_DIR, 'bare-server.mjs')]);
}

/** POST a JSON body with the bench token; returns the parsed answer (throws on a non-2xx). */
export async function api(server, method, path, body) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/** VmRSS and VmHWM of a process, in bytes (/proc/<pid>/status). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets VmHWM to the current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0); false when not allowed. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Polls VmRSS every `everyMs` until stopped; `stop()` gives the max RSS bytes seen, `peakAtMs()` when (ms after the start). */
export function sampleRss(pid, everyMs = 20) {
  let max = 0;
  let at = 0;
  const start = Date.now();
  const timer = setInterval(() => {
    try {
      const rss = memoryOf(pid).rss;
      if (rss > max) [max, at] = [rss, Date.now() - start];
    } catch {
      /* the process is gone */
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
    peakAtMs: () => at,
  };
}

/** PostgreSQL for the bench: a fresh database per run, made and dropped through `pg` (a project dependency). */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function pgClient() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  return client;
}

/** Whether the PostgreSQL server answers; the reason when it does not. */
export async function pgAvailable() {
  try {
    const c = await pgClient();
    const v = await c.query('select version()');
    await c.end();
    return { ok: true, version: v.rows[0].version };
  } catch (err) {
    return { ok: false, reason: err.message };
  }
}

export async function createDatabase(label) {
  const name = `posture_bench_${label}_${process.pid}_${Date.now()}`.replace(/[^a-z0-9_]/g, '_');
  const c = await pgClient();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropDatabase(name) {
  const c = await pgClient();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
}
