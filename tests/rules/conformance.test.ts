/**
 * Rule behaviour as data: every `rules/checks/**\/*.cases.yaml` (input items, parameters,
 * expected state per item) run through the real engine. Fails when a rule that a pack uses has
 * no cases, or when a case file names no rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { collect, type SnapshotInput } from '../../src/engine/collections.js';
import { applyFreshness, detailsOf, judge } from '../../src/engine/judge.js';
import { loadCatalog, RULES_DIR } from '../helpers/catalog.js';
import type { CompiledRule } from '../../src/engine/catalog.js';

interface Case {
  name: string;
  params?: Record<string, unknown>;
  asOf?: string;
  /** when the export was taken (default: asOf); clock-dependent rules measure to it */
  collectedAt?: string;
  lastConfirmedAt?: string;
  doc?: Record<string, unknown>;
  items: Record<string, unknown>[];
  expect: string[];
  /**
   * Optional, per item: what the failing finding's `details` name — for a rule whose details hold
   * `policies` [{name, why}], each as "name (why)"; `null` for an item that does not fail.
   */
  expectDetails?: (string[] | null)[];
}

const catalog = loadCatalog();
const CHECKS = join(RULES_DIR, 'checks');
const caseFiles = readdirSync(CHECKS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.cases.yaml'))
  .sort();
const suites = caseFiles.map((f) => ({
  file: f,
  ...(parse(readFileSync(join(CHECKS, f), 'utf8')) as { rule: string; cases: Case[] }),
}));

const DEFAULT_AS_OF = '2026-11-01T00:00:00Z';

/** The states one case produces, item by item (for `hosts`: host by host, in first-seen order). */
function statesFor(rule: CompiledRule, c: Case): string[] {
  return judgedFor(rule, c).map((x) => x.state);
}

/** Per item: the policies a failing item's details name ("name (why)"), null for other items. */
function detailsFor(rule: CompiledRule, c: Case): (string[] | null)[] {
  return judgedFor(rule, c).map((x) => {
    if (x.state.split(' ')[0] !== 'fail') return null;
    const d = detailsOf(rule, x.params, x.judged, x.asOf);
    return ((d?.policies ?? []) as { name: string; why: string }[]).map((p) => `${p.name} (${p.why})`);
  });
}

function judgedFor(rule: CompiledRule, c: Case) {
  const params = {
    ...Object.fromEntries(Object.entries(rule.parameters).map(([k, s]) => [k, s.default])),
    ...c.params,
  };
  const collectionKey = rule.each === 'hosts' ? 'endpoints' : rule.each;
  const document = { ...c.doc, [collectionKey]: c.items };
  const snapshot: SnapshotInput = {
    id: 's1',
    kind: rule.kind,
    source: String(c.items[0]?.source ?? 'canonical'),
    instance: 'default',
    document,
    collectedAt: new Date(c.collectedAt ?? c.asOf ?? DEFAULT_AS_OF),
    lastConfirmedAt: c.lastConfirmedAt ? new Date(c.lastConfirmedAt) : null,
  };
  const asOf = new Date(c.asOf ?? DEFAULT_AS_OF);
  return collect(rule.kind, rule.each, [snapshot]).items.map((j) => {
    const v = applyFreshness(judge(rule, params, j, asOf), snapshot, asOf, params.maxEvidenceAgeDays);
    // a verdict resting on an assumption shows it: `fail assumed:status`
    const state = v.assumed ? `${v.state} assumed:${v.assumed.join(',')}` : v.stale ? `${v.state} stale` : v.state;
    return { state, judged: j, params, asOf };
  });
}

describe('rule conformance cases', () => {
  it('cover every rule that a pack uses, and name only existing rules', () => {
    const used = new Set([...catalog.packs.values()].flatMap((p) => p.requirements.flatMap((q) => q.rules)));
    const covered = new Set(suites.map((s) => s.rule));
    expect([...used].filter((id) => !covered.has(id)).sort()).toEqual([]);
    expect(suites.filter((s) => !catalog.rules.has(s.rule)).map((s) => s.file)).toEqual([]);
  });

  it('have at least one passing and one failing item per rule', () => {
    for (const s of suites) {
      const states = new Set(s.cases.flatMap((c) => c.expect.map((e) => e.split(' ')[0])));
      expect({ rule: s.rule, pass: states.has('pass'), fail: states.has('fail') }).toEqual({
        rule: s.rule,
        pass: true,
        fail: true,
      });
    }
  });

  for (const s of suites) {
    describe(s.rule, () => {
      it.each(s.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        expect(statesFor(catalog.rules.get(s.rule)!, c)).toEqual(c.expect);
        if (c.expectDetails) expect(detailsFor(catalog.rules.get(s.rule)!, c)).toEqual(c.expectDetails);
      });
    });
  }
});
