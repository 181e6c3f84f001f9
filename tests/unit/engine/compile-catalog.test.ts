import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRuleFiles } from '../../../src/config/rule-files.js';
import type { Catalog } from '../../../src/engine/catalog.js';
import { compileCatalog, type RuleFile } from '../../../src/engine/compile-catalog.js';
import { PackLoadError } from '../../../src/engine/yaml-source.js';
import { loadCatalog } from '../../helpers/catalog.js';

const RULE = `id: t.rule
title: A test rule
kind: identity
each: users
where: item.status == 'active'
assert: item.mfa.registered
severity: high
parameters:
  maxInactiveDays: { type: integer, default: 90, minimum: 1, description: days }
message: "{{item.username}} fails"
rationale: because
remediation: fix it
`;
const PACK = `id: t-pack
version: "1"
title: Test pack
parameters: { maxInactiveDays: 30 }
requirements:
  - id: "1.1"
    title: MFA
    citation: Test 1.1
    rationale: the rule evidences it
    rules: [t.rule]
  - id: "1.2"
    title: Training
    citation: Test 1.2
    rationale: attested
    manual: true
`;

/** The texts as readRuleFiles would hand them over: by folder, each sorted by name. */
function catalogWith(files: Record<string, string>): () => Catalog {
  const under = (dir: string): RuleFile[] =>
    Object.keys(files)
      .filter((name) => name.startsWith(`${dir}/`))
      .sort()
      .map((name) => ({ file: `rules/${name}`, text: files[name]! }));
  return () => compileCatalog({ checks: under('checks'), packs: under('packs') });
}

function loadError(files: Record<string, string>): string {
  try {
    catalogWith(files)();
  } catch (err) {
    expect(err).toBeInstanceOf(PackLoadError);
    return (err as Error).message;
  }
  throw new Error('expected the catalogue to fail to load');
}

describe('compileCatalog', () => {
  it('loads rules and packs, with file hashes and parameter overrides', () => {
    const c = catalogWith({ 'checks/identity/rule.yaml': RULE, 'packs/t.yaml': PACK })();
    const rule = c.rules.get('t.rule')!;
    expect(rule.file).toBe('rules/checks/identity/rule.yaml');
    expect(rule.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rule.wherePaths).toEqual([['status']]);
    expect(rule.assertPaths).toEqual([['mfa', 'registered']]);
    const pack = c.packs.get('t-pack')!;
    expect(pack.parameters).toEqual({ maxInactiveDays: 30 });
    expect(pack.requirements.map((q) => [q.id, q.family, q.manual])).toEqual([
      ['1.1', '1', false],
      ['1.2', '1', true],
    ]);
  });

  it('stops on a CEL syntax error with file, line, column and a caret', () => {
    const msg = loadError({
      'checks/identity/rule.yaml': RULE.replace('assert: item.mfa.registered', 'assert: item.mfa.registered &&'),
    });
    expect(msg).toMatch(/^rules\/checks\/identity\/rule\.yaml:6:\d+: assert: /);
    expect(msg.split('\n')[1]).toBe('  assert: item.mfa.registered &&');
    expect(msg.split('\n')[2]).toMatch(/^ +\^$/);
  });

  it('places the caret inside a literal block expression', () => {
    const text = RULE.replace(
      'assert: item.mfa.registered',
      'assert: |\n  item.mfa.registered &&\n    nosuchfn(item.x)',
    );
    const msg = loadError({ 'checks/identity/rule.yaml': text });
    expect(msg).toMatch(/^rules\/checks\/identity\/rule\.yaml:8:5: assert: .*nosuchfn/);
    expect(msg.split('\n')[2]).toBe('      ^');
  });

  it('stops on an unknown function (type check at load)', () => {
    expect(
      loadError({ 'checks/identity/rule.yaml': RULE.replace('assert: item.mfa.registered', 'assert: isGood(item)') }),
    ).toMatch(/rule\.yaml:6:9: assert: .*isGood/);
  });

  it('stops on a schema violation, pointing at the key', () => {
    const msg = loadError({ 'checks/identity/rule.yaml': RULE.replace('severity: high', 'severity: urgent') });
    expect(msg).toMatch(
      /^rules\/checks\/identity\/rule\.yaml:7:11: \/severity must be one of "critical", "high", "medium", "low", "info"/,
    );
  });

  it('stops on an assumption for a field that `where` does not read, pointing at it', () => {
    const assume = 'assume:\n  privileged: { value: false, settledBy: the roles part }\n';
    expect(
      loadError({ 'checks/identity/rule.yaml': RULE.replace('severity: high', `${assume}severity: high`) }),
    ).toMatch(/rule\.yaml:8:15: \/assume\/privileged only a field that `where` reads can be assumed; it reads: status/);
    const ok = catalogWith({
      'checks/identity/rule.yaml': RULE.replace(
        'severity: high',
        "assume:\n  status: { value: active, settledBy: { entra: the users part, '*': an export with statuses } }\nseverity: high",
      ),
    })();
    expect(ok.rules.get('t.rule')!.assume).toEqual([
      {
        field: 'status',
        path: ['status'],
        value: 'active',
        settledBy: { entra: 'the users part', '*': 'an export with statuses' },
      },
    ]);
  });

  it('gives every rule the evidence age limit as a parameter (default 30 days) that packs may set', () => {
    const c = catalogWith({
      'checks/identity/rule.yaml': RULE,
      'packs/t.yaml': PACK.replace('{ maxInactiveDays: 30 }', '{ maxInactiveDays: 30, maxEvidenceAgeDays: 14 }'),
    })();
    expect(c.rules.get('t.rule')!.parameters.maxEvidenceAgeDays).toMatchObject({ type: 'integer', default: 30 });
    expect(c.packs.get('t-pack')!.parameters).toEqual({ maxInactiveDays: 30, maxEvidenceAgeDays: 14 });
  });

  it('stops on a collection that the kind does not have', () => {
    expect(loadError({ 'checks/identity/rule.yaml': RULE.replace('each: users', 'each: endpoints') })).toMatch(
      /rule\.yaml:4:7: \/each must be one of users, policies for kind identity/,
    );
  });

  it('stops on a pack naming a rule that does not exist', () => {
    const msg = loadError({
      'checks/identity/rule.yaml': RULE,
      'packs/t.yaml': PACK.replace('rules: [t.rule]', 'rules: [t.rule, t.missing]'),
    });
    expect(msg).toMatch(
      /^rules\/packs\/t\.yaml:10:21: \/requirements\/0\/rules\/1 names no rule: there is no rule "t.missing"/,
    );
  });

  it('stops on a pack overriding a parameter no rule declares, or with the wrong type', () => {
    expect(
      loadError({
        'checks/identity/rule.yaml': RULE,
        'packs/t.yaml': PACK.replace('maxInactiveDays: 30', 'maxDays: 30'),
      }),
    ).toMatch(/\/parameters\/maxDays no rule of t-pack declares it/);
    expect(
      loadError({
        'checks/identity/rule.yaml': RULE,
        'packs/t.yaml': PACK.replace('maxInactiveDays: 30', 'maxInactiveDays: "thirty"'),
      }),
    ).toMatch(/\/parameters\/maxInactiveDays must be integer/);
    expect(
      loadError({
        'checks/identity/rule.yaml': RULE,
        'packs/t.yaml': PACK.replace('maxInactiveDays: 30', 'maxInactiveDays: 0'),
      }),
    ).toMatch(/\/parameters\/maxInactiveDays must be >= 1/);
  });

  it('stops on a requirement with neither rules nor manual, and on duplicate ids', () => {
    expect(
      loadError({ 'checks/identity/rule.yaml': RULE, 'packs/t.yaml': PACK.replace('    manual: true\n', '') }),
    ).toMatch(/rules\/packs\/t\.yaml:\d+:\d+: \/requirements\/1/);
    expect(loadError({ 'checks/identity/rule.yaml': RULE, 'checks/identity/copy.yaml': RULE })).toMatch(
      /rule id "t.rule" is also defined/,
    );
  });

  it('stops on broken YAML with its position', () => {
    expect(loadError({ 'checks/identity/rule.yaml': 'id: [unclosed\n' })).toMatch(
      /^rules\/checks\/identity\/rule\.yaml:\d+:\d+: /,
    );
  });

  it('refuses deviceRules outside a rule over firewall devices, with a caret under it', () => {
    const msg = loadError({
      'checks/identity/rule.yaml': RULE.replace('assert: item.mfa.registered', 'assert: size(deviceRules) == 0'),
    });
    expect(msg).toMatch(
      /^rules\/checks\/identity\/rule\.yaml:6:14: assert: deviceRules exists only in rules over firewall devices/,
    );
    expect(msg.split('\n')[2]).toBe(`  ${' '.repeat(13)}^`);
  });
});

