/** The built service and CLI (dist/) as child processes, on a PGlite data dir or DATABASE_URL. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';

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

export function startService(dataDir: string, opts: { embedded?: boolean } = {}): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: processEnv(dataDir, {}, opts),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 60_000);
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
