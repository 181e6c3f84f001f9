/**
 * The built service as a process: configuration errors, graceful shutdown on SIGTERM, and a
 * restart after `kill -9` that keeps every acknowledged write. Runs dist/ (npm test builds it)
 * on a PGlite data dir, or on DATABASE_URL when that is set.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueSlug } from '../helpers/app.js';
import { adminToken, CLI, fetchOnce, processEnv, SPAWNS_MS, START_MS, startService } from '../helpers/process.js';

// every test starts the built service, most on a new data dir (PGlite's initdb: tens of seconds on a loaded machine)
import.meta.jest.setTimeout(SPAWNS_MS);

const env = processEnv;
const start = startService;
const token = (dataDir: string) => adminToken(dataDir);

async function createTenant(port: number, tok: string, slug: string): Promise<number> {
  const res = await fetchOnce(`http://127.0.0.1:${port}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify({ slug, name: slug, kind: 'msp' }),
  });
  return res.status;
}

async function tenantStatus(port: number, tok: string, slug: string): Promise<number> {
  return (
    await fetchOnce(`http://127.0.0.1:${port}/v1/tenants/${slug}`, { headers: { authorization: `Bearer ${tok}` } })
  ).status;
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

  /** `serve` that must not start: its exit code and stderr. */
  const refused = (extra: Record<string, string>) => {
    // SIGKILL on timeout: one that starts after all must fail the test, not hang it in a drain
    const r = spawnSync(process.execPath, [CLI, 'serve'], {
      env: { ...env(dataDir), ...extra },
      encoding: 'utf8',
      timeout: START_MS,
      killSignal: 'SIGKILL',
    });
    return { status: r.status, stderr: r.stderr };
  };
  const oneLine = (stderr: string) => {
    expect(stderr).toMatch(/^posture: [^\n]+\n$/);
    expect(stderr).not.toMatch(/\bat .*:\d+:\d+|node_modules|Error:/);
  };

  it('stops with one line and 1 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      const r = refused({ PORT: String(port) });
      oneLine(r.stderr);
      expect(r.stderr).toBe(`posture: cannot listen on port ${port}: the address is already in use (EADDRINUSE)\n`);
      expect(r.status).toBe(1);
      // the database it had opened was closed: the data dir is free again
      if (!process.env.DATABASE_URL) expect(existsSync(join(dataDir, 'posture.lock'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it.each([
    [
      'POSTURE_JWT_PUBLIC_KEY',
      { POSTURE_JWT_PUBLIC_KEY: '/nonexistent/jwt.pem', POSTURE_JWT_ISSUER: 'i', POSTURE_JWT_AUDIENCE: 'a' },
      /^posture: configuration error: POSTURE_JWT_PUBLIC_KEY: no PEM text and no file at \/nonexistent\/jwt\.pem\n$/,
    ],
    [
      'POSTURE_SIGNING_P12',
      { POSTURE_SIGNING_P12: '/nonexistent/sign.p12' },
      /^posture: configuration error: POSTURE_SIGNING_P12: cannot read \/nonexistent\/sign\.p12 \(ENOENT\)\n$/,
    ],
    [
      'POSTURE_SIGNING_KEY',
      { POSTURE_SIGNING_KEY: '/nonexistent/key.pem', POSTURE_SIGNING_CERT: '/nonexistent/cert.pem' },
      /^posture: configuration error: POSTURE_SIGNING_KEY: cannot read \/nonexistent\/key\.pem \(ENOENT\)\n$/,
    ],
    // under a regular file: no directory can be made there, not even by root
    [
      'POSTURE_DATA_DIR',
      { POSTURE_DATA_DIR: '<dataDir>/a-file/data' },
      /^posture: configuration error: POSTURE_DATA_DIR: cannot create \/.*\/a-file\/data \(ENOTDIR\)\n$/,
    ],
  ])('stops with one line and 78 when %s names what cannot be read or created', (_name, extra, line) => {
    writeFileSync(join(dataDir, 'a-file'), '');
    const r = refused(Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v.replace('<dataDir>', dataDir)])));
    oneLine(r.stderr);
    expect(r.stderr).toMatch(line);
    expect(r.status).toBe(78);
  });

  it('stops with one line and 1 when the database is unreachable, its password masked', () => {
    const r = refused({ DATABASE_URL: 'postgres://posture:s3cret-pw@127.0.0.1:1/posture' });
    oneLine(r.stderr);
    expect(r.stderr).toMatch(
      /^posture: cannot open the database at postgres:\/\/posture:\*\*\*@127\.0\.0\.1:1\/posture: .*ECONNREFUSED/,
    );
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(r.status).toBe(1);
  });

  // the lock guards the embedded database's files: these processes use PGlite whatever DATABASE_URL says
  it('refuses a second process on the same data dir with one line naming it, then starts once it is free', async () => {
    const embedded = { embedded: true };
    const first = await start(dataDir, embedded);
    try {
      const r = spawnSync(process.execPath, [CLI, 'serve'], {
        env: env(dataDir, {}, embedded),
        encoding: 'utf8',
        timeout: 30_000,
        killSignal: 'SIGKILL',
      });
      oneLine(r.stderr);
      expect(r.stderr).toContain(`the data dir ${dataDir} is in use by Posture process ${first.child.pid}`);
      expect(r.status).not.toBe(0);
      const migrate = spawnSync(process.execPath, [CLI, 'migrate'], {
        env: env(dataDir, {}, embedded),
        encoding: 'utf8',
        timeout: 60_000,
        killSignal: 'SIGKILL',
      });
      expect(migrate.status).not.toBe(0);
      expect(migrate.stderr).toContain(`the data dir ${dataDir} is in use by Posture process ${first.child.pid}`);
      expect(migrate.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }
    expect(existsSync(join(dataDir, 'posture.lock'))).toBe(false);
  }, 120_000);

  // four process starts in one test outran 120 s on a loaded CI machine: the stale locks are their own test
  it('starts over a lock left by a process that is gone, or whose pid another process has since', async () => {
    const embedded = { embedded: true };
    const stale = ['2147483646 \n', ...(existsSync('/proc/self/stat') ? [`${process.pid} 1\n`] : [])];
    for (const lock of stale) {
      writeFileSync(join(dataDir, 'posture.lock'), lock);
      const again = await start(dataDir, embedded);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
  }, 120_000);

  it('creates the HS256 secret with mode 0600 on first run', () => {
    token(dataDir);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  it('on SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    const tok = token(dataDir);
    const s = await start(dataDir);
    const slug = uniqueSlug('inflight');
    const body = JSON.stringify({ slug, name: 'in flight', kind: 'msp' });
    let refused: Promise<boolean> = Promise.resolve(false);
    const answer = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: s.port,
          method: 'POST',
          path: '/v1/tenants',
          headers: {
            authorization: `Bearer ${tok}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => s.child.kill('SIGTERM'), 200);
      // finish the body only after checking that new connections are refused
      setTimeout(() => {
        refused = fetch(`http://127.0.0.1:${s.port}/healthz`).then(
          () => false,
          () => true,
        );
        void refused.then(() => req.end(body.slice(10)));
      }, 700);
    });
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

  it('on SIGTERM before it listens (while migrating) exits 0 at once, and starts cleanly afterwards', async () => {
    const child = spawn(process.execPath, [CLI, 'serve'], { env: env(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // the rule packs are loaded before the database opens: the signal lands before listening
        if (out.includes('rule packs loaded')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited before loading the rule packs: ${out}`)));
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).not.toMatch(/listening on/);
    // the data dir is free again (its lock released), and whatever was left half-done is no obstacle
    const s = await start(dataDir);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
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
