/**
 * The built service as a process: configuration errors, graceful shutdown on SIGTERM, and a
 * restart after `kill -9` that keeps every acknowledged write. Runs dist/ (npm test builds it)
 * on a PGlite data dir, or on DATABASE_URL when that is set.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueSlug } from '../helpers/app.js';
import { adminToken, CLI, processEnv, startService } from '../helpers/process.js';

const env = processEnv;
const start = startService;
const token = (dataDir: string) => adminToken(dataDir);

async function createTenant(port: number, tok: string, slug: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/tenants`, {
    method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify({ slug, name: slug, kind: 'msp' }),
  });
  return res.status;
}

async function tenantStatus(port: number, tok: string, slug: string): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/v1/tenants/${slug}`, { headers: { authorization: `Bearer ${tok}` } })).status;
}

describe('the service process', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'posture-proc-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops on a bad configuration with one line naming the variable', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve'], { env: env(dataDir, { PORT: 'eighty' }), encoding: 'utf8' });
    expect(r.status).toBe(78);
    expect(r.stderr).toBe('posture: configuration error: PORT must be a TCP port number (0-65535) (got "eighty")\n');
  });

  it('creates the HS256 secret with mode 0600 on first run', () => {
    token(dataDir);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  it('on SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    const tok = token(dataDir);
    const s = await start(dataDir);
    const slug = uniqueSlug('inflight');
    const body = JSON.stringify({ slug, name: 'in flight', kind: 'msp' });
    const answer = new Promise<number>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1', port: s.port, method: 'POST', path: '/v1/tenants',
        headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => { res.resume(); resolve(res.statusCode!); });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => s.child.kill('SIGTERM'), 200);
      // finish the body only after checking that new connections are refused
      setTimeout(() => {
        refused = fetch(`http://127.0.0.1:${s.port}/healthz`).then(() => false, () => true);
        void refused.then(() => req.end(body.slice(10)));
      }, 700);
    });
    let refused: Promise<boolean> = Promise.resolve(false);
    expect(await answer).toBe(201);
    expect(await refused).toBe(true);
    expect(await s.exited).toBe(0);
    // the tenant it acknowledged is there after a restart
    const again = await start(dataDir);
    try {
      expect(await tenantStatus(again.port, tok, slug)).toBe(200);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });

  it('restarts cleanly on its data after kill -9, with every acknowledged write present', async () => {
    const tok = token(dataDir);
    const s = await start(dataDir);
    const acknowledged: string[] = [];
    let stop = false;
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; !stop; i++) {
        const slug = uniqueSlug(`k${w}-${i}`);
        try {
          if ((await createTenant(s.port, tok, slug)) === 201) acknowledged.push(slug);
        } catch {
          return; // the connection died with the process
        }
      }
    });
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 20));
    s.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await s.exited;
    const again = await start(dataDir);
    try {
      const missing: string[] = [];
      for (const slug of acknowledged) if ((await tenantStatus(again.port, tok, slug)) !== 200) missing.push(slug);
      expect(missing).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(20);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
  }, 120_000);
});
