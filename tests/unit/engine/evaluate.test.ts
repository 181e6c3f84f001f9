import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../../../src/engine/catalog.js';
import { evaluate, type SnapshotInput } from '../../../src/engine/evaluate.js';
import { loadCatalog } from '../../helpers/catalog.js';
import { rollUp, score } from '../../../src/engine/rollup.js';

const rule = (id: string, extra: string) => `id: ${id}
title: ${id}
kind: identity
severity: high
message: "{{item.username}} fails ${id}"
rationale: r
remediation: fix
${extra}`;

let catalog: Catalog;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'posture-eval-'));
  mkdirSync(join(dir, 'checks'), { recursive: true });
  mkdirSync(join(dir, 'packs'), { recursive: true });
  writeFileSync(
    join(dir, 'checks', 'mfa.yaml'),
    rule('t.mfa', "each: users\nwhere: item.status == 'active'\nassert: item.mfa.registered"),
  );
  writeFileSync(
    join(dir, 'checks', 'dormant.yaml'),
    rule(
      't.dormant',
      `each: users
where: item.status == 'active'
assert: item.lastLoginAt != null && daysSince(item.lastLoginAt, asOf) <= params.maxInactiveDays
parameters:
  maxInactiveDays: { type: integer, default: 90, minimum: 1, description: days }`,
    ),
  );
  writeFileSync(
    join(dir, 'checks', 'policy.yaml'),
    rule('t.policy', "each: policies\nassert: item.state == 'enforced'"),
  );
  writeFileSync(
    join(dir, 'checks', 'host.yaml'),
    `id: t.host
title: host
kind: endpoint
each: hosts
assert: item.endpoints.exists(e, e.managed)
severity: medium
message: "{{item.hostname}} unmanaged"
rationale: r
remediation: fix
`,
  );
  const req = (id: string, rules: string, more = '') =>
    `  - { id: "${id}", title: t${id}, citation: "C ${id}", rationale: r, ${rules}${more} }\n`;
  writeFileSync(
    join(dir, 'packs', 'a.yaml'),
    `id: pack-a\nversion: "1"\ntitle: A\nparameters: { maxInactiveDays: 30 }\nrequirements:\n` +
      req('1', 'rules: [t.mfa]') +
      req('2', 'rules: [t.dormant]') +
      req('3', 'manual: true') +
      req('4', 'rules: [t.policy]') +
      req('5', 'rules: [t.host]') +
      req('6', 'rules: [t.mfa]', ', informational: true'),
  );
  writeFileSync(
    join(dir, 'packs', 'b.yaml'),
    `id: pack-b\nversion: "1"\ntitle: B\nrequirements:\n` + req('x', 'rules: [t.dormant, t.mfa]'),
  );
  writeFileSync(
    join(dir, 'packs', 'c.yaml'),
    `id: pack-c\nversion: "1"\ntitle: C\nrequirements:\n` +
      req('m1', 'rules: [t.mfa]', ', manual: true') +
      req('m2', 'rules: [t.policy]', ', manual: true'),
  );
  catalog = loadCatalog(dir);
  rmSync(dir, { recursive: true, force: true });
});

const asOf = new Date('2026-11-01T00:00:00Z');
const user = (id: string, extra: Record<string, unknown>) => ({
  id,
  source: 'okta',
  username: `${id}@example.com`,
  status: 'active',
  origin: { part: 'users', pointer: `/${id}` },
  ...extra,
});
const identity = (users: unknown[], policies?: unknown[]): SnapshotInput => ({
  id: 'snap-1',
  kind: 'identity',
  source: 'okta',
  instance: 'default',
  document: { users, ...(policies ? { policies } : {}) },
});

