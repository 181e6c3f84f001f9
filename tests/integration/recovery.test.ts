/**
 * An ingest stores its snapshot and then evaluates: a process killed between the two leaves a
 * snapshot no evaluation judged. The next start evaluates it (recoverUnevaluated, run by main.ts
 * before listening), once.
 */
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../src/db/client.js';
import { recoverUnevaluated } from '../../src/domain/recover-unevaluated.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';

const user = (id: string) => ({
  id,
  source: 'canonical',
  username: `${id}@example.com`,
  status: 'active',
  accountType: 'human',
  authSource: 'local',
  mfa: { registered: false },
  origin: { part: 'body', pointer: '/users/0' },
});

describe('start-up recovery of snapshots stored without their evaluation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const ctx = () => ({
    db: t.database.system('test: start-up recovery'),
    system: (reason: string) => t.database.system(reason),
    principal: { sub: 'posture:recovery', tenants: ['*'], scopes: new Set<never>() },
    now: new Date(),
    catalog: t.deps.catalog,
    signer: t.deps.signer,
    keyring: t.deps.keyring,
    work: t.deps.work,
  });

  async function ingest(client: string, users: string[], instance = 'default') {
    const token = await t.token([client], 'admin');
    const res = await request(t.app)
      .post(`/v1/tenants/${client}/snapshots?source=canonical&kind=identity&instance=${instance}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ users: users.map(user) });
    expect(res.status).toBe(201);
    return res.body as { id: string; evaluation: { id: string } };
  }

  /** What a kill -9 between storing and evaluating leaves: the snapshot, no evaluation of it. */
  async function forgetEvaluation(evaluationId: string) {
    await t.owner.execute(sql`delete from findings where evaluation_id = ${evaluationId}`);
    await t.owner.execute(sql`delete from evaluations where id = ${evaluationId}`);
  }

  const evaluationsOf = async (client: string) =>
    queryRows<{ id: string; trigger: string; snapshot_ids: string[] }>(
      t.owner,
      sql`select e.id, e.trigger, e.snapshot_ids from evaluations e join tenants t on t.id = e.tenant_id
          where t.slug = ${client} order by e.id`,
    );

  it('evaluates the tenant whose latest snapshot was never judged, once', async () => {
    const { client } = await createMspWithClient(t);
    const first = await ingest(client, ['alice']);
    const second = await ingest(client, ['alice', 'bob']);
    await forgetEvaluation(second.evaluation.id);
    const before = await evaluationsOf(client);
    expect(before.map((e) => e.id)).toEqual([first.evaluation.id]);

    expect(await recoverUnevaluated(ctx())).toBeGreaterThanOrEqual(1);
    const after = await evaluationsOf(client);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ trigger: 'ingest', snapshot_ids: [second.id] });
    // judged as the ingest would have been: bob's missing MFA is new against the state before
    const token = await t.token([client], 'admin');
    const findings = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${after[1]!.id}/findings?rule=identity.mfa-registered&limit=1000`)
      .set('Authorization', `Bearer ${token}`);
    const bob = findings.body.items.filter((f: { item: { id: string } | null }) => f.item?.id === 'bob');
    // one row, listing each of a client's default packs, new
    expect(bob).toHaveLength(1);
    expect(bob[0].new).toBe(true);
    expect(bob[0].packs.map((p: { pack: string }) => p.pack)).toEqual([
      'cis-controls-8.1',
      'hipaa-security-rule',
      'pci-dss-4.0.1',
    ]);

    await recoverUnevaluated(ctx());
    expect(await evaluationsOf(client)).toHaveLength(2);
  });

  it('leaves alone a snapshot that a later one of the same export replaced and that was judged', async () => {
    const { client } = await createMspWithClient(t);
    const lost = await ingest(client, ['carol']);
    await forgetEvaluation(lost.evaluation.id);
    await ingest(client, ['carol', 'dave']);
    const before = await evaluationsOf(client);
    await recoverUnevaluated(ctx());
    expect(await evaluationsOf(client)).toEqual(before);
  });
});
