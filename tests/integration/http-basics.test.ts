import { Writable } from 'node:stream';
import { Validator } from '@seriousme/openapi-schema-validator';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import request from 'supertest';
import { SOURCE_NAMES } from '../../src/adapters/registry.js';
import { SNAPSHOT_KINDS } from '../../src/core/vocabulary.js';
import { ROUTES } from '../../src/http/routes/index.js';
import { validate } from '../../src/schemas/validator.js';
import { problemSchema } from '../../src/http/schemas.js';
import { createTestApp, uniqueSlug, type TestApp } from '../helpers/app.js';

/** A logger writing into `lines`, at every level. */
function capturingLogger(lines: string[]) {
  return pino(
    { level: 'trace' },
    new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    }),
  );
}

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
    const res = await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${root}`)
      .set('content-type', 'application/json')
      .send('{\n  "slug": "x",\n  "name": }');
    expectProblem(res, 400, 'malformed_json');
    expect(res.body.errors[0]).toMatchObject({ line: 3, pointer: '/name' });
  });

  it('answers a body over the limit with 413', async () => {
    const res = await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${root}`)
      .send({ slug: 'big', name: 'x'.repeat(5000), kind: 'msp' });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${root}`)
      .set('content-type', 'text/plain')
      .send('slug=x');
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('refuses unknown query parameters', async () => {
    const res = await request(t.app).get('/v1/tenants?colour=red').set('Authorization', `Bearer ${root}`);
    expectProblem(res, 400, 'invalid_query');
    expect(res.body.errors[0]).toMatchObject({ pointer: '/colour', in: 'query' });
  });

  it('answers a path with bad percent-encoding with 400, not 500', async () => {
    const res = await request(t.app).get('/v1/tenants/%E0%A4%A').set('Authorization', `Bearer ${root}`);
    expectProblem(res, 400, 'bad_request');
  });

  it('answers a corrupt compressed body with the 4xx it is, not 500', async () => {
    const res = await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${root}`)
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .send('xxxx');
    expectProblem(res, 400, 'bad_request');
  });

  it('answers a missing docs asset with 404, not 500', async () => {
    expectProblem(await request(t.app).get('/docs/assets/nope.js'), 404, 'not_found');
  });

  it('refuses a NUL character in a JSON string with 422 and its pointer, wherever the body is', async () => {
    const slug = uniqueSlug('nul');
    await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${root}`)
      .send({ slug, name: 'Nul', kind: 'msp' })
      .expect(201);
    const renamed = await request(t.app)
      .patch(`/v1/tenants/${slug}`)
      .set('Authorization', `Bearer ${root}`)
      .send({ name: 'x\u0000y' });
    expectProblem(renamed, 422, 'validation_failed');
    expect(renamed.body.errors[0]).toMatchObject({ pointer: '/name' });
    const refs = await request(t.app)
      .patch(`/v1/tenants/${slug}`)
      .set('Authorization', `Bearer ${root}`)
      .send({ externalRefs: { ninjaone: '4\u00002' } });
    expectProblem(refs, 422, 'validation_failed');
    expect(refs.body.errors[0]).toMatchObject({ pointer: '/externalRefs/ninjaone' });
    const created = await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${root}`)
      .send({ slug: uniqueSlug('nul'), name: '\u0000', kind: 'msp' });
    expectProblem(created, 422, 'validation_failed');
    expect(created.body.errors[0]).toMatchObject({ pointer: '/name' });
    // nothing was changed
    expect((await request(t.app).get(`/v1/tenants/${slug}`).set('Authorization', `Bearer ${root}`)).body).toMatchObject(
      { name: 'Nul', externalRefs: {} },
    );
  });

  it('refuses a NUL character in a path or query parameter with a 4xx, not 500', async () => {
    expectProblem(
      await request(t.app).get('/v1/tenants/a%00b').set('Authorization', `Bearer ${root}`),
      404,
      'tenant_not_found',
    );
    const slug = uniqueSlug('nulq');
    await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${root}`)
      .send({ slug, name: 'Nul', kind: 'msp' })
      .expect(201);
    const res = await request(t.app)
      .get(`/v1/tenants/${slug}/snapshots?instance=a%00b`)
      .set('Authorization', `Bearer ${root}`);
    expectProblem(res, 400, 'invalid_query');
    expect(res.body.errors[0]).toMatchObject({ pointer: '/instance', in: 'query' });
  });

  it('pages the pack catalogue with ?limit and ?cursor like every list', async () => {
    const all = (await request(t.app).get('/v1/packs').set('Authorization', `Bearer ${root}`).expect(200)).body;
    expect(all.nextCursor).toBeNull();
    const ids = all.items.map((p: { id: string }) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect([...ids].sort()).toEqual(ids);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(t.app)
        .get(`/v1/packs?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', `Bearer ${root}`)
        .expect(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toEqual(all.items[pages]);
      seen.push(res.body.items[0].id);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(ids.length);
    const two = (
      await request(t.app).get(`/v1/packs?limit=2&cursor=${ids[0]}`).set('Authorization', `Bearer ${root}`).expect(200)
    ).body;
    expect(two.items.map((p: { id: string }) => p.id)).toEqual(ids.slice(1, 3));
    const tooMany = await request(t.app).get('/v1/packs?limit=5000').set('Authorization', `Bearer ${root}`);
    expectProblem(tooMany, 400, 'invalid_query');
    expect(tooMany.body.errors[0]).toMatchObject({ pointer: '/limit', in: 'query' });
    expectProblem(
      await request(t.app).get('/v1/packs?colour=red').set('Authorization', `Bearer ${root}`),
      400,
      'invalid_query',
    );
  });

  it('never shows internals on a 500', async () => {
    const broken = await createTestApp({ knownPacks: undefined as unknown as string[] });
    try {
      const token = await broken.token(['*'], 'admin');
      const res = await request(broken.app)
        .post('/v1/tenants')
        .set('Authorization', `Bearer ${token}`)
        .send({ slug: 'boom', name: 'x', kind: 'msp', packs: ['a'] });
      expectProblem(res, 500, 'internal_error');
      expect(res.body.detail).toBe('internal error');
    } finally {
      await broken.close();
    }
  });

  it('logs a database error without the bound parameters: the raw body of an ingest never reaches the log', async () => {
    const lines: string[] = [];
    const logged = await createTestApp({ logger: capturingLogger(lines) });
    const suffix = uniqueSlug('x').slice(2).replace('-', '');
    try {
      const token = await logged.token(['*'], 'admin');
      const slug = uniqueSlug('leak');
      await request(logged.app)
        .post('/v1/tenants')
        .set('Authorization', `Bearer ${token}`)
        .send({ slug, name: 'Leak', kind: 'msp' })
        .expect(201);
      const tenantId = (await request(logged.app).get(`/v1/tenants/${slug}`).set('Authorization', `Bearer ${token}`))
        .body.id as string;
      // the raw part's insert fails as a full disk would (only for this tenant: PostgreSQL may be shared)
      await logged.owner.execute(
        sql.raw(`create function fail_parts_${suffix}() returns trigger language plpgsql as $$
        begin if new.tenant_id = '${tenantId}' then raise exception 'could not extend file: No space left on device' using errcode = '53100'; end if; return new; end $$`),
      );
      await logged.owner.execute(
        sql.raw(
          `create trigger fail_parts_${suffix} before insert on snapshot_parts for each row execute function fail_parts_${suffix}()`,
        ),
      );
      try {
        const marker = 'PRIVATE-KEY-MARKER-' + suffix;
        const body = `# ${marker}\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n`;
        const res = await request(logged.app)
          .post(`/v1/tenants/${slug}/snapshots?source=iptables-save`)
          .set('Authorization', `Bearer ${token}`)
          .set('content-type', 'text/plain')
          .send(body);
        expectProblem(res, 500, 'internal_error');
        expect(res.body.detail).toBe('internal error');
        const log = lines.join('');
        expect(log).toMatch(/snapshot_parts/); // the SQL text is there
        expect(log).toMatch(/53100/); // and the database's code
        expect(log).not.toContain(marker);
        expect(log).not.toMatch(/params/);
      } finally {
        await logged.owner.execute(sql.raw(`drop trigger fail_parts_${suffix} on snapshot_parts`));
        await logged.owner.execute(sql.raw(`drop function fail_parts_${suffix}()`));
      }
    } finally {
      await logged.close();
    }
  });

  it('keeps a valid X-Request-Id and replaces a hostile one', async () => {
    expect((await request(t.app).get('/healthz').set('X-Request-Id', 'ci-run-42')).headers['x-request-id']).toBe(
      'ci-run-42',
    );
    expect(
      (await request(t.app).get('/healthz').set('X-Request-Id', '<script>'.repeat(30))).headers['x-request-id'],
    ).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves liveness, readiness and metrics', async () => {
    expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(t.app).get('/readyz')).body).toMatchObject({ status: 'ready' });
    await request(t.app).get('/v1/tenants').set('Authorization', `Bearer ${root}`);
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toMatch(
      /posture_http_request_duration_seconds_bucket\{.*method="GET",route="\/v1\/tenants",status="200"/,
    );
  });

  it('answers 503 on /readyz when the database is gone', async () => {
    const gone = await createTestApp();
    await gone.database.close();
    expectProblem(await request(gone.app).get('/readyz'), 503, 'database_unavailable');
  });

  it('serves a valid OpenAPI 3.1 document naming every route, and a docs page without a CDN', async () => {
    const doc = (await request(t.app).get('/openapi.json').expect(200)).body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const r of ROUTES)
      expect(doc.paths[r.path.replace(/:(\w+)/g, '{$1}')][r.method].operationId).toBe(r.operationId);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'canonical.identity',
        'canonical.endpoint',
        'canonical.firewall',
        'canonical.technicians',
      ]),
    );
    // the ingest route names its sources and kinds as data (the console's source picker reads them)
    const ingest = doc.paths['/v1/tenants/{tenant}/snapshots'].post.parameters as { name: string; schema: unknown }[];
    expect(ingest.find((p) => p.name === 'source')?.schema).toMatchObject({ examples: SOURCE_NAMES });
    expect(ingest.find((p) => p.name === 'kind')?.schema).toMatchObject({ examples: [...SNAPSHOT_KINDS] });
    const page = await request(t.app).get('/docs').expect(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    await request(t.app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
  });
});