describe('evaluate', () => {
  const users = [
    user('ok', { mfa: { registered: true }, lastLoginAt: '2026-10-25T00:00:00Z' }),
    user('nomfa', { mfa: { registered: false }, lastLoginAt: '2026-09-15T00:00:00Z' }),
    user('unknown', { status: 'unknown', mfa: { registered: true }, lastLoginAt: null }),
  ];

  it('judges per (pack, rule) with the parameter values of each pack: rule default < pack < tenant', () => {
    const out = evaluate({ catalog, packIds: ['pack-a', 'pack-b'], snapshots: [identity(users)], asOf });
    const dormant = (p: string) => out.rules.find((r) => r.packId === p && r.ruleId === 't.dormant')!;
    expect(dormant('pack-a').parameters).toEqual({ maxInactiveDays: 30, maxEvidenceAgeDays: 30 });
    expect(dormant('pack-a').counts).toMatchObject({ pass: 1, fail: 1, insufficient_evidence: 1 });
    expect(dormant('pack-b').parameters).toEqual({ maxInactiveDays: 90, maxEvidenceAgeDays: 30 });
    expect(dormant('pack-b').counts).toMatchObject({ pass: 2, fail: 0, insufficient_evidence: 1 });
    const tenant = evaluate({
      catalog,
      packIds: ['pack-b'],
      snapshots: [identity(users)],
      asOf,
      params: { 'pack-b': { maxInactiveDays: 10 } },
    });
    expect(tenant.rules.find((r) => r.ruleId === 't.dormant')!.counts).toMatchObject({ pass: 1, fail: 1 });
  });

  it('keeps only the fields the rule read as evidence, and points at the item origin', () => {
    const out = evaluate({ catalog, packIds: ['pack-a'], snapshots: [identity(users, [])], asOf });
    const f = out.findings.find((x) => x.ruleId === 't.mfa' && x.item?.id === 'nomfa')!;
    expect(f).toMatchObject({
      status: 'fail',
      severity: 'high',
      source: 'okta',
      snapshotId: 'snap-1',
      item: { id: 'nomfa', name: 'nomfa@example.com' },
      message: 'nomfa@example.com fails t.mfa',
      evidence: { status: 'active', mfa: { registered: false } },
      origin: { part: 'users', pointer: '/nomfa' },
      requirements: [
        { pack: 'pack-a', id: '1' },
        { pack: 'pack-a', id: '6' },
      ],
      waiverId: null,
    });
    expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const unknown = out.findings.find((x) => x.ruleId === 't.mfa' && x.item?.id === 'unknown')!;
    expect(unknown).toMatchObject({
      status: 'insufficient_evidence',
      message: 'unknown@example.com: cannot be judged: status is unknown',
    });
  });

  it('rolls requirements up (error > fail > insufficient > manual > waived > pass) and scores without informational or n/a ones', () => {
    const out = evaluate({
      catalog,
      packIds: ['pack-a'],
      snapshots: [identity([users[0]], [{ id: 'p', state: 'enforced' }])],
      asOf,
    });
    const a = out.packs[0]!;
    expect(a.requirements.map((q) => [q.id, q.state])).toEqual([
      ['1', 'pass'],
      ['2', 'pass'],
      ['3', 'manual'],
      ['4', 'pass'],
      ['5', 'insufficient_evidence'],
      ['6', 'pass'],
    ]);
    // 5 scored requirements (6 is informational): 3 pass, manual and insufficient do not
    expect(a.score).toEqual({ withWaivers: 0.6, withoutWaivers: 0.6, passing: 3, waived: 0, applicable: 5 });
    expect(rollUp(['pass', 'waived', 'manual', 'insufficient_evidence', 'fail', 'error'])).toBe('error');
    expect(rollUp(['pass', 'waived', 'manual', 'insufficient_evidence', 'fail'])).toBe('fail');
    expect(rollUp(['pass', 'waived', 'manual', 'insufficient_evidence'])).toBe('insufficient_evidence');
    expect(rollUp(['pass', 'waived', 'manual'])).toBe('manual');
    expect(rollUp(['pass', 'waived', 'not_applicable'])).toBe('waived');
    expect(rollUp(['not_applicable'])).toBe('not_applicable');
    expect(score([{ state: 'not_applicable', informational: false }])).toMatchObject({
      withWaivers: null,
      withoutWaivers: null,
    });
  });

  it('reports a missing kind as insufficient evidence, with a hint, and a missing collection per snapshot', () => {
    const out = evaluate({
      catalog,
      packIds: ['pack-a'],
      snapshots: [identity(users)],
      asOf,
      evidenceHints: { endpoint: 'an endpoint export (crowdstrike…)' },
    });
    expect(out.rules.find((r) => r.ruleId === 't.host')!.state).toBe('insufficient_evidence');
    expect(out.missingEvidence).toContainEqual({
      kind: 'endpoint',
      ruleIds: ['t.host'],
      reason: 'no endpoint snapshot',
      hint: 'an endpoint export (crowdstrike…)',
    });
    const policy = out.findings.find((f) => f.ruleId === 't.policy')!;
    expect(policy).toMatchObject({ status: 'insufficient_evidence', item: null });
    expect(policy.message).toMatch(/the okta export \(default\) has no policies/);
  });

  it('applies waivers in force at asOf: exact or glob, per pack or all, granted by then, not expired, not revoked', () => {
    const w = (
      id: string,
      itemMatch: string,
      more: Partial<{ packId: string | null; expiresAt: Date; revokedAt: Date | null; createdAt: Date }> = {},
    ) => ({
      id,
      ruleId: 't.mfa',
      packId: null,
      itemMatch,
      expiresAt: new Date('2027-01-01T00:00:00Z'),
      revokedAt: null,
      ...more,
    });
    const run = (waivers: ReturnType<typeof w>[]) =>
      evaluate({ catalog, packIds: ['pack-a', 'pack-b'], snapshots: [identity(users)], asOf, waivers }).findings.filter(
        (f) => f.ruleId === 't.mfa' && f.item?.id === 'nomfa',
      );
    expect(run([w('w1', 'nomfa')]).map((f) => [f.packId, f.status, f.waiverId])).toEqual([
      ['pack-a', 'waived', 'w1'],
      ['pack-b', 'waived', 'w1'],
    ]);
    expect(run([w('w2', 'no*')]).map((f) => [f.packId, f.status, f.waiverId])).toEqual([
      ['pack-a', 'waived', 'w2'],
      ['pack-b', 'waived', 'w2'],
    ]);
    expect(run([w('w3', 'nomfa', { packId: 'pack-b' })]).map((f) => f.status)).toEqual(['fail', 'waived']);
    expect(run([w('w4', 'nomfa', { expiresAt: new Date('2026-10-01T00:00:00Z') })]).map((f) => f.status)).toEqual([
      'fail',
      'fail',
    ]);
    expect(run([w('w5', 'nomfa', { revokedAt: new Date('2026-10-31T00:00:00Z') })]).map((f) => f.status)).toEqual([
      'fail',
      'fail',
    ]);
    expect(run([w('w6', 'nomfa', { revokedAt: new Date('2026-11-02T00:00:00Z') })]).map((f) => f.status)).toEqual([
      'waived',
      'waived',
    ]);
    expect(run([w('w7', 'other')]).map((f) => f.status)).toEqual(['fail', 'fail']);
    // an evaluation as of an earlier date does not see a waiver granted after it
    expect(run([w('w8', 'nomfa', { createdAt: new Date('2026-11-01T00:00:01Z') })]).map((f) => f.status)).toEqual([
      'fail',
      'fail',
    ]);
    expect(run([w('w9', 'nomfa', { createdAt: asOf })]).map((f) => f.status)).toEqual(['waived', 'waived']);
    const out = evaluate({
      catalog,
      packIds: ['pack-a'],
      snapshots: [identity([users[0], users[1]], [{ id: 'p', state: 'enforced' }])],
      asOf,
      waivers: [w('w1', 'nomfa')],
    });
    expect(out.rules.find((r) => r.ruleId === 't.mfa')!).toMatchObject({
      state: 'waived',
      counts: { pass: 1, fail: 0, waived: 1 },
    });
    expect(out.packs[0]!.requirements[0]!.state).toBe('waived');
    expect(out.packs[0]!.score.withWaivers).toBeGreaterThan(out.packs[0]!.score.withoutWaivers!);
  });

  it('a manual requirement with rules: they can fail it, never pass it or make it not applicable', () => {
    const states = (list: unknown[]) =>
      evaluate({ catalog, packIds: ['pack-c'], snapshots: [identity(list, [])], asOf }).packs[0]!.requirements.map(
        (q) => [q.id, q.state],
      );
    // t.mfa passes and t.policy has nothing to judge (no policies): both stay manual
    expect(states([users[0]])).toEqual([
      ['m1', 'manual'],
      ['m2', 'manual'],
    ]);
    // a failing supporting check fails the requirement
    expect(states(users)).toEqual([
      ['m1', 'fail'],
      ['m2', 'manual'],
    ]);
  });

  it('joins endpoints across sources by host name for `hosts`', () => {
    const ep = (source: string, hostname: string, managed: boolean) => ({
      id: `${source}-${hostname}`,
      source,
      hostname,
      managed,
      origin: { part: 'body' },
    });
    const snapshots: SnapshotInput[] = [
      {
        id: 's1',
        kind: 'endpoint',
        source: 'defender',
        instance: 'default',
        document: { endpoints: [ep('defender', 'WS-01.corp.example.com', false), ep('defender', 'ws-02', false)] },
      },
      {
        id: 's2',
        kind: 'endpoint',
        source: 'crowdstrike',
        instance: 'default',
        document: { endpoints: [ep('crowdstrike', 'ws-01', true)] },
      },
    ];
    const out = evaluate({ catalog, packIds: ['pack-a'], snapshots, asOf });
    expect(out.rules.find((r) => r.ruleId === 't.host')!.counts).toMatchObject({ pass: 1, fail: 1 });
    expect(out.findings.find((f) => f.ruleId === 't.host')!.item).toEqual({ id: 'ws-02', name: 'ws-02' });
  });

  it('joins on the first DNS label only where it names one machine, and never cuts IP addresses', () => {
    const ep = (source: string, hostname: string, managed: boolean) => ({
      id: `${source}-${hostname}`,
      source,
      hostname,
      managed,
      origin: { part: 'body' },
    });
    const snapshots: SnapshotInput[] = [
      {
        id: 's1',
        kind: 'endpoint',
        source: 'sentinelone',
        instance: 'default',
        document: { endpoints: [ep('sentinelone', '10.0.0.5', true), ep('sentinelone', 'web01.clienta.local', true)] },
      },
      {
        id: 's2',
        kind: 'endpoint',
        source: 'defender',
        instance: 'default',
        document: {
          endpoints: [
            ep('defender', '10.0.0.6', false),
            ep('defender', '10.9.9.9', false),
            ep('defender', 'web01.dmz.clientb.local', false),
            ep('defender', 'fe80::1', false),
          ],
        },
      },
    ];
    const out = evaluate({ catalog, packIds: ['pack-a'], snapshots, asOf });
    expect(out.rules.find((r) => r.ruleId === 't.host')!.counts).toMatchObject({ pass: 2, fail: 4 });
    expect(
      out.findings
        .filter((f) => f.ruleId === 't.host')
        .map((f) => f.item!.id)
        .sort(),
    ).toEqual(['10.0.0.6', '10.9.9.9', 'fe80::1', 'web01.dmz.clientb.local']);
  });

  it('reads each collection once, however many rules iterate it', () => {
    let reads = 0;
    const list = new Proxy(users, {
      get: (t, k, r) => {
        if (typeof k === 'string' && /^\d+$/.test(k)) reads++;
        return Reflect.get(t, k, r);
      },
    });
    evaluate({ catalog, packIds: ['pack-a', 'pack-b'], snapshots: [identity(list)], asOf });
    expect(reads).toBe(users.length);
  });

  it('stops when the signal aborts', () => {
    const c = new AbortController();
    c.abort();
    expect(() =>
      evaluate({ catalog, packIds: ['pack-a'], snapshots: [identity(users)], asOf, signal: c.signal }),
    ).toThrow();
  });
});

