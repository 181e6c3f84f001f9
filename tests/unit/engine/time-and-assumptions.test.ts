/**
 * Issue 15 §1 and §2 at the engine level: clock-dependent rules judge an item against its own
 * snapshot's collection time; evidence older than maxEvidenceAgeDays proves failures (stale) but no
 * longer passes; a rule may assume a `where` field the export does not state, and the finding says so.
 */
import type { Catalog } from '../../../src/engine/catalog.js';
import { compileCatalog } from '../../../src/engine/compile-catalog.js';
import { evaluate, type SnapshotInput } from '../../../src/engine/evaluate.js';

const rule = (id: string, body: string) => ({
  file: `rules/checks/${id}.yaml`,
  text: `id: ${id}
title: ${id}
severity: high
rationale: r
remediation: fix
${body}`,
});

const catalog: Catalog = compileCatalog({
  checks: [
    rule(
      't.seen',
      `kind: endpoint
each: endpoints
where: item.managed
assert: daysSince(item.agent.lastSeenAt, collectedAt) <= params.maxAgentSilenceDays
parameters:
  maxAgentSilenceDays: { type: integer, default: 14, minimum: 1, description: days }
message: "{{item.hostname}} silent"`,
    ),
    rule(
      't.mfa',
      `kind: identity
each: users
where: item.status in ['active', 'locked'] && item.accountType == 'human'
assume:
  status:
    value: active
    settledBy: { entra: 'the Entra users part (accountEnabled)', '*': 'an export that states account status' }
assert: item.mfa.registered
message: "{{item.username}} has no MFA"`,
    ),
    rule(
      't.admin',
      `kind: identity
each: users
where: item.status == 'active' && item.privileged
assume:
  status: { value: active, settledBy: the users part }
assert: item.mfa.registered
message: "{{item.username}} admin without MFA"`,
    ),
    rule(
      't.open',
      `kind: firewall
each: rules
where: item.enabled
assert: item.exposure != 'internet'
message: "{{item.id}} open"`,
    ),
  ],
  packs: [
    {
      file: 'rules/packs/p.yaml',
      text: `id: pp
version: "1"
title: P
requirements:
  - { id: "1", title: seen, citation: c, rationale: r, rules: [t.seen] }
  - { id: "2", title: mfa, citation: c, rationale: r, rules: [t.mfa, t.admin] }
  - { id: "3", title: fw, citation: c, rationale: r, rules: [t.open] }
`,
    },
    {
      file: 'rules/packs/q.yaml',
      text: `id: qq
version: "1"
title: Q (keeps evidence longer)
parameters: { maxEvidenceAgeDays: 90 }
requirements:
  - { id: "1", title: seen, citation: c, rationale: r, rules: [t.seen] }
`,
    },
  ],
});

const DAY = 86_400_000;
const collectedAt = new Date('2026-11-01T00:00:00Z');
const daysLater = (days: number) => new Date(collectedAt.getTime() + days * DAY);

const endpoint = (id: string, lastSeenAt: string) => ({
  id,
  source: 'crowdstrike',
  hostname: id,
  managed: true,
  agent: { vendor: 'crowdstrike', lastSeenAt },
  origin: { part: 'devices', pointer: `/${id}` },
});
const edr = (extra: Partial<SnapshotInput> = {}): SnapshotInput => ({
  id: 'snap-edr',
  kind: 'endpoint',
  source: 'crowdstrike',
  instance: 'default',
  collectedAt,
  document: {
    endpoints: [
      endpoint('ws-fresh', '2026-10-31T23:00:00Z'), // an hour before the export was taken
      endpoint('ws-quiet', '2026-10-01T00:00:00Z'), // 31 days before it
      endpoint('ws-recent', '2026-10-30T00:00:00Z'),
    ],
  },
  ...extra,
});

describe('collection time', () => {
  it('judges clock-dependent rules against the snapshot collection time, not the evaluation time', () => {
    const out = evaluate({ catalog, packIds: ['pp'], snapshots: [edr()], asOf: daysLater(17) });
    const seen = out.rules.find((r) => r.ruleId === 't.seen')!;
    expect(seen.counts).toMatchObject({ pass: 2, fail: 1, insufficient_evidence: 0 });
    expect(out.findings.filter((f) => f.ruleId === 't.seen').map((f) => [f.item?.id, f.status, f.stale])).toEqual([
      ['ws-quiet', 'fail', false],
    ]);
  });

  it('falls back to asOf for a snapshot without a collection time', () => {
    const out = evaluate({
      catalog,
      packIds: ['pp'],
      snapshots: [edr({ collectedAt: undefined })],
      asOf: daysLater(17),
    });
    expect(out.rules.find((r) => r.ruleId === 't.seen')!.counts).toMatchObject({ pass: 0, fail: 3 });
  });
});

