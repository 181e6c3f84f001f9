/**
 * PostgreSQL that stops answering (frozen behind a proxy the test pauses — the shared cluster is
 * never stopped) or drops every connection: /readyz says 503 within 2 s, requests answer 503
 * `database_unavailable` with Retry-After and never 500, and the service serves again once the
 * database does, without a restart. Time-outs of 500 ms instead of the defaults' seconds.
 */
import { randomInt } from 'node:crypto';
import { Registry } from 'prom-client';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { SLOW_MS } from '../helpers/timeouts.js';

// closing an app whose pool met cut connections (and its worker threads) took over 30 s once in
// a full PostgreSQL pass on a loaded machine; alone it takes well under a second
import.meta.jest.setTimeout(SLOW_MS);

const SHORT_TIMEOUTS = {
  POSTURE_DB_CONNECT_TIMEOUT_MS: '500',
  POSTURE_DB_STATEMENT_TIMEOUT_MS: '500',
  POSTURE_TRUST_PROXY: 'loopback',
};

describe('a database that stops answering', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let root: string;
  let tenants: { msp: string; client: string };

  beforeAll(async () => {
    const url = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    t = await createTestApp({ databaseUrl: proxy.urlFor(url.toString()), env: SHORT_TIMEOUTS });
    root = `Bearer ${await t.token(['*'], 'admin', 'outage')}`;
    tenants = await createMspWithClient(t);
  });
  afterEach(() => proxy.resume());
  afterAll(async () => {
    proxy.resume();
    // the proxy first: its sockets destroyed, a pooled connection still waiting on one errors out
    // at once, and the pool can end (the other order hung past two minutes in full CI passes)
    await proxy.close();
    await t.close();
  });

  const timed = async (send: () => request.Test) => {
    const started = performance.now();
    const res = await send().timeout(10_000);
    return { res, ms: performance.now() - started };
  };
  const expectUnavailable = (res: request.Response) => {
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('database_unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  };
  const readTenant = () => request(t.app).get(`/v1/tenants/${tenants.client}`).set('Authorization', root);

  it('answers /readyz with 503 within 2 s while the database is frozen', async () => {
    proxy.pause();
    const { res, ms } = await timed(() => request(t.app).get('/readyz'));
    expectUnavailable(res);
    expect(ms).toBeLessThan(2000);
  });

  it('answers every request during the outage with 503 database_unavailable, never 500', async () => {
    proxy.pause();
    const sends = Array.from({ length: 24 }, (_, i) =>
      timed(() =>
        i % 3 === 0
          ? request(t.app)
              .post('/v1/tenants')
              .set('Authorization', root)
              .send({ slug: `o-${i}-${Date.now()}`, name: 'o', kind: 'msp' })
          : readTenant(),
      ),
    );
    const answers = await Promise.all(sends);
    for (const { res, ms } of answers) {
      expectUnavailable(res);
      // a free connection within 0.5 s, or a statement given up 1.5 s after it was sent
      expect(ms).toBeLessThan(6000);
    }
  });

  it('serves again once the database answers, without a restart', async () => {
    proxy.pause();
    expectUnavailable((await timed(readTenant)).res);
    proxy.resume();
    await eventually(async () => expect((await request(t.app).get('/readyz')).status).toBe(200));
    expect((await readTenant()).status).toBe(200);
  });

  it('never locks an address out for requests that failed with the database', async () => {
    // a low failed-authentication limit, on an address of its own (127.0.0.1's counters are shared)
    const { config } = t.deps;
    const strict = buildApp({
      ...t.deps,
      registry: new Registry(),
      config: { ...config, rateLimit: { ...config.rateLimit, failedAuth: 3, perAddress: 0, perSubject: 0 } },
    });
    const address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    const fromAddress = () =>
      request(strict).get(`/v1/tenants/${tenants.client}`).set('Authorization', root).set('X-Forwarded-For', address);
    // ten open connections, so that the requests below reach the frozen server
    await Promise.all(Array.from({ length: 10 }, () => readTenant().expect(200)));
    proxy.pause();
    const during = await Promise.all(Array.from({ length: 10 }, () => timed(fromAddress)));
    for (const { res } of during) expectUnavailable(res);
    proxy.resume(); // what the frozen server had received runs now
    await eventually(async () => expect((await request(t.app).get('/readyz')).status).toBe(200));
    expect((await fromAddress()).status).toBe(200);
  });

  it('answers 503, never 500, when every connection is cut under load, and recovers', async () => {
    const statuses: number[] = [];
    const load = Array.from({ length: 30 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 10));
      statuses.push((await readTenant().timeout(10_000)).status);
    });
    setTimeout(() => proxy.drop(), 60);
    setTimeout(() => proxy.drop(), 150);
    await Promise.all(load);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    await eventually(async () => expect((await readTenant()).status).toBe(200));
  });
});

/** Retries `check` for up to 5 s. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const until = Date.now() + 5000;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
