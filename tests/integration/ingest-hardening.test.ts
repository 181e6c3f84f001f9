/**
 * Issue 14's small defects over HTTP: an encoded ingest body is the export once decoded; a
 * config.xml with two root elements is malformed; every authenticated answer says
 * `Cache-Control: no-store`; a token issued in the future is refused.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { ROLES } from '../../src/auth/scopes.js';
import { fixture } from '../helpers/adapters.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

const asIs = (body: unknown) => body as string;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('ingest and auth hardening', () => {
  let t: TestApp;
  let client: string;
  let token: string;
  beforeEach(async () => {
    t ??= await createTestApp();
    ({ client } = await createMspWithClient(t));
    token = await t.token([client], 'admin', 'lead@msp');
  });
  afterAll(() => t.close());

  const ingest = (query: string, body: Buffer, headers: Record<string, string>) => {
    let req = request(t.app).post(`/v1/tenants/${client}/snapshots?${query}`).set('Authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.serialize(asIs).send(body as unknown as string);
  };

  describe('Content-Encoding on ingest', () => {
    const duo = fixture('duo/users-bare.json');

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ])('a %s body is the export once decoded: the hash and the raw bytes are the decoded ones', async (enc, encode) => {
      const res = await ingest('source=duo', encode(duo), {
        'Content-Type': 'application/json',
        'Content-Encoding': enc,
      });
      expectContract(res, 'post', `/v1/tenants/${client}/snapshots`);
      expect(res.status).toBe(201);
      expect(res.body.sha256).toBe(sha256(duo));
      const raw = await request(t.app)
        .get(`/v1/tenants/${client}/snapshots/${res.body.id}/raw`)
        .set('Authorization', `Bearer ${token}`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(Buffer.compare(raw.body as Buffer, duo)).toBe(0);
    });

    it('the same export sent plain and gzip-encoded is one snapshot (200 the second time)', async () => {
      const first = await ingest('source=duo', duo, { 'Content-Type': 'application/json' });
      const second = await ingest('source=duo', gzipSync(duo), {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
      expect([first.status, second.status, second.body.id]).toEqual([201, 200, first.body.id]);
    });

    it('another encoding is a 415; a corrupt gzip body a 400', async () => {
      const other = await ingest('source=duo', duo, { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd' });
      expect([other.status, other.body.code]).toEqual([415, 'unsupported_media_type']);
      const gz = gzipSync(duo);
      gz.fill(0x41, 20, 80);
      const corrupt = await ingest('source=duo', gz, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
      expect([corrupt.status, corrupt.body.code]).toEqual([400, 'bad_request']);
      const list = await request(t.app).get(`/v1/tenants/${client}/snapshots`).set('Authorization', `Bearer ${token}`);
      expect(list.body.items).toEqual([]);
    });
  });

  it('a config.xml with two root elements is a 400 (malformed_export), with the line', async () => {
    const one = fixture('pfsense/config.xml').toString('utf8').trim();
    const res = await ingest('source=pfsense', Buffer.from(`${one}\n${one.replace(/^<\?xml[^>]*>\s*/, '')}`), {
      'Content-Type': 'application/xml',
    });
    expectContract(res, 'post', `/v1/tenants/${client}/snapshots`);
    expect([res.status, res.body.code]).toEqual([400, 'malformed_export']);
    expect(res.body.errors[0]).toMatchObject({ part: 'body', line: one.split('\n').length + 1 });
    expect(res.body.errors[0].message).toMatch(/only one root/);
  });

  describe('Cache-Control: no-store on every authenticated answer', () => {
    const cases: [what: string, path: () => string, bearer: () => string, status: number][] = [
      ['a list', () => '/v1/tenants', () => token, 200],
      ['one tenant', () => `/v1/tenants/${client}`, () => token, 200],
      ['the packs (any valid token)', () => '/v1/packs', () => token, 200],
      ['a 401 problem', () => `/v1/tenants/${client}`, () => 'not-a-token', 401],
      ['a 404 problem', () => '/v1/tenants/no-such-tenant', () => token, 404],
      ['a 400 problem', () => `/v1/tenants/${client}/snapshots?limit=0`, () => token, 400],
    ];
    it.each(cases)('%s', async (_what, path, bearer, status) => {
      const res = await request(t.app).get(path()).set('Authorization', `Bearer ${bearer()}`);
      expect(res.status).toBe(status);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('a 403 problem, and an ingest', async () => {
      const ci = await t.token([client], 'ci');
      const res = await request(t.app).get(`/v1/tenants/${client}/waivers`).set('Authorization', `Bearer ${ci}`);
      expect([res.status, res.headers['cache-control']]).toEqual([403, 'no-store']);
      const created = await ingest('source=duo', fixture('duo/users-bare.json'), {
        'Content-Type': 'application/json',
      });
      expect([created.status, created.headers['cache-control']]).toEqual([201, 'no-store']);
    });
  });

  describe('a token issued in the future', () => {
    const sign = (iat: number) =>
      new SignJWT({ tenants: [client], scope: ROLES.admin.join(' ') })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('future@msp')
        .setIssuer(t.deps.config.jwt.issuer)
        .setAudience(t.deps.config.jwt.audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + 3600)
        .sign(t.secret);
    const now = () => Math.floor(Date.now() / 1000);

    it('beyond the clock tolerance is a 401', async () => {
      const res = await request(t.app)
        .get(`/v1/tenants/${client}`)
        .set('Authorization', `Bearer ${await sign(now() + 600)}`);
      expect([res.status, res.body.code]).toEqual([401, 'unauthorized']);
      expect(res.body.detail).toMatch(/issued in the future/);
    });

    it('within it (a few seconds of skew) is accepted', async () => {
      const res = await request(t.app)
        .get(`/v1/tenants/${client}`)
        .set('Authorization', `Bearer ${await sign(now() + 3)}`);
      expect(res.status).toBe(200);
    });
  });
});
