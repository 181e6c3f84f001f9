/**
 * Issue 15 §1 and §2 through HTTP: collection time and evidence freshness on ingest, the diff of a
 * stale failure, X-Collected-At validation, and findings judged on an assumption (Entra without
 * its `users` part).
 */
import request from 'supertest';
import { fixture } from '../helpers/adapters.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';
import { tenantRows } from '../helpers/rows.js';

const DAY = 86_400_000;
const T0 = new Date('2026-11-01T12:00:00Z');
let clock = T0;
let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  admin = await t.token(['*'], 'admin', 'ci@pipeline');
});
afterAll(async () => t.close());
beforeEach(() => {
  clock = T0;
});

interface FindingDto {
  ruleId: string;
  packId: string;
  status: string;
  item: { id: string } | null;
  message: string;
  new: boolean;
  assumed: string[];
  stale: boolean;
}

const at = (days: number) => new Date(T0.getTime() + days * DAY);

/** Two endpoints: one seen an hour before the export was taken, one never seen. */
const endpoints = JSON.stringify({
  endpoints: [
    {
      id: 'ep-fresh',
      source: 'canonical',
      hostname: 'ws-fresh',
      managed: true,
      agent: { vendor: 'crowdstrike', health: 'healthy', lastSeenAt: new Date(T0.getTime() - 3_600_000).toISOString() },
      origin: { part: 'body', pointer: '/endpoints/0' },
    },
    {
      id: 'ep-never',
      source: 'canonical',
      hostname: 'ws-never',
      managed: true,
      agent: { vendor: 'crowdstrike', health: 'healthy', lastSeenAt: null },
      origin: { part: 'body', pointer: '/endpoints/1' },
    },
  ],
});

function post(tenant: string, query: string, body: string | Buffer, headers: Record<string, string> = {}) {
  let r = request(t.app)
    .post(`/v1/tenants/${tenant}/snapshots?${query}`)
    .set('Authorization', `Bearer ${admin}`)
    .set('Content-Type', 'application/json');
  for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
  return r.send(body);
}

async function findings(tenant: string, evaluationId: string, q = ''): Promise<FindingDto[]> {
  const path = `/v1/tenants/${tenant}/evaluations/${evaluationId}/findings`;
  const res = await request(t.app).get(`${path}?limit=1000${q}`).set('Authorization', `Bearer ${admin}`);
  expect(res.status).toBe(200);
  expectContract(res, 'get', path);
  // one row per rule and item, listing its packs: one entry per pack here
  return (res.body.items as (FindingDto & { packs: { pack: string; status: string }[] })[]).flatMap((f) =>
    f.packs.map((p) => ({ ...f, packId: p.pack, status: p.status })),
  );
}

const seen = (fs: FindingDto[]) =>
  fs
    .filter((f) => f.ruleId === 'endpoint.agent-recently-seen' && f.packId === 'cis-controls-8.1')
    .map((f) => ({ item: f.item?.id ?? null, status: f.status, stale: f.stale, new: f.new }))
    .sort((a, b) => String(a.item).localeCompare(String(b.item)));