describe('evidence freshness (maxEvidenceAgeDays)', () => {
  it('keeps failures (stale) and turns passes into one insufficient-evidence finding per export past the limit', () => {
    const out = evaluate({ catalog, packIds: ['pp'], snapshots: [edr()], asOf: daysLater(45) });
    const seen = out.rules.find((r) => r.ruleId === 't.seen')!;
    expect(seen.state).toBe('fail');
    expect(seen.counts).toMatchObject({ pass: 0, fail: 1, insufficient_evidence: 2 });
    expect(seen.stale).toBe(3);
    const findings = out.findings.filter((f) => f.ruleId === 't.seen');
    expect(findings.map((f) => [f.item?.id ?? null, f.status, f.stale])).toEqual([
      ['ws-quiet', 'fail', true],
      [null, 'insufficient_evidence', true],
    ]);
    expect(findings[0]!.message).toMatch(
      /stale evidence: the crowdstrike export \(default\) was collected 45 days ago/,
    );
    expect(findings[1]!.message).toBe(
      'the crowdstrike export (default) is too old to prove that 2 endpoints pass: evidence collected 45 days ago, more than 30 days (maxEvidenceAgeDays); post a fresh export',
    );
    expect(findings[1]!.evidence).toEqual({
      items: 2,
      reason: 'evidence collected 45 days ago',
      collectedAt: '2026-11-01T00:00:00.000Z',
    });
  });

  it('keeps the identity of a stale finding as the export ages (its fingerprint leaves the age out)', () => {
    const fp = (days: number) =>
      evaluate({ catalog, packIds: ['pp'], snapshots: [edr()], asOf: daysLater(days) })
        .findings.filter((f) => f.ruleId === 't.seen')
        .map((f) => f.fingerprint);
    expect(fp(45)).toEqual(fp(60));
    // a stale failure is the same finding as the fresh one: the diff sees nothing new
    expect(fp(45)[0]).toBe(fp(10)[0]);
  });

  it('names the export to refresh in the missing evidence', () => {
    const out = evaluate({ catalog, packIds: ['pp'], snapshots: [edr()], asOf: daysLater(45) });
    expect(out.missingEvidence.filter((m) => m.snapshot)).toEqual([
      {
        kind: 'endpoint',
        ruleIds: ['t.seen'],
        reason:
          'the crowdstrike export (default) is stale: evidence collected 45 days ago, more than 30 days (maxEvidenceAgeDays); its failures still count, its passes do not',
        hint: 'post a fresh crowdstrike export',
        snapshot: {
          id: 'snap-edr',
          source: 'crowdstrike',
          instance: 'default',
          collectedAt: '2026-11-01T00:00:00.000Z',
          ageDays: 45,
        },
      },
    ]);
  });

  it('measures from the last confirmation when a re-post confirmed the export later', () => {
    const out = evaluate({
      catalog,
      packIds: ['pp'],
      snapshots: [edr({ lastConfirmedAt: daysLater(40) })],
      asOf: daysLater(45),
    });
    expect(out.rules.find((r) => r.ruleId === 't.seen')!.counts).toMatchObject({ pass: 2, fail: 1 });
    expect(out.findings.some((f) => f.stale)).toBe(false);
    const stale = evaluate({
      catalog,
      packIds: ['pp'],
      snapshots: [edr({ lastConfirmedAt: daysLater(10) })],
      asOf: daysLater(45),
    });
    expect(stale.missingEvidence.find((m) => m.snapshot)!.reason).toMatch(
      /evidence collected 45 days ago, last confirmed 35 days ago/,
    );
  });

  it('takes the limit from the pack and the tenant like any parameter', () => {
    const out = evaluate({ catalog, packIds: ['pp', 'qq'], snapshots: [edr()], asOf: daysLater(45) });
    const seen = (pack: string) => out.rules.find((r) => r.packId === pack && r.ruleId === 't.seen')!;
    expect(seen('pp').parameters.maxEvidenceAgeDays).toBe(30);
    expect(seen('pp').counts.insufficient_evidence).toBe(2);
    expect(seen('qq').parameters.maxEvidenceAgeDays).toBe(90);
    expect(seen('qq').counts).toMatchObject({ pass: 2, fail: 1, insufficient_evidence: 0 });
    const tenant = evaluate({
      catalog,
      packIds: ['pp'],
      snapshots: [edr()],
      asOf: daysLater(45),
      params: { pp: { maxEvidenceAgeDays: 50 } },
    });
    expect(tenant.findings.some((f) => f.stale)).toBe(false);
  });

  it('judges waivers at the evaluation time, not the collection time', () => {
    const waiver = {
      id: 'w1',
      ruleId: 't.seen',
      packId: null,
      itemMatch: 'ws-quiet',
      createdAt: daysLater(-5),
      expiresAt: daysLater(20), // valid when the export was taken, expired at asOf
      revokedAt: null,
    };
    const out = evaluate({ catalog, packIds: ['pp'], snapshots: [edr()], asOf: daysLater(25), waivers: [waiver] });
    expect(out.findings.find((f) => f.item?.id === 'ws-quiet')).toMatchObject({ status: 'fail', waiverId: null });
  });
});

