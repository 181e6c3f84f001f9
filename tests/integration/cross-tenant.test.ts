/**
 * Generated from the route table: for every tenant-scoped route, a token for tenant A gets 404
 * for tenant B's path, for B's object ids under A's path, and for B's ids in A's request bodies.
 * A route that names a resource type this file cannot create fails the test: add a factory.
 * Everything runs twice: as the service runs, and with its own tenancy checks off, where
 * PostgreSQL row-level security alone must give the same answers.
 */
import request from 'supertest';
import { ROUTES } from '../../src/http/routes/index.js';
import type { ResourceType, RouteSpec } from '../../src/http/route.js';
import { createMspWithClient, createTestApp, type TenantPair, type TestApp } from '../helpers/app.js';
import { SLOW_MS } from '../helpers/timeouts.js';

// the set-up makes one object of every kind for two MSPs, signed reports included
import.meta.jest.setTimeout(SLOW_MS);

type Factory = (t: TestApp, tenant: TenantPair) => Promise<string>;

/** How to make one object of each type in a tenant (its client); returns what routes name it by. */
const FACTORIES: Partial<Record<ResourceType, Factory>> = {
  tenant: async (_t, tenant) => tenant.msp,
  snapshot: async (t, tenant) => {
    const root = await t.token(['*'], 'admin');
    const doc = {
      users: [
        {
          id: 'u1',
          source: 'canonical',
          username: 'a@example.com',
          status: 'active',
          accountType: 'human',
          authSource: 'local',
          origin: { part: 'body', pointer: '/users/0' },
        },
      ],
    };
    const res = await request(t.app)
      .post(`/v1/tenants/${tenant.client}/snapshots?source=canonical&kind=identity`)
      .set('Authorization', `Bearer ${root}`)
      .send(doc);
    expect(res.status).toBe(201);
    return res.body.id as string;
  },
  evaluation: async (t, tenant) => {
    const root = await t.token(['*'], 'admin');
    const res = await request(t.app)
      .post(`/v1/tenants/${tenant.client}/evaluations`)
      .set('Authorization', `Bearer ${root}`)
      .send({});
    expect(res.status).toBe(201);
    return res.body.id as string;
  },
  report: async (t, tenant) => {
    const root = await t.token(['*'], 'admin');
    const res = await request(t.app)
      .post(`/v1/tenants/${tenant.client}/reports`)
      .set('Authorization', `Bearer ${root}`)
      .send({});
    expect(res.status).toBe(201);
    return res.body.id as string;
  },
  waiver: async (t, tenant) => {
    const root = await t.token(['*'], 'admin');
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = await request(t.app)
      .post(`/v1/tenants/${tenant.client}/waivers`)
      .set('Authorization', `Bearer ${root}`)
      .send({
        ruleId: 'identity.mfa-registered',
        itemMatch: 'u-*',
        justification: 'cross-tenant test waiver',
        expiresAt,
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  },
  attestation: async (t, tenant) => {
    const root = await t.token(['*'], 'admin');
    const res = await request(t.app)
      .post(`/v1/tenants/${tenant.client}/attestations`)
      .set('Authorization', `Bearer ${root}`)
      .field(
        'attestation',
        JSON.stringify({
          packId: 'hipaa-security-rule',
          requirementId: '164.308(a)(1)(ii)(D)',
          statement: 'cross-tenant test attestation',
          validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        }),
      )
      .attach('file', Buffer.from('audit log review, signed\n'), { filename: 'review.txt', contentType: 'text/plain' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  },
};

const tenantRoutes = ROUTES.filter((r) => r.path.includes(':tenant'));
const idRoutes = ROUTES.filter((r) => Object.keys(r.ids ?? {}).length > 0);
const bodyRefRoutes = ROUTES.filter((r) => Object.keys(r.bodyRefs ?? {}).length > 0);

// The second pass turns the application's own tenancy decisions off (every token treated as
// reaching every tenant): row-level security alone must still keep B's data from A.
describe.each([
  ['', true],
  [', with the application checks off (row-level security alone)', false],
])('cross-tenant isolation (generated from the route table)%s', (_label, appTenancyChecks) => {
  let t: TestApp;
  let a: TenantPair;
  let b: TenantPair;
  let tokenA: string;
  const objectsOfB = new Map<ResourceType, string>();
  const objectsOfA = new Map<ResourceType, string>();

  beforeAll(async () => {
    t = await createTestApp({ appTenancyChecks });
    a = await createMspWithClient(t);
    b = await createMspWithClient(t);
    tokenA = await t.token([a.msp], 'admin', 'alice@a');
    const needed = new Set<ResourceType>([
      ...ROUTES.flatMap((r) => Object.values(r.ids ?? {})),
      ...ROUTES.flatMap((r) => Object.values(r.bodyRefs ?? {})),
    ]);
    for (const type of needed) {
      const make = FACTORIES[type];
      if (!make) throw new Error(`routes name "${type}" objects but the cross-tenant test has no factory for them`);
      objectsOfB.set(type, await make(t, b));
      objectsOfA.set(type, await make(t, a));
    }
  });
  afterAll(() => t.close());

  // a path parameter that names no object (an attestation's file number) is its first: 0
  const pathFor = (r: RouteSpec, tenant: string, objects: Map<ResourceType, string>) =>
    r.path
      .replace(':tenant', tenant)
      .replace(/:(\w+)/g, (_m, name: string) => (r.ids?.[name] ? objects.get(r.ids[name])! : '0'));

  const send = (r: RouteSpec, path: string, body?: unknown) => {
    const req = request(t.app)[r.method](path).set('Authorization', `Bearer ${tokenA}`);
    return body === undefined ? req : req.send(body as object);
  };

  it('covers every tenant-scoped route', () => {
    expect(tenantRoutes.length).toBeGreaterThan(0);
  });

  for (const route of tenantRoutes)
    describe(`${route.method.toUpperCase()} ${route.path}`, () => {
      it("answers 404 for another tenant's path (client and MSP)", async () => {
        for (const tenant of [b.client, b.msp]) {
          const path = pathFor(route, tenant, objectsOfB);
          const res = await send(
            route,
            path,
            'example' in (route.body ?? {}) ? (route.body as { example: unknown }).example : undefined,
          );
          expect({ path, status: res.status, code: res.body.code }).toEqual({
            path,
            status: 404,
            code: 'tenant_not_found',
          });
        }
      });
    });

  for (const route of idRoutes)
    describe(`${route.method.toUpperCase()} ${route.path}`, () => {
      it("answers 404 for another tenant's object ids under the caller's own path", async () => {
        const res = await send(route, pathFor(route, a.client, objectsOfB));
        expect(res.status).toBe(404);
        expect(res.body.code).toMatch(/_not_found$/);
      });
    });

  for (const route of bodyRefRoutes)
    describe(`${route.method.toUpperCase()} ${route.path}`, () => {
      it("answers 404 for another tenant's ids in the request body", async () => {
        const example = (route.body as { example: Record<string, unknown> }).example;
        const body = { ...example };
        for (const [field, type] of Object.entries(route.bodyRefs!)) body[field] = objectsOfB.get(type);
        const res = await send(route, pathFor(route, a.client, objectsOfA), body);
        expect(res.status).toBe(404);
        expect(res.body.code).toMatch(/_not_found$/);
        // and the same body naming the caller's own object is not refused for tenancy
        for (const [field, type] of Object.entries(route.bodyRefs!)) body[field] = objectsOfA.get(type);
        const own = await send(route, pathFor(route, a.client, objectsOfA), body);
        expect(own.status).not.toBe(404);
      });
    });

  // 401 → 404 → 403: a token without the route's scope learns nothing about ids elsewhere either
  for (const route of [...idRoutes, ...bodyRefRoutes].filter((r) => r.auth !== 'none' && r.auth !== 'token'))
    describe(`${route.method.toUpperCase()} ${route.path} without ${route.auth}`, () => {
      it("answers 404 for another tenant's ids before 403 for the missing scope", async () => {
        const scopeless = await t.token([a.msp], [], 'mallory@a');
        const example =
          'example' in (route.body ?? {}) ? (route.body as { example: Record<string, unknown> }).example : undefined;
        const body = example && { ...example };
        for (const [field, type] of Object.entries(route.bodyRefs ?? {})) body![field] = objectsOfB.get(type);
        const call = (path: string) => {
          const req = request(t.app)[route.method](path).set('Authorization', `Bearer ${scopeless}`);
          return body === undefined ? req : req.send(body);
        };
        const theirs = await call(pathFor(route, a.client, route.ids ? objectsOfB : objectsOfA));
        expect({ status: theirs.status, code: theirs.body.code }).toEqual({
          status: 404,
          code: expect.stringMatching(/_not_found$/),
        });
        if (route.bodyRefs)
          for (const [field, type] of Object.entries(route.bodyRefs)) body![field] = objectsOfA.get(type);
        const mine = await call(pathFor(route, a.client, objectsOfA));
        expect(mine.status).toBe(403);
      });
    });
});
