/**
 * Console sign-in (DESIGN.md, "Console sign-in"): a one-time login link redeemed into a
 * server-side session behind an HttpOnly, SameSite=Strict cookie; cookie-authenticated changes
 * need our Origin and the session's CSRF token; bearer tokens work as before.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { sha256Hex } from '../../src/auth/session-secrets.js';
import { createMspWithClient, createTestApp, type TenantPair, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';
import { sql } from 'drizzle-orm';

const ORIGIN = 'http://posture.test';

describe('console sessions', () => {
  let t: TestApp;
  let a: TenantPair;
  let b: TenantPair;
  let clock = Date.now();
  let root: string;

  beforeAll(async () => {
    const consoleDir = mkdtempSync(join(tmpdir(), 'posture-console-'));
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console index</title>');
    writeFileSync(join(consoleDir, 'assets', 'app-1234.js'), 'console.log(1)');
    t = await createTestApp({ env: { POSTURE_PUBLIC_URL: ORIGIN }, now: () => new Date(clock), consoleDir });
    [a, b] = [await createMspWithClient(t), await createMspWithClient(t)];
    root = await t.token(['*'], 'admin', 'root');
  });
  afterAll(() => t.close());
  afterEach(() => {
    clock = Date.now();
  });

  const mint = async (body: Record<string, unknown>, token = root) =>
    request(t.app).post('/v1/login-links').set('Authorization', `Bearer ${token}`).send(body);

  /** A link for `tenant` redeemed into a session: the cookie header to send. */
  const signIn = async (tenant: string, role = 'officer', sub = 'alice') => {
    const res = await mint({ tenant, role, sub, name: 'Alice Example' });
    expect(res.status).toBe(201);
    const token = new URL(res.body.url).searchParams.get('token')!;
    const redeemed = await redeem(token);
    expect(redeemed.status).toBe(303);
    return { cookie: cookieOf(redeemed), token };
  };
  const redeem = (token: string, origin: string | null = ORIGIN) => {
    const r = request(t.app).post('/login').type('form').send({ token });
    return origin === null ? r : r.set('Origin', origin);
  };
  const cookieOf = (res: request.Response) => {
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(set).toHaveLength(1);
    return set[0]!.split(';')[0]!;
  };
  const whoAmI = (cookie: string) => request(t.app).get('/v1/session').set('Cookie', cookie);

  it('mints a one-time link (admin only), shown once, with the public URL', async () => {
    const res = await mint({ tenant: a.client, role: 'auditor', sub: 'bob' });
    expectContract(res, 'POST', '/v1/login-links');
    expect(res.body.url).toMatch(new RegExp(`^${ORIGIN}/login\\?token=[A-Za-z0-9_-]{43}$`));
    expect(res.body).toMatchObject({ sub: 'bob', tenants: [a.client], role: 'auditor' });
    expect(Date.parse(res.body.expiresAt) - clock).toBe(600_000);
    const token = new URL(res.body.url).searchParams.get('token')!;
    const rows = await t.owner.execute(sql`select token_hash from login_links where created_by = 'root'`);
    const hashes = (rows as unknown as { rows: { token_hash: string }[] }).rows.map((r) => r.token_hash);
    expect(hashes).toContain(sha256Hex(token));
    expect(JSON.stringify(hashes)).not.toContain(token);
  });

  it('declares the session cookie beside bearer tokens in the OpenAPI document', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body;
    expect(doc.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'posture_session',
    });
    expect(doc.paths['/v1/login-links'].post.security).toBeUndefined();
  });

  it('refuses to mint without tenants:admin (403), for a tenant out of reach (404), or with a bad body (422)', async () => {
    const officer = await t.token([a.msp], 'officer');
    expect((await mint({ tenant: a.client, role: 'auditor', sub: 'x' }, officer)).status).toBe(403);
    const mspAdmin = await t.token([a.msp], 'admin');
    expect((await mint({ tenant: b.client, role: 'auditor', sub: 'x' }, mspAdmin)).status).toBe(404);
    expect((await mint({ tenant: '*', role: 'auditor', sub: 'x' }, mspAdmin)).status).toBe(404);
    const bad = await mint({ tenant: a.client, role: 'root', sub: 'x', ttlSeconds: 5 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['/role', '/ttlSeconds']),
    );
    expect((await mint({ tenant: a.client, role: 'auditor' })).status).toBe(422);
  });

  it('shows a sign-in form for a link, and spends it only on the POST from our origin', async () => {
    const res = await mint({ tenant: a.client, role: 'officer', sub: 'carol' });
    const token = new URL(res.body.url).searchParams.get('token')!;
    const page = await request(t.app).get(`/login?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`name="token" value="${token}"`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect((await redeem(token, 'https://evil.example')).status).toBe(403);
    expect((await redeem(token, null)).status).toBe(403);
    const ok = await redeem(token);
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/');
    const set = ok.headers['set-cookie']![0]!;
    expect(set).toMatch(/^posture_session=[A-Za-z0-9_-]{43};/);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).not.toMatch(/; Secure/);
  });

  it('redeems a link once only', async () => {
    const { token } = await signIn(a.client);
    const again = await redeem(token);
    expect(again.status).toBe(400);
    expect(again.text).toMatch(/does not work/);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('refuses an expired link', async () => {
    const res = await mint({ tenant: a.client, role: 'officer', sub: 'dave', ttlSeconds: 60 });
    const token = new URL(res.body.url).searchParams.get('token')!;
    clock += 61_000;
    expect((await redeem(token)).status).toBe(400);
  });

  it('refuses a malformed or unknown token without a session', async () => {
    expect((await request(t.app).get('/login?token=<script>')).status).toBe(400);
    expect((await request(t.app).get('/login?token=<script>')).text).not.toContain('<script>');
    expect((await redeem('A'.repeat(43))).status).toBe(400);
    expect((await redeem('short')).status).toBe(400);
    expect((await request(t.app).get('/login')).text).toMatch(/posture login-link/);
  });

  it('tells a session who it is: reach, role, scopes and the CSRF token', async () => {
    const { cookie } = await signIn(a.client, 'auditor', 'erin');
    const res = await whoAmI(cookie);
    expectContract(res, 'GET', '/v1/session');
    expect(res.body).toMatchObject({ sub: 'erin', name: 'Alice Example', tenants: [a.client], via: 'session' });
    expect(res.body.role).toBe('auditor');
    expect(res.body.scopes).toContain('tenants:read');
    expect(res.body.scopes).not.toContain('evaluations:write');
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  describe('a state-changing request carried by the cookie', () => {
    const evaluate = (cookie: string, headers: Record<string, string>, tenant = a.client) =>
      request(t.app).post(`/v1/tenants/${tenant}/evaluations`).set('Cookie', cookie).set(headers).send({});

    it('passes with our Origin and the CSRF token', async () => {
      const { cookie } = await signIn(a.client);
      const csrf = (await whoAmI(cookie)).body.csrfToken as string;
      expect((await evaluate(cookie, { Origin: ORIGIN, 'X-CSRF-Token': csrf })).status).toBe(201);
    });
    it('is refused (403) without the CSRF token, with another session’s, or with a wrong Origin', async () => {
      const fresh = await createMspWithClient(t);
      const { cookie } = await signIn(fresh.client);
      const csrf = (await whoAmI(cookie)).body.csrfToken as string;
      const other = (await whoAmI((await signIn(fresh.client)).cookie)).body.csrfToken as string;
      const refused = [
        await evaluate(cookie, { Origin: ORIGIN }, fresh.client),
        await evaluate(cookie, { Origin: ORIGIN, 'X-CSRF-Token': other }, fresh.client),
        await evaluate(cookie, { Origin: ORIGIN, 'X-CSRF-Token': `${csrf}x` }, fresh.client),
        await evaluate(cookie, { Origin: 'http://evil.example', 'X-CSRF-Token': csrf }, fresh.client),
        await evaluate(cookie, { 'X-CSRF-Token': csrf }, fresh.client),
      ];
      for (const res of refused) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      const list = await request(t.app).get(`/v1/tenants/${fresh.client}/evaluations`).set('Cookie', cookie);
      expect(list.body.items).toEqual([]);
    });
  });

  it('logs out: the row is revoked, the cookie cleared, the session refused after', async () => {
    const { cookie } = await signIn(a.client);
    const csrf = (await whoAmI(cookie)).body.csrfToken as string;
    const noCsrf = await request(t.app).post('/v1/session/logout').set('Cookie', cookie).set('Origin', ORIGIN);
    expect(noCsrf.status).toBe(403);
    const out = await request(t.app)
      .post('/v1/session/logout')
      .set('Cookie', cookie)
      .set('Origin', ORIGIN)
      .set('X-CSRF-Token', csrf);
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie']![0]).toMatch(/^posture_session=; .*Expires=Thu, 01 Jan 1970/);
    const after = await whoAmI(cookie);
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/session has ended/);
  });

  it('ends a session when it expires', async () => {
    const { cookie } = await signIn(a.client);
    clock += 12 * 3600_000 + 1000;
    expect((await whoAmI(cookie)).status).toBe(401);
  });

  it('leaves bearer tokens as they were: no Origin or CSRF token needed, a cookie beside them ignored', async () => {
    const officer = await t.token([a.client], 'officer', 'ci-bot');
    const res = await request(t.app)
      .post(`/v1/tenants/${a.client}/evaluations`)
      .set('Authorization', `Bearer ${officer}`)
      .set('Cookie', 'posture_session=' + 'B'.repeat(43))
      .send({});
    expect(res.status).toBe(201);
    const who = await request(t.app).get('/v1/session').set('Authorization', `Bearer ${officer}`);
    expect(who.body).toMatchObject({ sub: 'ci-bot', via: 'bearer', tenants: [a.client] });
    expect(who.body.csrfToken).toBeUndefined();
    expect((await request(t.app).get('/v1/session').set('Cookie', 'posture_session=nonsense')).status).toBe(401);
  });

  it("keeps a client's session out of other tenants (404) and their names out of its lists", async () => {
    const { cookie } = await signIn(a.client, 'admin');
    expect((await request(t.app).get(`/v1/tenants/${b.client}`).set('Cookie', cookie)).status).toBe(404);
    expect((await request(t.app).get(`/v1/tenants/${a.msp}`).set('Cookie', cookie)).status).toBe(404);
    expect((await request(t.app).get(`/v1/tenants/${b.client}/evaluations`).set('Cookie', cookie)).status).toBe(404);
    const list = await request(t.app).get('/v1/tenants').set('Cookie', cookie);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { slug: string }) => x.slug)).toEqual([a.client]);
    expect(list.text).not.toContain(b.client);
    expect(list.text).not.toContain(a.msp);
  });

  it("gives an MSP's session its clients, as a token for the MSP would", async () => {
    const { cookie } = await signIn(a.msp, 'auditor');
    const list = await request(t.app).get('/v1/tenants').set('Cookie', cookie);
    expect(list.body.items.map((x: { slug: string }) => x.slug).sort()).toEqual([a.client, a.msp].sort());
  });

  describe('the console files', () => {
    it('serves the console at / and its routes, never over the service’s own paths', async () => {
      for (const path of ['/', '/tenants/acme', '/tenants/acme/findings?severity=high']) {
        const res = await request(t.app).get(path).set('Accept', 'text/html');
        expect(res.status).toBe(200);
        expect(res.text).toContain('console index');
      }
      const asset = await request(t.app).get('/assets/app-1234.js');
      expect(asset.headers['cache-control']).toMatch(/immutable/);
      const notFound = await request(t.app).get('/v1/nothing-here').set('Accept', 'text/html');
      expect(notFound.status).toBe(404);
      expect(notFound.headers['content-type']).toMatch(/problem\+json/);
      expect((await request(t.app).get('/healthz').set('Accept', 'text/html')).body).toEqual({ status: 'ok' });
      expect((await request(t.app).get('/openapi.json').set('Accept', 'text/html')).body.openapi).toMatch(/^3\.1/);
      expect((await request(t.app).get('/docs').set('Accept', 'text/html')).text).toContain('swagger-ui');
      expect((await request(t.app).get('/login').set('Accept', 'text/html')).text).toContain('login-link');
      expect((await request(t.app).get('/metricsx').set('Accept', 'text/html')).text).toContain('console index');
      expect((await request(t.app).get('/nothing.json').set('Accept', 'application/json')).status).toBe(404);
      expect((await request(t.app).get('/tenants/acme')).status).toBe(404);
      expect((await request(t.app).get('/')).text).toContain('console index');
    });
    it('sends a Content-Security-Policy that allows no inline script', async () => {
      const csp = (await request(t.app).get('/').set('Accept', 'text/html')).headers['content-security-policy'];
      const script = /script-src ([^;]*)/.exec(csp ?? '')?.[1];
      expect(script).toBe("'self'");
      expect(csp).toMatch(/script-src-attr 'none'/);
      expect(csp).toMatch(/frame-ancestors 'self'/);
    });
  });
});