describe('an export that never carries a field', () => {
  it('is one insufficient-evidence finding per snapshot, not one per item, with every item counted', () => {
    const silent = [
      user('a', { lastLoginAt: recentish }),
      user('b', { lastLoginAt: recentish }),
      user('c', { lastLoginAt: recentish }),
    ];
    const out = evaluate({ catalog, packIds: ['pack-b'], snapshots: [identity(silent)], asOf });
    const mfa = out.findings.filter((f) => f.ruleId === 't.mfa');
    expect(mfa).toHaveLength(1);
    expect(mfa[0]).toMatchObject({
      status: 'insufficient_evidence',
      item: null,
      evidence: { items: 3, reason: 'mfa is absent' },
    });
    expect(mfa[0]!.message).toMatch(/^all 3 users of the okta export \(default\) cannot be judged: mfa is absent/);
    expect(out.rules.find((r) => r.ruleId === 't.mfa')!.counts.insufficient_evidence).toBe(3);
    // one item that does say keeps every finding per item
    const mixed = evaluate({
      catalog,
      packIds: ['pack-b'],
      snapshots: [identity([...silent, user('d', { mfa: { registered: false }, lastLoginAt: recentish })])],
      asOf,
    });
    expect(
      mixed.findings
        .filter((f) => f.ruleId === 't.mfa')
        .map((f) => f.item?.id)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('is still one finding when items the rule does not apply to sit beside the silent ones', () => {
    const silent = [
      user('a', { lastLoginAt: recentish }),
      user('b', { lastLoginAt: recentish }),
      user('gone', { status: 'deprovisioned' }),
    ];
    const out = evaluate({ catalog, packIds: ['pack-b'], snapshots: [identity(silent)], asOf });
    const mfa = out.findings.filter((f) => f.ruleId === 't.mfa');
    expect(mfa).toHaveLength(1);
    expect(mfa[0]).toMatchObject({
      status: 'insufficient_evidence',
      item: null,
      evidence: { items: 2, reason: 'mfa is absent' },
    });
    expect(mfa[0]!.message).toMatch(
      /^all 2 users of the okta export \(default\) that the rule applies to cannot be judged: mfa is absent/,
    );
    expect(out.rules.find((r) => r.ruleId === 't.mfa')!.counts).toMatchObject({
      insufficient_evidence: 2,
      not_applicable: 1,
    });
    // only items the rule does not apply to: nothing to report
    const none = evaluate({
      catalog,
      packIds: ['pack-b'],
      snapshots: [identity([user('gone', { status: 'deprovisioned' })])],
      asOf,
    });
    expect(none.findings.filter((f) => f.ruleId === 't.mfa')).toEqual([]);
  });

  it('is waived by a waiver that covers every item, and splits back into items when waivers cover only some', () => {
    const silent = [
      user('dev-a', { lastLoginAt: recentish }),
      user('dev-b', { lastLoginAt: recentish }),
      user('gone', { status: 'deprovisioned' }),
    ];
    const w = (id: string, itemMatch: string) => ({
      id,
      ruleId: 't.mfa',
      packId: null,
      itemMatch,
      expiresAt: new Date('2027-01-01T00:00:00Z'),
      revokedAt: null,
    });
    const run = (waivers: ReturnType<typeof w>[]) => {
      const out = evaluate({ catalog, packIds: ['pack-b'], snapshots: [identity(silent)], asOf, waivers });
      return {
        findings: out.findings.filter((f) => f.ruleId === 't.mfa'),
        rule: out.rules.find((r) => r.ruleId === 't.mfa')!,
      };
    };
    for (const match of ['*', 'dev-*']) {
      const all = run([w('w1', match)]);
      expect(all.findings.map((f) => [f.item, f.status, f.waiverId])).toEqual([[null, 'waived', 'w1']]);
      expect(all.rule).toMatchObject({
        state: 'waived',
        counts: { insufficient_evidence: 0, waived: 2, not_applicable: 1 },
      });
    }
    const some = run([w('w1', 'dev-a')]);
    expect(some.findings.map((f) => [f.item?.id, f.status, f.waiverId])).toEqual([
      ['dev-a', 'waived', 'w1'],
      ['dev-b', 'insufficient_evidence', null],
    ]);
    expect(some.rule).toMatchObject({
      state: 'insufficient_evidence',
      counts: { insufficient_evidence: 1, waived: 1 },
    });
    const two = run([w('w1', 'dev-a'), w('w2', 'dev-b')]);
    expect(two.findings.map((f) => [f.item?.id, f.status, f.waiverId])).toEqual([
      ['dev-a', 'waived', 'w1'],
      ['dev-b', 'waived', 'w2'],
    ]);
    expect(two.rule).toMatchObject({ state: 'waived', counts: { insufficient_evidence: 0, waived: 2 } });
    const none = run([w('w1', 'other-*')]);
    expect(none.findings.map((f) => [f.item, f.status])).toEqual([[null, 'insufficient_evidence']]);
  });
});
const recentish = '2026-10-30T00:00:00Z';
