/** A rule's `details`: computed for failing items only, into the finding's evidence and message. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, type SnapshotInput } from '../../../src/engine/evaluate.js';
import { loadCatalog } from '../../helpers/catalog.js';

const user = (id: string, username: string) => ({
  id,
  source: 'canonical',
  username,
  status: 'active',
  accountType: 'human',
  privileged: false,
  roles: [],
  authSource: 'local',
  origin: { part: 'body', pointer: `/users/${id}` },
});
const policy = (id: string, name: string, state: string, more: Record<string, unknown> = {}) => ({
  id,
  name,
  state,
  requiresMfa: true,
  appliesToAllUsers: true,
  excludedUsers: [],
  excludedRoles: [],
  origin: { part: 'body', pointer: `/policies/${id}` },
  ...more,
});
const snapshot = (policies: unknown[], users: unknown[]): SnapshotInput => ({
  id: 's1',
  kind: 'identity',
  source: 'canonical',
  instance: 'default',
  document: { users, policies },
});

describe('rule details', () => {
  const catalog = loadCatalog();
  const asOf = new Date('2026-11-20T00:00:00Z');
  const pack = [...catalog.packs.values()].find((p) =>
    p.requirements.some((q) => q.rules.includes('identity.mfa-enforced')),
  )!;

  it('identity.mfa-enforced: the failing finding names the policies that would cover the user and why they do not count', () => {
    const out = evaluate({
      catalog,
      packIds: [pack.id],
      asOf,
      snapshots: [
        snapshot(
          [
            policy('ca1', 'Require MFA (pilot)', 'report_only'),
            policy('ca2', 'MFA off the office network', 'enforced', { limitedTo: ['locations'] }),
            policy('ca3', 'MFA without u1', 'disabled', { excludedUsers: ['u1'] }),
          ],
          [user('u1', 'a@example.com')],
        ),
      ],
    });
    const f = out.findings.find((x) => x.ruleId === 'identity.mfa-enforced')!;
    expect(f.status).toBe('fail');
    expect(f.message).toBe(
      'a@example.com is not covered by an enforced MFA policy that applies to all users and all their sign-ins and does not exclude them; these policies would cover them but do not count: Require MFA (pilot) (report-only), MFA off the office network (limited to locations)',
    );
    expect(f.evidence.details).toEqual({
      policies: [
        { id: 'ca1', name: 'Require MFA (pilot)', why: 'report-only' },
        { id: 'ca2', name: 'MFA off the office network', why: 'limited to locations' },
      ],
      summary: expect.any(String),
    });
    // the fields the rule read are still there
    expect(f.evidence).toMatchObject({ id: 'u1', username: 'a@example.com', status: 'active' });
  });

  it('with no such policy the message says which policies never count, and the details list none', () => {
    const out = evaluate({
      catalog,
      packIds: [pack.id],
      asOf,
      snapshots: [snapshot([], [user('u1', 'a@example.com')])],
    });
    const f = out.findings.find((x) => x.ruleId === 'identity.mfa-enforced')!;
    expect(f.message).toMatch(/does not exclude them \(report-only and disabled policies, and policies limited to/);
    expect((f.evidence.details as { policies: unknown[] }).policies).toEqual([]);
  });

  it('details are not computed for passing or insufficient-evidence items', () => {
    const out = evaluate({
      catalog,
      packIds: [pack.id],
      asOf,
      snapshots: [
        snapshot(
          [policy('ca1', 'Require MFA', 'enforced'), policy('ca2', 'Pilot', 'report_only')],
          // an unknown account type cannot be judged (an unknown status would be assumed active and judged)
          [user('u1', 'a@example.com'), { ...user('u2', 'b@example.com'), accountType: 'unknown' }],
        ),
      ],
    });
    const findings = out.findings.filter((x) => x.ruleId === 'identity.mfa-enforced');
    expect(findings.map((x) => [x.item?.id, x.status, 'details' in x.evidence])).toEqual([
      ['u2', 'insufficient_evidence', false],
    ]);
  });

  it('a details expression that breaks leaves the finding without details, never without the finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'posture-details-'));
    try {
      mkdirSync(join(dir, 'checks'), { recursive: true });
      mkdirSync(join(dir, 'packs'), { recursive: true });
      writeFileSync(
        join(dir, 'checks', 'r.yaml'),
        `id: t.details
title: t
kind: identity
each: users
assert: "false"
details: "{'n': string(item.nothing)}"
severity: low
message: "{{item.username}} fails{{details.n}}"
rationale: r
remediation: fix
`,
      );
      writeFileSync(
        join(dir, 'packs', 'p.yaml'),
        'id: pack-p\nversion: "1"\ntitle: P\nrequirements:\n  - { id: "1", title: t, citation: c, rationale: r, rules: [t.details] }\n',
      );
      const out = evaluate({
        catalog: loadCatalog(dir),
        packIds: ['pack-p'],
        asOf,
        snapshots: [snapshot([], [user('u1', 'a@example.com')])],
      });
      expect(out.findings.map((f) => [f.status, f.message, 'details' in f.evidence])).toEqual([
        ['fail', 'a@example.com fails', false],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a details expression that does not compile is refused at load, with its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'posture-details-'));
    try {
      mkdirSync(join(dir, 'checks'), { recursive: true });
      mkdirSync(join(dir, 'packs'), { recursive: true });
      writeFileSync(
        join(dir, 'checks', 'r.yaml'),
        'id: t.bad\ntitle: t\nkind: identity\neach: users\nassert: "true"\ndetails: "item.("\nseverity: low\nmessage: m\nrationale: r\nremediation: fix\n',
      );
      writeFileSync(
        join(dir, 'packs', 'p.yaml'),
        'id: pack-p\nversion: "1"\ntitle: P\nrequirements:\n  - { id: "1", title: t, citation: c, rationale: r, rules: [t.bad] }\n',
      );
      expect(() => loadCatalog(dir)).toThrow(/r\.yaml.*details/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
