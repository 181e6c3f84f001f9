/**
 * `posture login-link`: offline (no server holds the data dir) it writes the link into the
 * database; while the embedded default's server holds the data dir it asks that server over HTTP,
 * with an admin token it mints from the data dir's secret. Either link signs in once.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { uniqueSlug } from '../helpers/app.js';
import { migratedImage } from '../helpers/pglite-image.js';
import { adminToken, cli, fetchOnce, processEnv, type Running, SPAWNS_MS, startService } from '../helpers/process.js';

import.meta.jest.setTimeout(SPAWNS_MS);

const TOKEN_URL = /^(http:\/\/[^/]+)\/login\?token=([A-Za-z0-9_-]{43})\n$/;

describe('posture login-link', () => {
  let dir: string;
  let service: Running | undefined;
  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
  });

  /** POST /login as the sign-in page's form does: the session cookie, or the status. */
  const redeem = (base: string, token: string) =>
    new Promise<{ status: number; cookie?: string }>((resolve, reject) => {
      const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: base };
      const req = request(`${base}/login`, { method: 'POST', headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode!, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }),
        );
      });
      req.on('error', reject);
      req.end(`token=${token}`);
    });

  it('writes a link offline, asks the running server otherwise, and refuses bad usage', async () => {
    dir = mkdtempSync(join(tmpdir(), 'posture-login-link-'));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const seed = await PGlite.create(join(dir, 'pgdata'), { loadDataDir: await migratedImage() });
    await seed.close();
    const env = processEnv(dir, { POSTURE_PUBLIC_URL: 'http://posture.test' }, { embedded: true });

    const usage = [
      cli(['login-link', '--tenant', 'acme', '--role', 'root', '--sub', 'a'], env),
      cli(['login-link', '--tenant', 'Acme!', '--role', 'admin', '--sub', 'a'], env),
      cli(['login-link', '--tenant', 'acme', '--role', 'admin', '--sub', 'a', '--ttl', '30s'], env),
      cli(['login-link', '--tenant', 'acme', '--role', 'admin'], env),
    ];
    for (const r of usage) expect(r.status).toBe(2);
    expect(usage[0]!.stderr).toMatch(/--role must be one of ci, auditor, officer, admin/);
    expect(usage[2]!.stderr).toMatch(/--ttl must be between 60s and 24h/);
    const unknown = cli(['login-link', '--tenant', 'nobody-here', '--role', 'auditor', '--sub', 'a'], env);
    expect(unknown.stderr).toMatch(/no tenant "nobody-here"/);
    expect(unknown.status).toBe(2);

    const offline = cli(['login-link', '--tenant', '*', '--role', 'auditor', '--sub', 'offline@example.com'], env);
    expect(offline.stderr).toBe('');
    const [, offlineBase, offlineToken] = TOKEN_URL.exec(offline.stdout) ?? [];
    expect(offlineBase).toBe('http://posture.test');

    service = await startService(dir, { embedded: true });
    const base = `http://127.0.0.1:${service.port}`;
    const slug = uniqueSlug('linked');
    const created = await fetchOnce(`${base}/v1/tenants`, {
      method: 'POST',
      body: JSON.stringify({ slug, name: 'Linked Clinic', kind: 'client' }),
      headers: { authorization: `Bearer ${adminToken(dir)}`, 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    const first = await redeem(base, offlineToken!);
    expect(first.status).toBe(303);
    expect((await redeem(base, offlineToken!)).status).toBe(400);

    // the server holds the data dir: the command asks it (on PORT), minting its own admin token
    const online = cli(
      ['login-link', '--tenant', slug, '--role', 'officer', '--sub', 'online@example.com', '--ttl', '2m'],
      { ...processEnv(dir, { PORT: String(service.port) }, { embedded: true }) },
    );
    expect(online.stderr).toBe('');
    const [, onlineBase, onlineToken] = TOKEN_URL.exec(online.stdout) ?? [];
    expect(onlineBase).toBe(`http://localhost:${service.port}`);
    const second = await redeem(base, onlineToken!);
    expect(second.status).toBe(303);
    const who = await fetchOnce(`${base}/v1/session`, { headers: { cookie: second.cookie! } });
    expect(await who.json()).toMatchObject({ sub: 'online@example.com', tenants: [slug], role: 'officer' });
    const audit = await fetchOnce(`${base}/v1/tenants/${slug}/audit`, { headers: { cookie: second.cookie! } });
    const actions = ((await audit.json()) as { items: { action: string; actor: string }[] }).items;
    expect(actions).toContainEqual(expect.objectContaining({ action: 'login_link.create', actor: 'posture-cli' }));
  });
});
