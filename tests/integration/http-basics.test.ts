import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { ROUTES } from '../../src/http/routes/index.js';
import { validate } from '../../src/schemas/validator.js';
import { problemSchema } from '../../src/http/schemas.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('HTTP basics', () => {
  let t: TestApp;
  let root: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { POSTURE_MAX_BODY_BYTES: '2048' } });
    root = await t.token(['*'], 'admin');
  });
  afterAll(() => t.close());

  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(validate(problemSchema, res.body)).toEqual([]);
    expect(res.body).toMatchObject({ status, code, type: `urn:posture:problem:${code}` });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|stack/i);
  };

  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await request(t.app).get('/v1/nothing-here'), 404, 'not_found');
  });

  it('answers malformed JSON with 400, a line and a pointer', async () => {
    const res = await request(t.app).post('/v1/tenants').set('Authorization', `Bearer ${root}`).set('content-type', 'application/json')
      .send('{\n  "slug": "x",\n  "name": }');
    expectProblem(res, 400, 'malformed_json');
    expect(res.body.errors[0]).toMatchObject({ line: 3, pointer: '/name' });
  });

  it('answers a body over the limit with 413', async () => {
    const res = await request(t.app).post('/v1/tenants').set('Authorization', `Bearer ${root}`)
      .send({ slug: 'big', name: 'x'.repeat(5000), kind: 'msp' });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await request(t.app).post('/v1/tenants').set('Authorization', `Bearer ${root}`).set('content-type', 'text/plain').send('slug=x');
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('refuses unknown query parameters', async () => {
    const res = await request(t.app).get('/v1/tenants?colour=red').set('Authorization', `Bearer ${root}`);
    expectProblem(res, 400, 'invalid_query');
    expect(res.body.errors[0]).toMatchObject({ pointer: '/colour', in: 'query' });
  });

  it('never shows internals on a 500', async () => {
    const broken = await createTestApp({ knownPacks: undefined as unknown as string[] });
    try {
      const token = await broken.token(['*'], 'admin');
      const res = await request(broken.app).post('/v1/tenants').set('Authorization', `Bearer ${token}`).send({ slug: 'boom', name: 'x', kind: 'msp', packs: ['a'] });
      expectProblem(res, 500, 'internal_error');
      expect(res.body.detail).toBe('internal error');
    } finally {
      await broken.close();
    }
  });

  it('keeps a valid X-Request-Id and replaces a hostile one', async () => {
    expect((await request(t.app).get('/healthz').set('X-Request-Id', 'ci-run-42')).headers['x-request-id']).toBe('ci-run-42');
    expect((await request(t.app).get('/healthz').set('X-Request-Id', '<script>'.repeat(30))).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves liveness, readiness and metrics', async () => {
    expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(t.app).get('/readyz')).body).toMatchObject({ status: 'ready' });
    await request(t.app).get('/v1/tenants').set('Authorization', `Bearer ${root}`);
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toMatch(/posture_http_request_duration_seconds_bucket\{.*method="GET",route="\/v1\/tenants",status="200"/);
  });

  it('answers 503 on /readyz when the database is gone', async () => {
    const gone = await createTestApp();
    await gone.database.close();
    expectProblem(await request(gone.app).get('/readyz'), 503, 'service_unavailable');
  });

  it('serves a valid OpenAPI 3.1 document naming every route, and a docs page without a CDN', async () => {
    const doc = (await request(t.app).get('/openapi.json').expect(200)).body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const r of ROUTES) expect(doc.paths[r.path.replace(/:(\w+)/g, '{$1}')][r.method].operationId).toBe(r.operationId);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['canonical.identity', 'canonical.endpoint', 'canonical.firewall', 'canonical.technicians']));
    const page = await request(t.app).get('/docs').expect(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    await request(t.app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
  });
});
