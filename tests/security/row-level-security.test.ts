/**
 * PostgreSQL row-level security under the application's own checks: a query with no tenant filter
 * at all, run the way every request runs its queries (in a transaction scoped to the token's
 * reach), sees only the tenants that token reaches; outside any reach it sees nothing; a write
 * into another tenant is refused by the database itself. On PGlite and on PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { Principal } from '../../src/auth/scopes.js';
import { queryRows } from '../../src/db/client.js';
import { resolveReach } from '../../src/domain/resolve-reach.js';
import { createMspWithClient, createTestApp, type TenantPair, type TestApp } from '../helpers/app.js';

describe('row-level security', () => {
  let t: TestApp;
  let a: TenantPair;
  let b: TenantPair;

  beforeAll(async () => {
    t = await createTestApp();
    a = await createMspWithClient(t);
    b = await createMspWithClient(t);
    const root = await t.token(['*'], 'admin');
    for (const client of [a.client, b.client]) {
      await request(t.app)
        .post(`/v1/tenants/${client}/snapshots?source=canonical&kind=identity`)
        .set('Authorization', `Bearer ${root}`)
        .send({ users: [] })
        .expect(201);
    }
  });
  afterAll(() => t.close());

  /** The database handle a request of this token gets (src/http/mount.ts does exactly this). */
  const requestDb = async (tenants: string[]) => {
    const principal: Principal = { sub: 'rls-test', tenants, scopes: new Set() };
    return t.database.scoped(await resolveReach((reason) => t.database.system(reason), principal));
  };
  const slugsOf = async (tenants: string[], query = sql`select t.slug from tenants t`) =>
    (await (await requestDb(tenants)).transaction((tx) => queryRows<{ slug: string }>(tx, query))).map((r) => r.slug);

  it("sees only the token's tenants in an unfiltered SELECT", async () => {
    expect((await slugsOf([a.msp])).sort()).toEqual([a.client, a.msp].sort());
    expect(await slugsOf([a.client])).toEqual([a.client]);
    const snapshotsOf = sql`select t.slug from snapshots s join tenants t on t.id = s.tenant_id`;
    expect(await slugsOf([a.msp], snapshotsOf)).toEqual([a.client]);
    expect(await slugsOf([b.client], snapshotsOf)).toEqual([b.client]);
    const everyone = await slugsOf(['*']);
    expect(everyone).toEqual(expect.arrayContaining([a.msp, a.client, b.msp, b.client]));
  });

  it('sees nothing outside any reach, and a token naming no tenant reaches none', async () => {
    const none = t.database.scoped({ all: false, tenantIds: [] });
    const [row] = await none.transaction((tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`select (select count(*) from tenants)::int + (select count(*) from snapshots)::int as n`,
      ),
    );
    expect(row!.n).toBe(0);
    expect(await slugsOf(['no-such-tenant'])).toEqual([]);
  });

  it("refuses, in the database, a write into a tenant outside the transaction's reach", async () => {
    const db = await requestDb([a.msp]);
    const [target] = await queryRows<{ id: string }>(t.owner, sql`select id from tenants where slug = ${b.client}`);
    await expect(
      db.transaction((tx) =>
        tx.execute(
          sql`insert into audit_log (tenant_id, id, actor, action) values (${target!.id}, gen_random_uuid(), 'mallory', 'forged')`,
        ),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } });
    const updated = await db.transaction((tx) =>
      queryRows(tx, sql`update tenants set name = 'renamed' where slug = ${b.client} returning id`),
    );
    expect(updated).toEqual([]);
  });

  it('serves requests as a role that is not a superuser and has no BYPASSRLS', async () => {
    const [me] = await (await requestDb([a.msp])).transaction((tx) =>
      queryRows<{ user: string; privileged: boolean }>(
        tx,
        sql`select current_user as "user", (rolsuper or rolbypassrls) as privileged from pg_roles where rolname = current_user`,
      ),
    );
    expect(me!.privileged).toBe(false);
  });
});