describe('readRuleFiles + compileCatalog', () => {
  it('reads checks and packs from a rules directory, sorted, without conformance cases, hashing the bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'posture-rules-'));
    try {
      mkdirSync(join(dir, 'checks', 'identity'), { recursive: true });
      mkdirSync(join(dir, 'packs'), { recursive: true });
      writeFileSync(join(dir, 'checks/identity/rule.yaml'), RULE);
      writeFileSync(join(dir, 'checks/identity/rule.cases.yaml'), 'rule: t.rule\ncases: []\n');
      writeFileSync(join(dir, 'packs/t.yaml'), PACK);
      const files = readRuleFiles(dir);
      expect(files.checks.map((f) => f.file)).toEqual(['rules/checks/identity/rule.yaml']);
      expect(files.packs.map((f) => f.file)).toEqual(['rules/packs/t.yaml']);
      const c = compileCatalog(files);
      expect(c.rules.get('t.rule')!.sha256).toBe(createHash('sha256').update(RULE).digest('hex'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads the shipped packs', () => {
    const c = loadCatalog();
    expect(c.packs.size).toBeGreaterThan(0);
    for (const pack of c.packs.values()) expect(pack.requirements.length).toBeGreaterThan(0);
  });

  it('records firewall allow-lists only under informational requirements (shown, never scored)', () => {
    const c = loadCatalog();
    const uses = [...c.packs.values()].flatMap((p) =>
      p.requirements
        .filter((q) => q.rules.includes('firewall.allow-listed-admin-access'))
        .map((q) => ({ pack: p.id, id: q.id, informational: q.informational })),
    );
    expect(uses).toEqual(
      expect.arrayContaining([
        { pack: 'pci-dss-4.0.1', id: '1.2.5-allow-lists', informational: true },
        { pack: 'cis-controls-8.1', id: '4.4-allow-lists', informational: true },
      ]),
    );
    expect(uses.every((u) => u.informational)).toBe(true);
    expect(c.rules.get('firewall.allow-listed-admin-access')!.severity).toBe('low');
  });

  it('marks the rules that read deviceRules (their collection needs the per-device index)', () => {
    const c = loadCatalog();
    expect(c.rules.get('firewall.egress-restricted')!.readsDeviceRules).toBe(true);
    expect(c.rules.get('firewall.default-deny-inbound')!.readsDeviceRules).toBe(false);
  });
});