describe('collection time and evidence freshness through ingest', () => {
  it('judges an export posted 17 days after it was taken as of when it was taken (no silence)', async () => {
    const { client } = await createMspWithClient(t);
    clock = at(17);
    const res = await post(client, 'source=canonical&kind=endpoint', endpoints, {
      'X-Collected-At': T0.toISOString(),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ collectedAt: T0.toISOString(), collectedAtSource: 'header' });
    expect(seen(await findings(client, res.body.evaluation.id))).toEqual([
      { item: 'ep-never', status: 'fail', stale: false, new: true },
    ]);
  });

  it("reposting last month's export today gives stale-evidence findings, not silence failures", async () => {
    const { client } = await createMspWithClient(t);
    const first = await post(client, 'source=canonical&kind=endpoint', endpoints);
    expect(first.status).toBe(201);
    expect(seen(await findings(client, first.body.evaluation.id))).toEqual([
      { item: 'ep-never', status: 'fail', stale: false, new: true },
    ]);
    clock = at(45);
    // the same export, saying when it was taken: it confirms nothing new
    const again = await post(client, 'source=canonical&kind=endpoint', endpoints, {
      'X-Collected-At': T0.toISOString(),
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, collectedAt: T0.toISOString(), lastConfirmedAt: null });
    const fs = await findings(client, again.body.evaluation.id);
    // (a re-post is compared with the state before its first post, as CI re-runs are: both new)
    expect(seen(fs)).toEqual([
      { item: 'ep-never', status: 'fail', stale: true, new: true },
      { item: null, status: 'insufficient_evidence', stale: true, new: true },
    ]);
    const stale = fs.find((f) => f.ruleId === 'endpoint.agent-recently-seen' && f.item === null)!;
    expect(stale.message).toMatch(/evidence collected 45 days ago/);
    expect(again.body.evaluation.summary.failingBySeverity).toBeDefined();
    const evaluation = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${again.body.evaluation.id}`)
      .set('Authorization', `Bearer ${admin}`);
    expect(evaluation.body.missingEvidence).toContainEqual(
      expect.objectContaining({
        kind: 'endpoint',
        hint: 'post a fresh canonical export',
        snapshot: expect.objectContaining({ id: first.body.id, ageDays: 45 }),
      }),
    );
    const rule = evaluation.body.rules.find(
      (r: { packId: string; ruleId: string }) =>
        r.packId === 'cis-controls-8.1' && r.ruleId === 'endpoint.agent-recently-seen',
    );
    expect(rule).toMatchObject({ state: 'fail', stale: 2, parameters: { maxEvidenceAgeDays: 30 } });
  });

  it('a stale failure that was failing before is not new', async () => {
    const { client } = await createMspWithClient(t);
    await post(client, 'source=canonical&kind=endpoint', endpoints);
    clock = at(45);
    // another export arrives; the endpoint one is now 45 days old
    const other = await post(
      client,
      'source=entra',
      JSON.stringify({
        value: [
          { id: 'u1', userPrincipalName: 'a@example.com', userType: 'member', isAdmin: false, isMfaRegistered: true },
        ],
      }),
    );
    expect(other.status).toBe(201);
    expect(seen(await findings(client, other.body.evaluation.id))).toEqual([
      { item: 'ep-never', status: 'fail', stale: true, new: false },
      { item: null, status: 'insufficient_evidence', stale: true, new: true },
    ]);
  });

  it('a re-post without a time confirms the export now (lastConfirmedAt), which keeps it fresh', async () => {
    const { client } = await createMspWithClient(t);
    const first = await post(client, 'source=canonical&kind=endpoint', endpoints);
    clock = at(45);
    const again = await post(client, 'source=canonical&kind=endpoint', endpoints);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: first.body.id,
      collectedAt: T0.toISOString(),
      collectedAtSource: 'received',
      lastConfirmedAt: at(45).toISOString(),
    });
    expect(seen(await findings(client, again.body.evaluation.id))).toEqual([
      // silence is still measured to the collection time: the confirmation only refreshes freshness
      { item: 'ep-never', status: 'fail', stale: false, new: true },
    ]);
    const one = await request(t.app)
      .get(`/v1/tenants/${client}/snapshots/${first.body.id}`)
      .set('Authorization', `Bearer ${admin}`);
    expect(one.body.lastConfirmedAt).toBe(at(45).toISOString());
  });

  it('takes maxEvidenceAgeDays from the tenant parameters', async () => {
    const { client } = await createMspWithClient(t);
    const put = await request(t.app)
      .put(`/v1/tenants/${client}/parameters`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ 'cis-controls-8.1': { maxEvidenceAgeDays: 60 } });
    expect(put.status).toBe(200);
    clock = at(45);
    const res = await post(client, 'source=canonical&kind=endpoint', endpoints, { 'X-Collected-At': T0.toISOString() });
    const fs = await findings(client, res.body.evaluation.id);
    expect(seen(fs)).toEqual([{ item: 'ep-never', status: 'fail', stale: false, new: true }]);
    // other packs keep the default of 30 days
    expect(fs.some((f) => f.packId === 'pci-dss-4.0.1' && f.ruleId === 'endpoint.agent-recently-seen' && f.stale)).toBe(
      true,
    );
  });

  it('refuses an X-Collected-At in the future (beyond the clock tolerance) with a pointer, storing nothing', async () => {
    const { client } = await createMspWithClient(t);
    const before = await tenantRows(t.owner, client);
    const res = await post(client, 'source=canonical&kind=endpoint', endpoints, {
      'X-Collected-At': new Date(T0.getTime() + 10 * 60_000).toISOString(),
    });
    expect({ status: res.status, code: res.body.code, pointer: res.body.errors[0].pointer }).toEqual({
      status: 422,
      code: 'validation_failed',
      pointer: '/X-Collected-At',
    });
    expect(await tenantRows(t.owner, client)).toEqual(before);
    // within the tolerance (clocks differ by a minute or two) it is taken as given
    const ok = await post(client, 'source=canonical&kind=endpoint', endpoints, {
      'X-Collected-At': new Date(T0.getTime() + 60_000).toISOString(),
    });
    expect(ok.status).toBe(201);
  });
});

describe('assumptions through ingest', () => {
  it('Entra without the users part: a user whose registration shows no MFA fails, on the assumption that it is enabled', async () => {
    const { client } = await createMspWithClient(t);
    const registrations = JSON.stringify({
      value: [
        {
          id: 'u-nomfa',
          userPrincipalName: 'nomfa@example.com',
          userDisplayName: 'No MFA',
          userType: 'member',
          isAdmin: false,
          isMfaRegistered: false,
          methodsRegistered: [],
        },
        {
          id: 'u-ok',
          userPrincipalName: 'ok@example.com',
          userDisplayName: 'OK',
          userType: 'member',
          isAdmin: false,
          isMfaRegistered: true,
          methodsRegistered: ['fido2'],
        },
      ],
    });
    const res = await post(client, 'source=entra', registrations);
    expect(res.status).toBe(201);
    const fs = (await findings(client, res.body.evaluation.id, '&rule=identity.mfa-registered')).filter(
      (f) => f.packId === 'hipaa-security-rule',
    );
    expect(fs.map((f) => [f.item?.id, f.status, f.assumed])).toEqual([['u-nomfa', 'fail', ['status']]]);
    expect(fs[0]!.message).toMatch(
      /judged assuming status = "active" \(the entra export does not state it; the Entra `users` part \(accountEnabled\) would settle it\)/,
    );
    const evaluation = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${res.body.evaluation.id}`)
      .set('Authorization', `Bearer ${admin}`);
    const rule = evaluation.body.rules.find(
      (r: { packId: string; ruleId: string }) =>
        r.packId === 'hipaa-security-rule' && r.ruleId === 'identity.mfa-registered',
    );
    expect(rule).toMatchObject({ state: 'fail', assumed: 2, counts: { pass: 1, fail: 1, insufficient_evidence: 0 } });
    const sarif = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${res.body.evaluation.id}?format=sarif`)
      .set('Authorization', `Bearer ${admin}`);
    const results = JSON.parse(sarif.text).runs[0].results as { ruleId: string; properties: { assumed?: string[] } }[];
    expect(results.filter((r) => r.ruleId === 'identity.mfa-registered').map((r) => r.properties.assumed)).toEqual([
      ['status'],
    ]);
  });

  it('with the users part nothing is assumed', async () => {
    const { client } = await createMspWithClient(t);
    const boundary = 'xYz123';
    const part = (name: string, bytes: Buffer) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.json"\r\nContent-Type: application/json\r\n\r\n`,
        ),
        bytes,
        Buffer.from('\r\n'),
      ]);
    const body = Buffer.concat([
      part('registrations', fixture('entra/registrations-page1.json')),
      part('users', fixture('entra/users.json')),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const res = await request(t.app)
      .post(`/v1/tenants/${client}/snapshots?source=entra`)
      .set('Authorization', `Bearer ${admin}`)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expect(res.status).toBe(201);
    // every registered user is in the users part: each status is stated, and 5c4b3a29 (disabled,
    // no MFA) is not applicable rather than failing on an assumption
    const fs = await findings(client, res.body.evaluation.id);
    expect(fs.length).toBeGreaterThan(0);
    expect(fs.filter((f) => f.assumed.length > 0)).toEqual([]);
    expect(fs.filter((f) => f.ruleId === 'identity.mfa-registered' && f.item?.id.startsWith('5c4b3a29'))).toEqual([]);
  });
});
