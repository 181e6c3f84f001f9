/** The built service and CLI (dist/) as child processes, on a PGlite data dir or DATABASE_URL. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migratedImage } from './pglite-image.js';
import { SLOW_MS } from './timeouts.js';

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'index.js');

export interface Running {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

/** `embedded`: the PGlite data dir even when the tests run on DATABASE_URL (what only PGlite has, like its lock). */
export function processEnv(
  dataDir: string,
  extra: Record<string, string> = {},
  opts: { embedded?: boolean } = {},
): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    POSTURE_DATA_DIR: dataDir,
    PORT: '0',
    POSTURE_LOG_LEVEL: 'info',
    ...extra,
  };
  if (process.env.DATABASE_URL && !opts.embedded) {
    e.DATABASE_URL = process.env.DATABASE_URL;
    if (process.env.POSTURE_DATABASE_OWNER_URL) e.POSTURE_DATABASE_OWNER_URL = process.env.POSTURE_DATABASE_OWNER_URL;
  }
  return e;
}

/**
 * The time-out of a test or hook that runs the built CLI or service as child processes, several
 * times over: each run costs seconds on a busy 2-core machine, more than jest's default 30 s allows.
 */
export const SPAWNS_MS = SLOW_MS;

/** How long a service may take to say it listens: its first start on a busy 2-core machine takes up to a minute. */
export const START_MS = 100_000;

/**
 * `seeded`: a new embedded data dir starts as an image of a migrated database (pglite-image.ts)
 * rather than from PGlite's initdb — for tests of what the service does, not of its first start.
 */
export async function startService(
  dataDir: string,
  opts: { embedded?: boolean; seeded?: boolean } = {},
): Promise<Running> {
  const pgdata = join(dataDir, 'pgdata');
  if (opts.seeded && (opts.embedded || !process.env.DATABASE_URL) && !existsSync(pgdata)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const seed = await PGlite.create(pgdata, { loadDataDir: await migratedImage() });
    await seed.close();
  }
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: processEnv(dataDir, {}, opts),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    // a service that never says it listens is stopped: left running, it would keep jest from ever exiting
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no listening line within ${START_MS / 1000} s: ${out}`));
    }, START_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), exited });
      }
    });
    child.on('exit', () => reject(new Error(`exited before listening: ${out}`)));
  });
}

export function cli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', cwd, timeout: 120_000 });
}

export function adminToken(dataDir: string, tenant = '*'): string {
  const r = cli(['token', '--tenant', tenant, '--role', 'admin', '--sub', 'process-test'], processEnv(dataDir));
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

/**
 * One HTTP request on its own connection, answered as a fetch Response. `cli()` blocks the test's
 * event loop (spawnSync), so a pooled keep-alive socket can be closed by the service's idle
 * time-out without the test noticing, and the next `fetch` on it fails with "other side closed".
 */
export function fetchOnce(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        resolve(
          new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode!, headers }),
        );
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
