/**
 * Waiver item patterns over HTTP: what the glob grammar does not read is refused at creation
 * (422 at /itemMatch, naming it); a waiver stored before the grammar was enforced whose pattern it
 * cannot read is listed as invalid, never applied, and shown as invalid in the report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { newId } from '../../src/core/ids.js';
import { findTenantBySlug } from '../../src/db/tenants.js';
import { insertWaiver } from '../../src/db/waivers.js';
import { createMspWithClient, createTestApp, getBytes, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';
import { SLOW_MS } from '../helpers/timeouts.js';

// renders and signs a report
import.meta.jest.setTimeout(SLOW_MS);

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

describe('waiver item globs over HTTP', () => {
  let t: TestApp;
  let token: string;
  let client: string;
  const expiresAt = () => new Date(Date.now() + 30 * 86_400_000).toISOString();
  const call = async (method: 'get' | 'post', path: string, body?: object) => {
    let r = request(t.app)[method](path).set('Authorization', `Bearer ${token}`);
    if (body !== undefined) r = r.send(body);
    const res = await r;
    expectContract(res, method, path);
    return res;
  };
  const createWaiver = (itemMatch: string) =>
    call('post', `/v1/tenants/${client}/waivers`, {
      ruleId: RULE,
      itemMatch,
      justification: 'accepted until the next review',
      expiresAt: expiresAt(),
    });

  beforeEach(async () => {
    t ??= await createTestApp();
    ({ client } = await createMspWithClient(t));
    token = await t.token([client], 'admin', 'officer@clinic');
  });
  afterAll(() => t.close());

  it.each([
    ['!bob', /leading ! \(negation\)/],
    ['{bob,carol}', /braces/],
    ['@(bob|carol)', /extglobs/],
    ['x+(a)', /extglobs/],
    ['*(a)', /extglobs/],
    ['u-[[:digit:]]', /POSIX classes/],
    ['u-[0-9', /unclosed \[/],
  ])('refuses %j at creation with 422 at /itemMatch, naming what is unsupported', async (itemMatch, message) => {
    const res = await createWaiver(itemMatch);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/itemMatch' })]);
    expect(res.body.errors[0].message).toMatch(message);
    const list = await call('get', `/v1/tenants/${client}/waivers`);
    expect(list.body.items).toEqual([]);
  });

  it('accepts the grammar, ?*×20 then ! included, and shows waivers as valid', async () => {
    for (const itemMatch of ['bob', 'b*', 'u-[0-9]?', '[!x]*', '\\!bob', `${'?*'.repeat(20)}!`]) {
      const res = await createWaiver(itemMatch);
      expect(res.status).toBe(201);
      // valid, and pending until someone else approves it (see waiver-approval.test.ts)
      expect(res.body).toMatchObject({ itemMatch, valid: true, invalidReason: null, status: 'pending', active: false });
    }
  });

  it('shows a stored waiver the grammar cannot read as invalid, never applies it, and the report lists it', async () => {
    const tenant = (await findTenantBySlug(t.owner, client))!;
    const stored = {
      tenantId: tenant.id,
      ruleId: RULE,
      packId: null,
      justification: 'stored before item patterns were checked',
      status: 'approved' as const,
      approvedBy: 'CISO',
      approvedAt: new Date(Date.now() - 60_000),
      createdBy: 'officer@clinic',
      createdAt: new Date(Date.now() - 60_000),
      expiresAt: new Date(Date.now() + 30 * 86_400_000),
      revokedAt: null,
      revokedBy: null,
    };
    const invalidId = newId();
    await insertWaiver(t.owner, { ...stored, id: invalidId, itemMatch: '{bob,carol}' });
    await insertWaiver(t.owner, { ...stored, id: newId(), itemMatch: '!bob' });

    const got = await call('get', `/v1/tenants/${client}/waivers/${invalidId}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ valid: false, active: false });
    expect(got.body.invalidReason).toMatch(/braces/);
    const list = await call('get', `/v1/tenants/${client}/waivers`);
    expect(list.body.items.map((w: { valid: boolean }) => w.valid)).toEqual([false, false]);

    // neither applies: not to carol (which '!bob' would have meant), not to an id equal to the text
    const ing = await call('post', `/v1/tenants/${client}/snapshots?source=canonical&kind=identity`, {
      users: [user(0, 'bob'), user(1, 'carol'), user(2, '{bob,carol}'), user(3, '!bob')],
    });
    expect(ing.status).toBe(201);
    const findings = await call(
      'get',
      `/v1/tenants/${client}/evaluations/${ing.body.evaluation.id}/findings?limit=1000`,
    );
    const mfa = findings.body.items.filter((f: { ruleId: string }) => f.ruleId === RULE);
    // every user fails in each of a client's three default packs, none waived
    expect(
      mfa
        .flatMap((f: { item: { id: string }; packs: { status: string; waiverId: string | null }[] }) =>
          f.packs.map((p) => [f.item.id, p.status, p.waiverId]),
        )
        .sort(),
    ).toEqual(['!bob', 'bob', 'carol', '{bob,carol}'].sort().flatMap((id) => [0, 1, 2].map(() => [id, 'fail', null])));

    const report = await call('post', `/v1/tenants/${client}/reports`, {});
    expect(report.status).toBe(201);
    const pdf = await getBytes(t.app, report.body.pdf, token);
    const text = pdfText(pdf.body as Buffer);
    expect(text).toMatch(/2 waivers invalid/);
    expect(text).toMatch(/Why it is invalid/);
    expect(text).toMatch(/braces/);
    expect(text).toMatch(/No waivers were in force at the evaluation/);
  });
});

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'posture-waiver-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf);
    const r = spawnSync('pdftotext', ['-raw', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    return r.stdout.replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
