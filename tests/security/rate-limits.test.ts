/**
 * Floods: badly signed tokens, the public verify endpoint, one subject, one address. Limits set
 * low through the configuration; every test comes from its own client address (X-Forwarded-For
 * from the loopback proxy the app is told to trust) and its own subject, so tests — and, on
 * PostgreSQL, test files sharing the counters — never count each other's requests.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const LOW_LIMITS = {
  POSTURE_TRUST_PROXY: 'loopback',
  POSTURE_RATE_LIMIT_FAILED_AUTH: '5',
  POSTURE_RATE_LIMIT_PUBLIC: '3',
  POSTURE_RATE_LIMIT_PER_SUBJECT: '4',
  POSTURE_RATE_LIMIT_PER_ADDRESS: '10',
};

/** An address of 10/8 no other test uses. */
const newAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: LOW_LIMITS });
  });
  afterAll(() => t.close());

  const get = (address: string, authorization: string) =>
    request(t.app).get('/v1/packs').set('X-Forwarded-For', address).set('Authorization', authorization);
  const badToken = async () => `Bearer ${(await t.token(['*'], 'auditor', randomUUID())).slice(0, -4)}AAAA`;
  const goodToken = async (sub = randomUUID()) => `Bearer ${await t.token(['*'], 'auditor', sub)}`;

  const expect429 = (res: request.Response, detail: RegExp) => {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, code: 'rate_limited', type: 'urn:posture:problem:rate_limited' });
    expect(res.body.detail).toMatch(detail);
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
    expect(res.headers['ratelimit-policy']).toBeDefined();
  };

  it('refuses an address with 429 once it has sent too many badly signed tokens', async () => {
    const address = newAddress();
    for (let i = 0; i < 5; i++) expect((await get(address, await badToken())).status).toBe(401);
    expect429(await get(address, await badToken()), /too many failed authentications/);
    // the address is refused even with a good token: the guesser gets nothing more
    expect429(await get(address, await goodToken()), /too many failed authentications/);
    expect(Number((await get(address, await badToken())).headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // another address is not affected
    expect((await get(newAddress(), await goodToken())).status).toBe(200);
    expect((await get(newAddress(), await badToken())).status).toBe(401);
  });

  it('counts only failed authentications toward that limit', async () => {
    const address = newAddress();
    const token = await goodToken();
    for (let i = 0; i < 3; i++) expect((await get(address, token)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await get(address, await badToken())).status).toBe(401);
    expect((await get(address, token)).status).toBe(200);
  });

  it('limits the public verify endpoint per address', async () => {
    const address = newAddress();
    const verify = () =>
      request(t.app)
        .post('/v1/reports/verify')
        .set('X-Forwarded-For', address)
        .set('Content-Type', 'application/pdf')
        .send(Buffer.from('%PDF-1.7 not really'));
    for (let i = 0; i < 3; i++) expect((await verify()).status).not.toBe(429);
    expect429(await verify(), /too many requests to this public endpoint/);
    const elsewhere = await request(t.app)
      .post('/v1/reports/verify')
      .set('X-Forwarded-For', newAddress())
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('%PDF-1.7 not really'));
    expect(elsewhere.status).not.toBe(429);
  });

  it('limits a token subject, whichever address it comes from', async () => {
    const token = await goodToken();
    for (let i = 0; i < 4; i++) expect((await get(newAddress(), token)).status).toBe(200);
    expect429(await get(newAddress(), token), /too many requests for this token subject/);
    expect((await get(newAddress(), await goodToken())).status).toBe(200);
  });

  it('limits an address, whichever subjects it uses', async () => {
    const address = newAddress();
    for (let i = 0; i < 10; i++) expect((await get(address, await goodToken())).status).toBe(200);
    expect429(await get(address, await goodToken()), /too many requests from this address/);
  });

  it('keeps the probes and metrics outside the limits', async () => {
    const address = newAddress();
    for (let i = 0; i < 10; i++) {
      expect((await request(t.app).get('/healthz').set('X-Forwarded-For', address)).status).toBe(200);
      expect((await request(t.app).get('/readyz').set('X-Forwarded-For', address)).status).toBe(200);
    }
  });

  it('ignores X-Forwarded-For unless a proxy is trusted', async () => {
    // counted in memory: on PostgreSQL, 127.0.0.1's shared counters hold other test files' requests
    const config = { ...t.deps.config, trustProxy: false as const };
    const app = buildApp({
      ...t.deps,
      registry: new Registry(),
      config,
      database: { ...t.deps.database, rateLimitStore: undefined },
    });
    const spoofed = () =>
      badToken().then((token) =>
        request(app).get('/v1/packs').set('X-Forwarded-For', newAddress()).set('Authorization', token),
      );
    for (let i = 0; i < 5; i++) expect((await spoofed()).status).toBe(401);
    expect((await spoofed()).status).toBe(429);
  });
});
