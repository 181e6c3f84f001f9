/**
 * A database that has failed — the embedded PGlite closed under the app (in this process, the
 * only failure it has: it cannot freeze apart from us), or the PostgreSQL pool ended — answers
 * 503 `database_unavailable` with Retry-After on every route that needs it, never 500; /readyz
 * says so too, and /healthz (liveness) still answers.
 */
import request from 'supertest';
import { createMspWithClient, createTestApp } from '../helpers/app.js';

describe('a failed database', () => {
  it('answers 503 database_unavailable with Retry-After, never 500', async () => {
    const t = await createTestApp();
    const { client } = await createMspWithClient(t);
    const root = `Bearer ${await t.token(['*'], 'admin', 'failed-db')}`;
    await t.database.close();
    const answers = await Promise.all([
      request(t.app).get('/readyz'),
      request(t.app).get(`/v1/tenants/${client}`).set('Authorization', root),
      request(t.app).get('/v1/tenants').set('Authorization', root),
      request(t.app).post('/v1/tenants').set('Authorization', root).send({ slug: 'x-failed', name: 'x', kind: 'msp' }),
      request(t.app).post('/v1/reports/verify').set('Content-Type', 'application/pdf').send(Buffer.from('%PDF-1.7')),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('database_unavailable');
      expect(res.headers['retry-after']).toBe('5');
    }
    expect((await request(t.app).get('/healthz')).status).toBe(200);
  });
});
