/**
 * The audit log is a per-tenant hash chain: an edited, deleted or reordered row is found, with
 * where the chain breaks, by GET …/audit/verify; rows written before the chain are chained once.
 */
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../src/db/client.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';

describe('tamper-evident audit log', () => {
  let t: TestApp;
  let root: string;

  beforeAll(async () => {
    t = await createTestApp();
    root = await t.token(['*'], 'admin', 'root');
  });
  afterAll(() => t.close());

  /** A client with a few audited changes of its own. */
  async function auditedClient(): Promise<{ slug: string; id: string; token: string }> {
    const { client } = await createMspWithClient(t);
    const token = await t.token([client], 'admin', 'officer@clinic');
    for (const name of ['Clinic A', 'Clinic B', 'Clinic C']) {
      await request(t.app)
        .patch(`/v1/tenants/${client}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ name })
        .expect(200);
    }
    const [row] = await queryRows<{ id: string }>(t.owner, sql`select id from tenants where slug = ${client}`);
    return { slug: client, id: row!.id, token };
  }

  const verify = (slug: string, token: string) =>
    request(t.app).get(`/v1/tenants/${slug}/audit/verify`).set('Authorization', `Bearer ${token}`);

  it('chains every entry of a tenant and says the chain is intact', async () => {
    const c = await auditedClient();
    const res = await verify(c.slug, c.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ intact: true, rows: 4, brokenAt: null, head: { seq: 4 } });
    const list = await request(t.app).get(`/v1/tenants/${c.slug}/audit`).set('Authorization', `Bearer ${c.token}`);
    const [newest, previous] = list.body.items;
    expect(newest).toMatchObject({ seq: 4, prevHash: previous.hash });
    expect(newest.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds an edited row', async () => {
    const c = await auditedClient();
    await t.owner.execute(sql`update audit_log set actor = 'someone-else' where tenant_id = ${c.id} and seq = 2`);
    const res = await verify(c.slug, c.token);
    expect(res.body).toMatchObject({ intact: false, rows: 1, brokenAt: { seq: 2, reason: 'content_altered' } });
  });

  it('finds a deleted row, and a row whose link was rewritten', async () => {
    const deleted = await auditedClient();
    await t.owner.execute(sql`delete from audit_log where tenant_id = ${deleted.id} and seq = 3`);
    expect((await verify(deleted.slug, deleted.token)).body).toMatchObject({
      intact: false,
      brokenAt: { seq: 4, reason: 'row_missing' },
    });
    const relinked = await auditedClient();
    await t.owner.execute(
      sql`update audit_log set prev_hash = repeat('0', 64) where tenant_id = ${relinked.id} and seq = 3`,
    );
    expect((await verify(relinked.slug, relinked.token)).body).toMatchObject({
      intact: false,
      brokenAt: { seq: 3, reason: 'link_broken' },
    });
  });

  it("keeps one tenant's tampering out of another tenant's verdict", async () => {
    const a = await auditedClient();
    const b = await auditedClient();
    await t.owner.execute(sql`update audit_log set action = 'x' where tenant_id = ${a.id} and seq = 1`);
    expect((await verify(b.slug, b.token)).body.intact).toBe(true);
    expect((await verify(a.slug, a.token)).body.intact).toBe(false);
  });

  it('chains rows written before the chain existed, by (at, id), when migrating', async () => {
    const c = await auditedClient();
    await t.owner.execute(
      sql`update audit_log set seq = null, prev_hash = null, hash = null where tenant_id = ${c.id}`,
    );
    await t.database.migrate();
    expect((await verify(c.slug, c.token)).body).toMatchObject({ intact: true, rows: 4 });
    expect((await verify(c.slug, root)).status).toBe(200);
  });

  it('needs tenants:read and a tenant in reach', async () => {
    const c = await auditedClient();
    const ci = await t.token([c.slug], 'ci');
    expect((await verify(c.slug, ci)).status).toBe(403);
    const other = await auditedClient();
    expect((await verify(c.slug, other.token)).status).toBe(404);
  });
});
