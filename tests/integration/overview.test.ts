/**
 * GET /v1/tenants/{msp}/overview through HTTP: an MSP with two clients — one with back-dated
 * evaluations (asOf) to judge "new since last week", one with waivers and attestations about to
 * expire — and the refusals: a client's token and another MSP's get 404, bad query 400.
 */
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { createTestApp, type TestApp, uniqueSlug } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

const PACK = 'hipaa-security-rule';
const OTHER = 'cis-controls-8.1';
/** a manual HIPAA requirement that can be attested */
const REVIEW = '164.308(a)(1)(ii)(D)';
const DAY = 86_400_000;
const recent = new Date(Date.now() - DAY).toISOString();
const user = (i: number, id: string, mfa: boolean) => ({
  id,
  source: 'canonical',
  username: `${id}@example.com`,
  status: 'active',
  accountType: 'human',
  authSource: 'local',
  mfa: { registered: mfa },
  lastLoginAt: recent,
  origin: { part: 'body', pointer: `/users/${i}` },
});

interface Figure {
  value: number | null;
  numerator: number;
  denominator: number;
}
interface PackOverview {
  pack: string;
  evaluationId: string;
  verified: Figure;
  withAttestations: Figure;
  withWaivers: Figure;
  open: Record<string, number>;
  newSinceLastWeek: number;
  series: { evaluationId: string; verified: number | null }[];
}
interface TenantOverview {
  slug: string;
  name: string;
  kind: string;
  packs: PackOverview[];
  oldestEvidence: { kind: string; collectedAt: string }[];
  expiring: { waivers: { count: number; next: string | null }; attestations: { count: number; next: string | null } };
}
interface FindingRow {
  ruleId: string;
  severity: string;
  item: { id: string } | null;
  packs: { pack: string; status: string }[];
}

