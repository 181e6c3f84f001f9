/**
 * Slow clients: a body trickled or stalled is cut with 408 `request_timeout` and the connection
 * closed, on every kind of route that reads a body (JSON, ingest, the public verify); headers
 * trickled are cut by node's header time-out. Windows of 1 s instead of the default 10 s, so the
 * whole file runs in seconds; a body above the minimum rate is served.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createHttpServer } from '../../src/http/server.js';
import { createTestApp, uniqueSlug, type TestApp } from '../helpers/app.js';
import { postHead, slowRequest, type SlowAnswer } from '../helpers/slow-client.js';

const FAST_WINDOWS = {
  POSTURE_BODY_STALL_TIMEOUT_MS: '1000',
  POSTURE_BODY_RATE_WINDOW_MS: '1000',
  POSTURE_BODY_MIN_BYTES_PER_SECOND: '1024',
  POSTURE_HEADERS_TIMEOUT_MS: '1000',
};

describe('body and header time-outs', () => {
  let t: TestApp;
  let server: Server;
  let port: number;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ env: FAST_WINDOWS });
    server = createHttpServer(t.app, t.deps.config);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    auth = { Authorization: `Bearer ${await t.token(['*'], 'admin', 'body-timeout')}` };
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  /** 10 bytes/s, far under 1 KiB/s, of a body that would take minutes. */
  const trickle = (path: string, headers: Record<string, string>) =>
    slowRequest({ port, head: postHead(path, 2000, headers), body: Buffer.alloc(2000, 0x20), everyMs: 100 });

  const expectCut = (a: SlowAnswer, detail: RegExp) => {
    expect(a.status).toBe(408);
    expect(a.headers).toMatch(/content-type: application\/problem\+json/i);
    expect(a.headers).toMatch(/connection: close/i);
    expect(JSON.parse(a.body)).toMatchObject({ status: 408, code: 'request_timeout' });
    expect(JSON.parse(a.body).detail).toMatch(detail);
    expect(a.closedByServer).toBe(true);
    // a 1 s window checked every 0.1 s: cut after about 1.1 s (the trickle alone would take 200 s);
    // the rest is room for a busy machine
    expect(a.elapsedMs).toBeLessThan(6000);
  };

  it('cuts a JSON body trickled at 10 bytes/s with 408 and closes the connection', async () => {
    const a = await trickle('/v1/tenants', { ...auth, 'Content-Type': 'application/json' });
    expectCut(a, /slower than 1024 bytes\/s over 1 s/);
  });

  it('cuts a trickled ingest body', async () => {
    const slug = uniqueSlug('trickle');
    await request(t.app).post('/v1/tenants').set(auth).send({ slug, name: slug, kind: 'client' }).expect(201);
    const a = await trickle(`/v1/tenants/${slug}/snapshots?source=duo`, {
      ...auth,
      'Content-Type': 'application/json',
    });
    expectCut(a, /slower than/);
  });

  it('cuts a trickled body to the public verify endpoint', async () => {
    const a = await trickle('/v1/reports/verify', { 'Content-Type': 'application/pdf' });
    expectCut(a, /slower than/);
  });

  it('cuts a body that stalls, even after a fast start', async () => {
    const a = await slowRequest({
      port,
      head: postHead('/v1/tenants', 4000, { ...auth, 'Content-Type': 'application/json' }),
      body: Buffer.alloc(4000, 0x20),
      chunkBytes: 2000,
      everyMs: 10,
      stopAfter: 2000,
    });
    expectCut(a, /no body bytes arrived for 1 s|slower than/);
  });

  it('closes a connection whose headers trickle in', async () => {
    const a = await slowRequest({
      port,
      head: `GET /healthz HTTP/1.1\r\nHost: posture.test\r\nX-Slow: ${'a'.repeat(100)}\r\n\r\n`,
      headerDrip: true,
      everyMs: 100,
    });
    expect(a.closedByServer).toBe(true);
    expect(a.elapsedMs).toBeLessThan(6000);
  });

  it('serves a body that keeps above the minimum rate', async () => {
    const slug = uniqueSlug('steady');
    const json = JSON.stringify({ slug, name: slug, kind: 'client' });
    const body = Buffer.from(json.padEnd(4096, ' ')); // 4 KiB at 5 KiB/s: over 0.8 s
    const a = await slowRequest({
      port,
      head: postHead('/v1/tenants', body.length, { ...auth, 'Content-Type': 'application/json', Connection: 'close' }),
      body,
      chunkBytes: 512,
      everyMs: 100,
    });
    expect(a.status).toBe(201);
  });
});