describe('assumptions', () => {
  const users = (list: Record<string, unknown>[]): SnapshotInput => ({
    id: 'snap-id',
    kind: 'identity',
    source: 'entra',
    instance: 'default',
    collectedAt,
    document: {
      users: list.map((u) => ({ source: 'entra', accountType: 'human', origin: { part: 'registrations' }, ...u })),
    },
  });

  it('judges an unknown status as enabled where the rule says so, and the finding names the part that settles it', () => {
    const out = evaluate({
      catalog,
      packIds: ['pp'],
      asOf: collectedAt,
      snapshots: [
        users([
          { id: 'u1', username: 'nomfa@example.com', status: 'unknown', mfa: { registered: false } },
          { id: 'u2', username: 'ok@example.com', status: 'unknown', mfa: { registered: true } },
          { id: 'u3', username: 'stated@example.com', status: 'active', mfa: { registered: false } },
        ]),
      ],
    });
    const mfa = out.rules.find((r) => r.ruleId === 't.mfa')!;
    expect(mfa.counts).toMatchObject({ pass: 1, fail: 2, insufficient_evidence: 0 });
    expect(mfa.assumed).toBe(2);
    const f = out.findings.filter((x) => x.ruleId === 't.mfa');
    expect(f.map((x) => [x.item?.id, x.status, x.assumed])).toEqual([
      ['u1', 'fail', ['status']],
      ['u3', 'fail', []],
    ]);
    expect(f[0]!.message).toBe(
      'nomfa@example.com has no MFA — judged assuming status = "active" (the entra export does not state it; the Entra users part (accountEnabled) would settle it)',
    );
    // the evidence shows what the export said, not the assumption
    expect(f[0]!.evidence).toMatchObject({ status: 'unknown' });
  });

  it('assumes only the fields the rule lists: an absent privileged stays insufficient evidence', () => {
    const out = evaluate({
      catalog,
      packIds: ['pp'],
      asOf: collectedAt,
      snapshots: [users([{ id: 'u1', username: 'a', status: 'unknown', mfa: { registered: false } }])],
    });
    const admin = out.findings.find((x) => x.ruleId === 't.admin')!;
    expect(admin).toMatchObject({ status: 'insufficient_evidence', assumed: [] });
    expect(admin.message).toBe('a: cannot be judged: status is unknown, and privileged is absent');
  });

  it("copies an item's own assumed fields onto its findings", () => {
    const fw: SnapshotInput = {
      id: 'snap-fw',
      kind: 'firewall',
      source: 'iptables-save',
      instance: 'default',
      collectedAt,
      document: {
        devices: [],
        rules: [
          { id: 'r1', enabled: true, exposure: 'internet', assumed: ['internetInterfaces'] },
          { id: 'r2', enabled: true, exposure: 'internal', assumed: ['internetInterfaces'] },
          { id: 'r3', enabled: true, exposure: 'internet' },
        ],
      },
    };
    const out = evaluate({ catalog, packIds: ['pp'], asOf: collectedAt, snapshots: [fw] });
    expect(out.findings.map((f) => [f.item?.id, f.status, f.assumed])).toEqual([
      ['r1', 'fail', ['internetInterfaces']],
      ['r3', 'fail', []],
    ]);
    expect(out.findings[0]!.message).toMatch(
      /judged assuming internetInterfaces \(inferred by the iptables-save adapter/,
    );
    expect(out.rules.find((r) => r.ruleId === 't.open')!.assumed).toBe(2);
  });
});
