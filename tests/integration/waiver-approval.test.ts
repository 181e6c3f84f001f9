/**
 * Segregation of duties for waivers: a waiver is requested (pending, never applied) and approved
 * by another subject with waivers:approve, from when it applies; deleting a pending waiver rejects
 * it (the row stays); `approvedBy` in a request is refused, naming the approve call.
 */
import request from 'supertest';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

const RULE = 'identity.mfa-registered';
const user = (i: number, id: string) => ({
  id,
  source: 'canonical',
  username: `${id}@example.com`,
  status: 'active',
  accountType: 'human',
  authSource: 'local',
  mfa: { registered: false },
  lastLoginAt: new Date(Date.now() - 86_400_000).toISOString(),
  origin: { part: 'body', pointer: `/users/${i}` },
});

describe('waiver approval (segregation of duties)', () => {
  let t: TestApp;
  let client: string;
  let requester: string;
  let approver: string;
  const as = async (token: string, method: 'get' | 'post' | 'delete', path: string, body?: object) => {
    let r = request(t.app)[method](path).set('Authorization', `Bearer ${token}`);
    if (body !== undefined) r = r.send(body);
    const res = await r;
    expectContract(res, method, path);
    return res;
  };
  const requestWaiver = (extra: object = {}) =>
    as(requester, 'post', `/v1/tenants/${client}/waivers`, {
      ruleId: RULE,
      itemMatch: 'carol',
      justification: 'Carol enrols at her next site visit',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      ...extra,
    });
  const carolStatus = async () => {
    const e = await as(requester, 'post', `/v1/tenants/${client}/evaluations`, {});
    expect(e.status).toBe(201);
    const f = await as(requester, 'get', `/v1/tenants/${client}/evaluations/${e.body.id}/findings?rule=${RULE}`);
    const carol = f.body.items.filter((x: { item: { id: string } | null }) => x.item?.id === 'carol');
    expect(carol.length).toBeGreaterThan(0);
    return [...new Set(carol.map((x: { status: string }) => x.status))];
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    ({ client } = await createMspWithClient(t));
    requester = await t.token([client], 'officer', 'officer@clinic');
    approver = await t.token([client], 'officer', 'ciso@clinic', { name: 'Jane Roe', email: 'jane@clinic.example' });
    const ci = await t.token([client], 'ci', 'pipeline');
    const ing = await as(ci, 'post', `/v1/tenants/${client}/snapshots?source=canonical&kind=identity`, {
      users: [user(0, 'bob'), user(1, 'carol')],
    });
    expect(ing.status).toBe(201);
  });
  afterAll(() => t.close());

  it('a request is pending and never applies; another officer approves it and it applies from then', async () => {
    const w = await requestWaiver();
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({
      status: 'pending',
      active: false,
      approvedBy: null,
      approver: null,
      approvedAt: null,
      requestedBy: { sub: 'officer@clinic', name: null, email: null },
    });
    expect(await carolStatus()).toEqual(['fail']);

    const ok = await as(approver, 'post', `/v1/tenants/${client}/waivers/${w.body.id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'approved',
      active: true,
      approvedBy: 'ciso@clinic',
      approver: { sub: 'ciso@clinic', name: 'Jane Roe', email: 'jane@clinic.example' },
    });
    expect(Date.parse(ok.body.approvedAt)).toBeGreaterThanOrEqual(Date.parse(w.body.createdAt));
    expect(await carolStatus()).toEqual(['waived']);

    // an evaluation as of before the approval does not see it
    const before = await as(requester, 'post', `/v1/tenants/${client}/evaluations`, {
      asOf: new Date(Date.parse(ok.body.approvedAt) - 1).toISOString(),
    });
    const then = await as(
      requester,
      'get',
      `/v1/tenants/${client}/evaluations/${before.body.id}/findings?rule=${RULE}`,
    );
    const carolThen = then.body.items.filter((x: { item: { id: string } | null }) => x.item?.id === 'carol');
    // one finding per pack the rule serves, each failing
    expect(carolThen.length).toBeGreaterThan(0);
    expect([...new Set(carolThen.map((x: { status: string }) => x.status))]).toEqual(['fail']);

    const audit = await as(approver, 'get', `/v1/tenants/${client}/audit`);
    const actions = audit.body.items.map((a: { action: string; actor: string }) => `${a.action} ${a.actor}`);
    expect(actions).toEqual(expect.arrayContaining(['waiver.create officer@clinic', 'waiver.approve ciso@clinic']));
  });

  it('the requester cannot approve their own request (403 same_person), nor can a token without waivers:approve', async () => {
    const w = await requestWaiver();
    const self = await as(requester, 'post', `/v1/tenants/${client}/waivers/${w.body.id}/approve`);
    expect({ status: self.status, code: self.body.code }).toEqual({ status: 403, code: 'same_person' });
    const auditor = await t.token([client], 'auditor', 'auditor@firm');
    const noScope = await as(auditor, 'post', `/v1/tenants/${client}/waivers/${w.body.id}/approve`);
    expect({ status: noScope.status, code: noScope.body.code }).toEqual({ status: 403, code: 'forbidden' });
    const still = await as(requester, 'get', `/v1/tenants/${client}/waivers/${w.body.id}`);
    expect(still.body).toMatchObject({ status: 'pending', active: false });
    expect(await carolStatus()).toEqual(['fail']);
  });

  it('approves once: a second approval, or one of a rejected waiver, is 409 waiver_not_pending', async () => {
    const w = await requestWaiver();
    expect((await as(approver, 'post', `/v1/tenants/${client}/waivers/${w.body.id}/approve`)).status).toBe(200);
    const again = await as(approver, 'post', `/v1/tenants/${client}/waivers/${w.body.id}/approve`);
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'waiver_not_pending' });

    const other = await requestWaiver({ itemMatch: 'bob' });
    const rejected = await as(approver, 'delete', `/v1/tenants/${client}/waivers/${other.body.id}`);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      active: false,
      revokedBy: 'ciso@clinic',
      approvedBy: null,
    });
    const late = await as(approver, 'post', `/v1/tenants/${client}/waivers/${other.body.id}/approve`);
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'waiver_not_pending' });
    const list = await as(requester, 'get', `/v1/tenants/${client}/waivers`);
    expect(list.body.items.map((x: { status: string }) => x.status)).toEqual(['rejected', 'approved']);
    const audit = await as(approver, 'get', `/v1/tenants/${client}/audit`);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toContain('waiver.reject');
  });

  it('refuses approvedBy in a request, naming the approve call', async () => {
    const res = await requestWaiver({ approvedBy: 'CISO' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ pointer: '/approvedBy', message: expect.stringMatching(/waivers\/\{id\}\/approve/) }),
    ]);
    expect((await as(requester, 'get', `/v1/tenants/${client}/waivers`)).body.items).toEqual([]);
  });

  it('an unknown waiver id is 404 to the approve call', async () => {
    const res = await as(
      approver,
      'post',
      `/v1/tenants/${client}/waivers/0190a0c2-0000-7000-8000-000000000000/approve`,
    );
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'waiver_not_found' });
  });
});
