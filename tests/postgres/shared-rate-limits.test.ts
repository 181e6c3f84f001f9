/**
 * Two instances on one PostgreSQL count the same hits: failed authentications spread over both
 * are refused together, and the counters live in the migrated `rate_limits` table.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('rate limits shared by instances on one PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { POSTURE_TRUST_PROXY: 'loopback', POSTURE_RATE_LIMIT_FAILED_AUTH: '4' } });
  });
  afterAll(() => t.close());

  it('refuses on one instance the address that failed on the other', async () => {
    const other = buildApp({ ...t.deps, registry: new Registry() });
    const address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    const bad = async () => `Bearer ${(await t.token(['*'], 'auditor', randomUUID())).slice(0, -4)}AAAA`;
    const get = (app: typeof other, token: string) =>
      request(app).get('/v1/packs').set('X-Forwarded-For', address).set('Authorization', token);
    expect(t.database.rateLimitStore).toBeDefined();
    for (const app of [t.app, other, t.app, other]) expect((await get(app, await bad())).status).toBe(401);
    expect((await get(t.app, await bad())).status).toBe(429);
    expect((await get(other, await bad())).status).toBe(429);
  });
});
