import { sql } from 'drizzle-orm';
import request from 'supertest';
import { catalog, createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

const origin = (i: number) => ({ part: 'body', pointer: `/users/${i}` });
const user = (i: number, id: string, extra: Record<string, unknown>) => ({
  id,
  source: 'canonical',
  username: `${id}@example.com`,
  status: 'active',
  accountType: 'human',
  authSource: 'local',
  origin: origin(i),
  ...extra,
});
const recent = '2026-11-20T00:00:00Z';
/** a client's default packs, each of which uses identity.mfa-registered */
const PACKS = ['cis-controls-8.1', 'hipaa-security-rule', 'pci-dss-4.0.1'];
const perPack = (...rest: unknown[]) => PACKS.map((p) => [p, ...rest]);

interface Row {
  id: string;
  fingerprint: string;
  ruleId: string;
  status: string;
  severity: string;
  item: { id: string } | null;
  new: boolean;
  waiverId: string | null;
  evidence: Record<string, unknown>;
  packId: string;
  packs: { pack: string; status: string; waiverId: string | null; requirements: string[] }[];
  requirements: { pack: string; id: string }[];
  firstSeenAt: string;
}

describe('evaluations, findings, waivers and parameters over HTTP', () => {
  let t: TestApp;
  let client: string;
  let token: string;
  const call = async (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown) => {
    let r = request(t.app)[method](path).set('Authorization', `Bearer ${token}`);
    if (body !== undefined) r = r.send(body as object);
    const res = await r;
    expectContract(res, method, path);
    return res;
  };
  const ingest = (users: unknown[]) =>
    call('post', `/v1/tenants/${client}/snapshots?source=canonical&kind=identity`, { users });
  const rows = async (evaluationId: string, q = '') =>
    (await call('get', `/v1/tenants/${client}/evaluations/${evaluationId}/findings?limit=1000${q}`)).body
      .items as Row[];
  /** each row's packs, one entry per pack (with the row's rule, item and new flag) */
  const findings = async (evaluationId: string, q = '') =>
    (await rows(evaluationId, q)).flatMap((f) =>
      f.packs.map((p) => ({ ...f, packId: p.pack, status: p.status, waiverId: p.waiverId })),
    );

  beforeAll(async () => {
    t = await createTestApp();
  });
  // a fresh tenant per test: no test reads what another left behind
  beforeEach(async () => {
    ({ client } = await createMspWithClient(t));
    token = await t.token([client], 'admin', 'officer@clinic');
  });
  afterAll(() => t.close());

  it('evaluates on every ingest, and diffs against the previous evaluation', async () => {
    const first = await ingest([
      user(0, 'alice', { mfa: { registered: true }, lastLoginAt: recent }),
      user(1, 'bob', { mfa: { registered: false }, lastLoginAt: recent }),
    ]);
    expect(first.status).toBe(201);
    const e1 = first.body.evaluation;
    expect(e1.summary.packs.map((p: { id: string }) => p.id).sort()).toEqual(PACKS);
    const f1 = (await findings(e1.id)).filter((f) => f.ruleId === 'identity.mfa-registered');
    expect(f1.map((f) => [f.packId, f.item?.id, f.status, f.new]).sort()).toEqual(perPack('bob', 'fail', true));
    expect(f1[0]!.evidence).toEqual({
      status: 'active',
      accountType: 'human',
      authSource: 'local',
      mfa: { registered: false },
    });

    // bob enrols, carol arrives without MFA
    const second = await ingest([
      user(0, 'alice', { mfa: { registered: true }, lastLoginAt: recent }),
      user(1, 'bob', { mfa: { registered: true }, lastLoginAt: recent }),
      user(2, 'carol', { mfa: { registered: false }, lastLoginAt: recent }),
    ]);
    const e2 = (await call('get', `/v1/tenants/${client}/evaluations/${second.body.evaluation.id}`)).body;
    expect(e2.previousId).toBe(e1.id);
    expect(e2.diff.resolvedFindings).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'identity.mfa-registered', itemId: 'bob' })]),
    );
    const f2 = (await findings(e2.id)).filter((f) => f.ruleId === 'identity.mfa-registered');
    expect(f2.map((f) => [f.item?.id, f.new])).toEqual(expect.arrayContaining([['carol', true]]));
    expect(f2.some((f) => f.item?.id === 'bob')).toBe(false);
    expect(e2.fileHashes['rules/checks/identity/mfa-registered.yaml']).toMatch(/^[0-9a-f]{64}$/);
    expect(e2.snapshotIds).toEqual([second.body.id]);

    // the same export again (a CI re-run): 200, same snapshot, and a new evaluation diffed against
    // the one from before that export first arrived — what it brought in (carol) is new again
    const again = await ingest([
      user(0, 'alice', { mfa: { registered: true }, lastLoginAt: recent }),
      user(1, 'bob', { mfa: { registered: true }, lastLoginAt: recent }),
      user(2, 'carol', { mfa: { registered: false }, lastLoginAt: recent }),
    ]);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(second.body.id);
    const e3 = (await call('get', `/v1/tenants/${client}/evaluations/${again.body.evaluation.id}`)).body;
    expect(e3.previousId).toBe(e1.id);
    const f3 = await findings(e3.id);
    expect(f3.filter((f) => f.ruleId === 'identity.mfa-registered').map((f) => [f.item?.id, f.new])).toEqual(
      f2.map((f) => [f.item?.id, f.new]),
    );
    expect(again.body.evaluation.summary.new).toBe(e2.summary.new);

    // evaluated again through the API on the same evidence: compared with the last evaluation over
    // other snapshots (e1), not with the one seconds earlier — a report shows the last change
    const api = await call('post', `/v1/tenants/${client}/evaluations`, {});
    expect(api.body.previousId).toBe(e1.id);
    expect(api.body.diff.resolvedFindings).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'identity.mfa-registered', itemId: 'bob' })]),
    );

    // one pack evaluated alone is compared with the last evaluation of THAT pack; the next full
    // evaluation's other packs are still compared with theirs, so nothing is falsely new or resolved
    const cisOnly = await call('post', `/v1/tenants/${client}/evaluations`, { packs: ['cis-controls-8.1'] });
    expect(cisOnly.body.previousId).toBe(e1.id);
    const full = await ingest([
      user(0, 'alice', { mfa: { registered: true }, lastLoginAt: recent }),
      user(1, 'bob', { mfa: { registered: true }, lastLoginAt: recent }),
      user(2, 'carol', { mfa: { registered: false }, lastLoginAt: recent }),
      user(3, 'dave', { mfa: { registered: true }, lastLoginAt: recent }),
    ]);
    expect(full.status).toBe(201);
    const f4 = await findings(full.body.evaluation.id);
    const carolOf = (list: Awaited<ReturnType<typeof findings>>) =>
      list
        .filter((f) => f.item?.id === 'carol')
        .map((f) => [f.packId, f.ruleId, f.new])
        .sort();
    expect(carolOf(f4)).toEqual(perPack('identity.mfa-registered', false));
    expect(full.body.evaluation.summary.resolved).toBe(0);

    // an evaluation back-dated to before any snapshot is not the state just before the next ingest
    await call('post', `/v1/tenants/${client}/evaluations`, { asOf: '2020-01-01T00:00:00Z' });
    const next = await ingest([
      user(0, 'alice', { mfa: { registered: true }, lastLoginAt: recent }),
      user(1, 'bob', { mfa: { registered: true }, lastLoginAt: recent }),
      user(2, 'carol', { mfa: { registered: false }, lastLoginAt: recent }),
    ]);
    expect(next.status).toBe(201);
    expect(carolOf(await findings(next.body.evaluation.id))).toEqual(perPack('identity.mfa-registered', false));
    expect(next.body.evaluation.summary.new).toBe(0);
  });

  it('filters findings by status, severity, rule and source', async () => {
    const posted = await ingest([
      user(0, 'alice', { mfa: { registered: true }, lastLoginAt: recent }),
      user(1, 'bob', { mfa: { registered: false }, lastLoginAt: recent }),
      user(2, 'carol', { mfa: { registered: false }, lastLoginAt: recent }),
    ]);
    expect(posted.status).toBe(201);
    const id = posted.body.evaluation.id;
    const all = await findings(id);
    const key = (f: { packId: string; ruleId: string; item: { id: string } | null }) =>
      `${f.packId} ${f.ruleId} ${f.item?.id ?? '-'}`;
    const fails = await findings(id, '&status=fail');
    expect(fails.map(key).sort()).toEqual(
      all
        .filter((f) => f.status === 'fail')
        .map(key)
        .sort(),
    );
    // bob and carol fail identity.mfa-registered in each of the three client packs that use it
    const one = await findings(id, '&rule=identity.mfa-registered&source=canonical&severity=high');
    expect(one.map((f) => [f.packId, f.item?.id, f.status]).sort()).toEqual(
      ['cis-controls-8.1', 'hipaa-security-rule', 'pci-dss-4.0.1']
        .flatMap((pack) => [
          [pack, 'bob', 'fail'],
          [pack, 'carol', 'fail'],
        ])
        .sort(),
    );
    expect(await findings(id, '&rule=identity.mfa-registered&severity=low')).toEqual([]);
    expect(await findings(id, '&rule=identity.mfa-registered&source=okta')).toEqual([]);
    const bad = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${id}/findings?status=broken`)
      .set('Authorization', `Bearer ${token}`);
    expect(bad.status).toBe(400);
  });

  it('applies waivers until they are revoked, and refuses waivers beyond a year', async () => {
    const posted = await ingest([
      user(0, 'alice', { mfa: { registered: true }, lastLoginAt: recent }),
      user(1, 'carol', { mfa: { registered: false }, lastLoginAt: recent }),
    ]);
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const w = await call('post', `/v1/tenants/${client}/waivers`, {
      ruleId: 'identity.mfa-registered',
      itemMatch: 'car*',
      justification: 'Carol enrols at her next site visit',
      expiresAt,
    });
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ createdBy: 'officer@clinic', status: 'pending', active: false, revokedAt: null });
    const ciso = await t.token([client], 'officer', 'ciso@clinic');
    const approved = await request(t.app)
      .post(`/v1/tenants/${client}/waivers/${w.body.id}/approve`)
      .set('Authorization', `Bearer ${ciso}`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: 'ciso@clinic', active: true });
    const e = await call('post', `/v1/tenants/${client}/evaluations`, {});
    expect(e.status).toBe(201);
    const carol = (await findings(e.body.id)).filter(
      (f) => f.ruleId === 'identity.mfa-registered' && f.item?.id === 'carol',
    );
    expect(carol.map((f) => [f.packId, f.status, f.waiverId]).sort()).toEqual(perPack('waived', w.body.id));
    // evaluated as of a moment before the waiver was approved, the same snapshot shows Carol failing
    const backDated = await call('post', `/v1/tenants/${client}/evaluations`, {
      asOf: new Date(Date.parse(approved.body.approvedAt) - 1).toISOString(),
    });
    expect(backDated.body.snapshotIds).toEqual([posted.body.id]);
    const carolThen = (await findings(backDated.body.id)).filter(
      (f) => f.ruleId === 'identity.mfa-registered' && f.item?.id === 'carol',
    );
    expect(carolThen.map((f) => [f.status, f.waiverId])).toEqual(carol.map(() => ['fail', null]));

    const revoked = await call('delete', `/v1/tenants/${client}/waivers/${w.body.id}`);
    expect(revoked.body).toMatchObject({ active: false, revokedBy: 'officer@clinic' });
    const after = await call('post', `/v1/tenants/${client}/evaluations`, {});
    expect(
      (await findings(after.body.id))
        .filter((f) => f.ruleId === 'identity.mfa-registered' && f.item?.id === 'carol')
        .map((f) => [f.packId, f.status, f.waiverId])
        .sort(),
    ).toEqual(perPack('fail', null));
    expect((await call('get', `/v1/tenants/${client}/waivers/${w.body.id}`)).body.revokedAt).not.toBeNull();

    const tooLong = await call('post', `/v1/tenants/${client}/waivers`, {
      ruleId: 'identity.mfa-registered',
      itemMatch: 'x',
      justification: 'forever and ever',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors[0].pointer).toBe('/expiresAt');
    const unknownRule = await call('post', `/v1/tenants/${client}/waivers`, {
      ruleId: 'identity.nope',
      itemMatch: 'x',
      justification: 'no such rule here',
      expiresAt,
    });
    expect(unknownRule.body.errors[0].pointer).toBe('/ruleId');
  });

  it('validates parameter overrides against what the packs declare, and applies them', async () => {
    const bad = await call('put', `/v1/tenants/${client}/parameters`, {
      'cis-controls-8.1': { maxInactiveDays: 'soon' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].pointer).toBe('/cis-controls-8.1/maxInactiveDays');
    const unknownParam = await call('put', `/v1/tenants/${client}/parameters`, { 'cis-controls-8.1': { colour: 1 } });
    expect(unknownParam.body.errors[0].pointer).toBe('/cis-controls-8.1/colour');
    const unknownPack = await call('put', `/v1/tenants/${client}/parameters`, { sox: {} });
    expect(unknownPack.body.errors[0].pointer).toBe('/sox');
    const ok = await call('put', `/v1/tenants/${client}/parameters`, { 'cis-controls-8.1': { maxInactiveDays: 1 } });
    expect(ok.status).toBe(200);
    expect((await call('get', `/v1/tenants/${client}/parameters`)).body).toEqual({
      'cis-controls-8.1': { maxInactiveDays: 1 },
    });
    const e = await call('post', `/v1/tenants/${client}/evaluations`, { packs: ['cis-controls-8.1'] });
    const dormant = e.body.rules.find((r: { ruleId: string }) => r.ruleId === 'identity.dormant-accounts');
    expect(dormant.parameters).toEqual({ maxInactiveDays: 1, maxEvidenceAgeDays: 30 });
    expect(e.body.parameters['cis-controls-8.1']['identity.dormant-accounts']).toEqual({
      maxInactiveDays: 1,
      maxEvidenceAgeDays: 30,
    });
  });

  it('evaluates as of a time: later snapshots are ignored', async () => {
    const posted = await ingest([user(0, 'alice', { mfa: { registered: true }, lastLoginAt: recent })]);
    const now = await call('post', `/v1/tenants/${client}/evaluations`, {});
    expect(now.body.snapshotIds).toEqual([posted.body.id]);
    const e = await call('post', `/v1/tenants/${client}/evaluations`, { asOf: '2020-01-01T00:00:00Z' });
    expect(e.status).toBe(201);
    expect(e.body.snapshotIds).toEqual([]);
    expect(e.body.missingEvidence.map((m: { kind: string }) => m.kind)).toEqual(expect.arrayContaining(['identity']));
    const unknownPack = await call('post', `/v1/tenants/${client}/evaluations`, { packs: ['sox'] });
    expect(unknownPack.status).toBe(422);
  });

  it('lists a problem that affects several packs once, with each pack; ?pack= keeps the rows affecting it', async () => {
    await ingest([
      user(0, 'bob', { mfa: { registered: false }, lastLoginAt: recent }),
      user(1, 'carol', { mfa: { registered: false }, lastLoginAt: recent }),
      user(2, 'old', { mfa: { registered: true }, lastLoginAt: '2025-01-01T00:00:00Z' }),
    ]);
    // carol is waived in PCI only: failing elsewhere, the row fails
    const w = await call('post', `/v1/tenants/${client}/waivers`, {
      ruleId: 'identity.mfa-registered',
      packId: 'pci-dss-4.0.1',
      itemMatch: 'carol',
      justification: 'Carol leaves the cardholder data team this month',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const ciso = await t.token([client], 'officer', 'ciso@clinic');
    const approve = await request(t.app)
      .post(`/v1/tenants/${client}/waivers/${w.body.id}/approve`)
      .set('Authorization', `Bearer ${ciso}`);
    expect(approve.status).toBe(200);
    const e = (await call('post', `/v1/tenants/${client}/evaluations`, {})).body;
    const all = await rows(e.id);
    // one row per fingerprint
    expect(new Set(all.map((f) => f.fingerprint)).size).toBe(all.length);
    const mfa = (id: string, list = all) =>
      list.filter((f) => f.ruleId === 'identity.mfa-registered' && f.item?.id === id);
    expect(mfa('bob')).toHaveLength(1);
    const bob = mfa('bob')[0]!;
    expect(bob.packs.map((p) => [p.pack, p.status, p.waiverId])).toEqual(perPack('fail', null));
    expect(bob.packs.every((p) => p.requirements.length > 0)).toBe(true);
    expect(bob.requirements).toEqual(bob.packs.flatMap((p) => p.requirements.map((id) => ({ pack: p.pack, id }))));
    expect(bob).toMatchObject({ status: 'fail', packId: PACKS[0], waiverId: null });
    const carol = mfa('carol')[0]!;
    expect(carol.packs.map((p) => [p.pack, p.status, p.waiverId])).toEqual([
      ['cis-controls-8.1', 'fail', null],
      ['hipaa-security-rule', 'fail', null],
      ['pci-dss-4.0.1', 'waived', w.body.id],
    ]);
    expect(carol).toMatchObject({ status: 'fail', waiverId: null });
    // status filters on the row's (worst) status
    expect(mfa('carol', await rows(e.id, '&status=waived'))).toEqual([]);
    expect(mfa('carol', await rows(e.id, '&status=fail'))).toHaveLength(1);

    // ?pack= keeps exactly the rows whose packs include it, each still listing all its packs
    const partial = all.filter((f) => f.packs.length < PACKS.length);
    expect(partial.length).toBeGreaterThan(0); // a rule only some packs use: the filter can drop rows
    for (const pack of PACKS) {
      const affecting = await rows(e.id, `&pack=${pack}`);
      expect(affecting.map((f) => f.fingerprint).sort()).toEqual(
        all
          .filter((f) => f.packs.some((p) => p.pack === pack))
          .map((f) => f.fingerprint)
          .sort(),
      );
      // the deprecated packId is the pack asked for
      expect(affecting.every((f) => f.packId === pack)).toBe(true);
      const again = affecting.find((f) => f.fingerprint === bob.fingerprint)!;
      expect(again.packs).toEqual(bob.packs);
    }
    expect(await rows(e.id, '&pack=sox')).toEqual([]);
  });

  it('sorts by severity or first seen, and pages through every row exactly once', async () => {
    const people = (ids: string[], from: number) =>
      ids.map((id, i) => user(from + i, id, { mfa: { registered: false }, lastLoginAt: recent }));
    const dormant = (ids: string[], from: number) =>
      ids.map((id, i) => user(from + i, id, { mfa: { registered: true }, lastLoginAt: '2025-01-01T00:00:00Z' }));
    await ingest([...people(['ann', 'ben'], 0), ...dormant(['old1'], 2)]);
    const second = await ingest([...people(['ann', 'ben', 'cid', 'dee'], 0), ...dormant(['old1', 'old2', 'old3'], 4)]);
    const id = second.body.evaluation.id;
    const rank = (s: string) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(s);
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const tie = (a: Row, b: Row) =>
      rank(a.severity) - rank(b.severity) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint);
    const orders = {
      severity: tie,
      firstSeen: (a: Row, b: Row) => Date.parse(a.firstSeenAt) - Date.parse(b.firstSeenAt) || tie(a, b),
      '-firstSeen': (a: Row, b: Row) => Date.parse(b.firstSeenAt) - Date.parse(a.firstSeenAt) || tie(a, b),
    };
    const whole = await rows(id);
    expect(whole.length).toBeGreaterThanOrEqual(8);
    // two first-seen times and at least two severities: each sort orders something
    expect(new Set(whole.map((f) => f.firstSeenAt)).size).toBe(2);
    expect(new Set(whole.map((f) => f.severity)).size).toBeGreaterThan(1);
    for (const [sort, order] of Object.entries(orders)) {
      const expected = [...whole].sort(order).map((f) => f.fingerprint);
      expect((await rows(id, `&sort=${sort}`)).map((f) => f.fingerprint)).toEqual(expected);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: Row[]; nextCursor: string | null } = (
          await call(
            'get',
            `/v1/tenants/${client}/evaluations/${id}/findings?limit=3&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`,
          )
        ).body;
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((f) => f.fingerprint));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(seen).toEqual(expected);
    }
    // the default is severity
    expect((await rows(id)).map((f) => f.fingerprint)).toEqual(
      [...whole].sort(orders.severity).map((f) => f.fingerprint),
    );

    // a cursor is only good for the sort it came from, and is checked
    const first = (await call('get', `/v1/tenants/${client}/evaluations/${id}/findings?limit=2&sort=firstSeen`)).body;
    for (const [q, pointer] of [
      [`sort=severity&cursor=${first.nextCursor}`, '/cursor'],
      [`cursor=${Buffer.from('["severity",1,"x","y"]').toString('base64url')}`, '/cursor'],
      ['cursor=not%20base64', '/cursor'],
      ['sort=oldest', '/sort'],
    ] as const) {
      const bad = await request(t.app)
        .get(`/v1/tenants/${client}/evaluations/${id}/findings?${q}`)
        .set('Authorization', `Bearer ${token}`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].pointer).toBe(pointer);
    }
  });

  it('carries first-seen times over while a problem lasts, and resets them after it was resolved', async () => {
    const bob = (registered: boolean) => user(0, 'bob', { mfa: { registered }, lastLoginAt: recent });
    const carol = user(1, 'carol', { mfa: { registered: false }, lastLoginAt: recent });
    const alice = user(2, 'alice', { mfa: { registered: true }, lastLoginAt: recent });
    const seen = async (evaluationId: string, item: string) => {
      const found = (await rows(evaluationId, '&rule=identity.mfa-registered')).filter((f) => f.item?.id === item);
      expect(found).toHaveLength(1);
      return found[0]!.firstSeenAt;
    };
    const e1 = (await ingest([bob(false), alice])).body.evaluation;
    const a1 = (await call('get', `/v1/tenants/${client}/evaluations/${e1.id}`)).body.asOf;
    expect(await seen(e1.id, 'bob')).toBe(a1);
    const e2 = (await ingest([bob(false), carol, alice])).body.evaluation;
    const a2 = (await call('get', `/v1/tenants/${client}/evaluations/${e2.id}`)).body.asOf;
    expect(a2 > a1).toBe(true);
    expect(await seen(e2.id, 'bob')).toBe(a1);
    expect(await seen(e2.id, 'carol')).toBe(a2);
    // bob enrols, then loses his method again: first seen anew
    await ingest([bob(true), carol]);
    const e4 = (await ingest([bob(false), carol])).body.evaluation;
    const a4 = (await call('get', `/v1/tenants/${client}/evaluations/${e4.id}`)).body.asOf;
    expect(await seen(e4.id, 'bob')).toBe(a4);
    expect(await seen(e4.id, 'carol')).toBe(a2);

    // findings stored before first-seen times were recorded show the evaluation's asOf
    await t.owner.execute(sql`update findings set first_seen_at = null where evaluation_id = ${e4.id}`);
    expect(await seen(e4.id, 'carol')).toBe(a4);
  });

  it("answers 404 for another tenant's evaluation findings", async () => {
    const e = (await ingest([user(0, 'bob', { mfa: { registered: false }, lastLoginAt: recent })])).body.evaluation;
    const other = await createMspWithClient(t);
    const stranger = await t.token([other.client], 'admin', 'officer@other');
    for (const q of ['', '?sort=firstSeen', '?format=csv', '?format=xlsx']) {
      const res = await request(t.app)
        .get(`/v1/tenants/${client}/evaluations/${e.id}/findings${q}`)
        .set('Authorization', `Bearer ${stranger}`);
      expect(res.status).toBe(404);
      // through the stranger's own tenant, the evaluation does not exist
      const own = await request(t.app)
        .get(`/v1/tenants/${other.client}/evaluations/${e.id}/findings${q}`)
        .set('Authorization', `Bearer ${stranger}`);
      expect(own.status).toBe(404);
      expect(own.body.type).toBe('urn:posture:problem:evaluation_not_found');
    }
  });

  it('lists the packs for any valid token, with requirements, rules and parameters', async () => {
    const list = await call('get', '/v1/packs');
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['cis-controls-8.1']));
    const pack = await call('get', '/v1/packs/cis-controls-8.1');
    expect(pack.body.requirements.map((q: { id: string }) => q.id)).toEqual(
      catalog()
        .packs.get('cis-controls-8.1')!
        .requirements.map((q) => q.id),
    );
    expect(pack.body.rules[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        assert: expect.any(String),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    );
    // a rule's details expression is shown with its where and assert (null when it has none)
    const byId = new Map(pack.body.rules.map((r: { id: string; details: string | null }) => [r.id, r.details]));
    expect(byId.get('identity.mfa-enforced')).toMatch(/^cel\.bind\(ps,/);
    expect(byId.get('identity.dormant-accounts')).toBeNull();
    expect((await request(t.app).get('/v1/packs')).status).toBe(401);
    expect((await call('get', '/v1/packs/nope')).status).toBe(404);
  });
});