describe('the MSP overview', () => {
  let t: TestApp;
  let root: string;
  let msp: string;
  let busy: string;
  let quiet: string;
  const ids: Record<string, string> = {};

  const call = async (token: string, method: 'get' | 'post', path: string, body?: object) => {
    let r = request(t.app)[method](path).set('Authorization', `Bearer ${token}`);
    if (body !== undefined) r = r.send(body);
    const res = await r;
    expectContract(res, method, path);
    return res;
  };
  const create = async (slug: string, kind: 'msp' | 'client', parent?: string) => {
    const res = await call(root, 'post', '/v1/tenants', { slug, name: `Name of ${slug}`, kind, parent });
    expect(res.status).toBe(201);
    ids[slug] = res.body.id;
  };
  const overview = async (token: string, query = '') => {
    const res = await call(token, 'get', `/v1/tenants/${msp}/overview${query}`);
    expect(res.status).toBe(200);
    return res.body as { tenants: TenantOverview[]; newSince: string };
  };
  /** (rule, item) of the findings failing in `pack` of an evaluation */
  const failing = async (client: string, evaluationId: string, pack: string) => {
    const res = await call(root, 'get', `/v1/tenants/${client}/evaluations/${evaluationId}/findings?limit=1000`);
    return (res.body.items as FindingRow[])
      .filter((f) => f.packs.some((p) => p.pack === pack && p.status === 'fail'))
      .map((f) => ({ key: `${f.ruleId} ${f.item?.id ?? ''}`, severity: f.severity }));
  };

  let first: string;
  let backdated: string;
  let latest: string;

  beforeAll(async () => {
    t = await createTestApp();
    root = await t.token(['*'], 'admin', 'root');
    msp = uniqueSlug('msp');
    busy = uniqueSlug('busy');
    quiet = uniqueSlug('quiet');
    await create(msp, 'msp');
    await create(busy, 'client', msp);
    await create(quiet, 'client', msp);

    // busy: alice without MFA for three weeks (her export back-dated), evaluated as of 10 days ago
    const ingest = (users: unknown[]) =>
      call(root, 'post', `/v1/tenants/${busy}/snapshots?source=canonical&kind=identity`, { users });
    const old = await ingest([user(0, 'alice', false), user(1, 'bob', true)]);
    expect(old.status).toBe(201);
    first = old.body.evaluation.id;
    const weeksAgo = new Date(Date.now() - 21 * DAY);
    await t.owner.execute(
      sql`update snapshots set received_at = ${weeksAgo.toISOString()}::timestamptz, collected_at = ${weeksAgo.toISOString()}::timestamptz where id = ${old.body.id}`,
    );
    const back = await call(root, 'post', `/v1/tenants/${busy}/evaluations`, {
      packs: [PACK],
      asOf: new Date(Date.now() - 10 * DAY).toISOString(),
    });
    expect(back.status).toBe(201);
    backdated = back.body.id;
    // now carol arrives without MFA too
    const now = await ingest([user(0, 'alice', false), user(1, 'bob', true), user(2, 'carol', false)]);
    expect(now.status).toBe(201);
    latest = now.body.evaluation.id;

    // quiet: a waiver (approved) and an attestation expiring within 30 days, and others that do not
    const officer = await t.token([quiet], 'officer', 'officer@quiet');
    const approver = await t.token([quiet], 'officer', 'approver@quiet');
    const waive = async (days: number) => {
      const w = await call(officer, 'post', `/v1/tenants/${quiet}/waivers`, {
        ruleId: 'identity.mfa-registered',
        itemMatch: 'carol',
        justification: 'enrols at the next site visit',
        expiresAt: new Date(Date.now() + days * DAY).toISOString(),
      });
      expect(w.status).toBe(201);
      return w.body.id as string;
    };
    for (const days of [12, 25, 90]) {
      const id = await waive(days);
      expect((await call(approver, 'post', `/v1/tenants/${quiet}/waivers/${id}/approve`)).status).toBe(200);
    }
    await waive(5); // pending: never applies, never expires on anyone
    for (const days of [20, 200]) {
      const a = await call(officer, 'post', `/v1/tenants/${quiet}/attestations`, {
        packId: PACK,
        requirementId: REVIEW,
        statement: 'Reviewed quarterly by the practice manager.',
        validUntil: new Date(Date.now() + days * DAY).toISOString(),
      });
      expect(a.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('lists the MSP and both clients with the figures of their latest evaluations', async () => {
    const body = await overview(root);
    expect(body.tenants.map((x) => [x.slug, x.kind])).toEqual([
      [msp, 'msp'],
      [busy, 'client'],
      [quiet, 'client'],
    ]);
    const [mine, b, q] = body.tenants as [TenantOverview, TenantOverview, TenantOverview];
    expect(mine.packs).toEqual([]);
    expect(q.packs).toEqual([]);
    const evaluation = (await call(root, 'get', `/v1/tenants/${busy}/evaluations/${latest}`)).body;
    const results = evaluation.results as { id: string; scores: Record<string, Figure> }[];
    expect(b.packs.map((p) => p.pack)).toEqual([...results.map((r) => r.id)].sort());
    for (const p of b.packs) {
      const r = results.find((x) => x.id === p.pack)!;
      expect(p.evaluationId).toBe(latest);
      expect([p.verified, p.withAttestations, p.withWaivers]).toEqual([
        r.scores.verified,
        r.scores.withAttestations,
        r.scores.withWaivers,
      ]);
      const fails = await failing(busy, latest, p.pack);
      expect(fails.length).toBeGreaterThan(0);
      const bySeverity = (s: string) => fails.filter((f) => f.severity === s).length;
      expect(p.open).toEqual({
        critical: bySeverity('critical'),
        high: bySeverity('high'),
        medium: bySeverity('medium'),
        low: bySeverity('low'),
        info: bySeverity('info'),
      });
    }
  });

  it('counts as new since last week only what was not failing in the latest evaluation a week ago', async () => {
    const b = (await overview(root)).tenants[1]!;
    const hipaa = b.packs.find((p) => p.pack === PACK)!;
    const now = await failing(busy, latest, PACK);
    const then = new Set((await failing(busy, backdated, PACK)).map((f) => f.key));
    expect(then.has('identity.mfa-registered alice')).toBe(true);
    const fresh = now.filter((f) => !then.has(f.key)).map((f) => f.key);
    expect(fresh).toContain('identity.mfa-registered carol');
    expect(fresh).not.toContain('identity.mfa-registered alice');
    expect(hipaa.newSinceLastWeek).toBe(fresh.length);
    expect(hipaa.newSinceLastWeek).toBeLessThan(now.length);
    // no evaluation of the other pack a week ago or earlier: all it fails is new
    const cis = b.packs.find((p) => p.pack === OTHER)!;
    expect(cis.newSinceLastWeek).toBe((await failing(busy, latest, OTHER)).length);
  });

  it('gives a series per pack, oldest first, cut to ?limit=, and filters by ?pack=', async () => {
    const all = (await overview(root)).tenants[1]!.packs.find((p) => p.pack === PACK)!;
    // by asOf: the back-dated one, then the first ingest, then the latest
    expect(all.series.map((s) => s.evaluationId)).toEqual([backdated, first, latest]);
    expect(all.series.at(-1)!.verified).toBe(all.verified.value);
    const cut = await overview(root, `?limit=2&pack=${PACK}`);
    const b = cut.tenants[1]!;
    expect(b.packs.map((p) => p.pack)).toEqual([PACK]);
    expect(b.packs[0]!.series.map((s) => s.evaluationId)).toEqual([first, latest]);
  });

  it('shows the oldest evidence by kind and what expires within 30 days', async () => {
    const [, b, q] = (await overview(root)).tenants as [TenantOverview, TenantOverview, TenantOverview];
    const snaps = (await call(root, 'get', `/v1/tenants/${busy}/snapshots?limit=10`)).body.items as {
      collectedAt: string;
      receivedAt: string;
    }[];
    const newest = [...snaps].sort((x, y) => y.receivedAt.localeCompare(x.receivedAt))[0]!;
    expect(b.oldestEvidence).toEqual([{ kind: 'identity', collectedAt: newest.collectedAt }]);
    expect(q.oldestEvidence).toEqual([]);
    expect(q.expiring.waivers.count).toBe(2);
    expect(new Date(q.expiring.waivers.next!).getTime()).toBeGreaterThan(Date.now() + 11 * DAY);
    expect(new Date(q.expiring.waivers.next!).getTime()).toBeLessThan(Date.now() + 13 * DAY);
    expect(q.expiring.attestations.count).toBe(1);
    expect(b.expiring).toEqual({ waivers: { count: 0, next: null }, attestations: { count: 0, next: null } });
  });

  it('answers 404 to a client token and to another MSP, and a client its own row only', async () => {
    const clientToken = await t.token([busy], 'auditor', 'auditor@busy');
    const res = await call(clientToken, 'get', `/v1/tenants/${msp}/overview`);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(quiet);
    const own = await call(clientToken, 'get', `/v1/tenants/${busy}/overview`);
    expect(own.status).toBe(200);
    expect(own.body.tenants.map((x: TenantOverview) => x.slug)).toEqual([busy]);
    expect(JSON.stringify(own.body)).not.toContain(quiet);
    const other = uniqueSlug('other-msp');
    await create(other, 'msp');
    const otherToken = await t.token([other], 'admin', 'admin@other');
    expect((await call(otherToken, 'get', `/v1/tenants/${msp}/overview`)).status).toBe(404);
    const mine = await call(otherToken, 'get', `/v1/tenants/${other}/overview`);
    expect(mine.body.tenants.map((x: TenantOverview) => x.slug)).toEqual([other]);
  });

  it('needs both read scopes and validates its query', async () => {
    const mspToken = await t.token([msp], ['evaluations:read'], 'ci@msp');
    expect((await call(mspToken, 'get', `/v1/tenants/${msp}/overview`)).status).toBe(403);
    const auditor = await t.token([msp], 'auditor', 'auditor@msp');
    for (const [q, pointer] of [
      ['?limit=0', '/limit'],
      ['?limit=51', '/limit'],
      ['?pack=', '/pack'],
      ['?pack=no-such-pack', '/pack'],
      ['?colour=red', '/colour'],
    ] as const) {
      const res = await call(auditor, 'get', `/v1/tenants/${msp}/overview${q}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain(pointer);
    }
  });
});
