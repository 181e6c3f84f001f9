/**
 * Issue 14, defect 5: malformed JSON nested ~12,000 levels answered 500 (the error-locating pass
 * recursed). Any depth is a 400 with a line and a pointer (cut to its first 256 levels).
 */
import request from 'supertest';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';

const asIs = (body: unknown) => body as string;
/** core/json.ts MAX_POINTER_DEPTH: a pointer into a deeper document names its first 256 levels */
const MAX_POINTER_DEPTH = 256;

describe('deeply nested malformed JSON over HTTP', () => {
  let t: TestApp;
  let client: string;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    ({ client } = await createMspWithClient(t));
    token = await t.token(['*'], 'admin', 'root');
  });
  afterAll(() => t.close());

  it.each([12_000, 100_000])(
    '%i levels in an ingested export: 400 malformed_export with line and pointer',
    async (depth) => {
      const body = `{"users":\n${'['.repeat(depth)}`;
      const res = await request(t.app)
        .post(`/v1/tenants/${client}/snapshots?source=canonical&kind=identity`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .serialize(asIs)
        .send(body);
      expect([res.status, res.body.code]).toEqual([400, 'malformed_export']);
      expect(res.body.errors[0]).toMatchObject({ part: 'body', line: 2 });
      expect(res.body.errors[0].pointer).toBe(`/users${'/0'.repeat(MAX_POINTER_DEPTH - 1)}`);
      expect(res.body.errors[0].message).toMatch(new RegExp(`${depth + 1} levels deep`));
    },
  );

  it.each([12_000, 100_000])('%i levels in the JSON body of a route: 400 malformed_json', async (depth) => {
    const body = `{"slug": "deep", "name": ${'{"a":'.repeat(depth)}}`;
    const res = await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .serialize(asIs)
      .send(body);
    expect([res.status, res.body.code]).toEqual([400, 'malformed_json']);
    expect(res.body.errors[0].line).toBe(1);
    expect(res.body.errors[0].pointer.startsWith('/name/a/a')).toBe(true);
  });
});
