/**
 * Rule behaviour as data: every `rules/checks/**\/*.cases.yaml` (input items, parameters,
 * waivers, expected state and reason per item) run through `evaluate()`, as the service and the
 * CLI run it (run-case.ts). Fails when a rule that a pack uses has no cases, when a case file
 * names no rule, or when a failing or insufficient item's expectation does not say why (case-file.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog, RULES_DIR } from '../helpers/catalog.js';
import { parseCaseFile } from './case-file.js';
import { parameterProblems, runCase } from './run-case.js';

const catalog = loadCatalog();
const CHECKS = join(RULES_DIR, 'checks');
const suites = readdirSync(CHECKS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.cases.yaml'))
  .sort()
  .map((f) => parseCaseFile(readFileSync(join(CHECKS, f), 'utf8'), f));

describe('rule conformance cases', () => {
  it('cover every rule that a pack uses, and name only existing rules', () => {
    const used = new Set([...catalog.packs.values()].flatMap((p) => p.requirements.flatMap((q) => q.rules)));
    const covered = new Set(suites.map((s) => s.rule));
    expect([...used].filter((id) => !covered.has(id)).sort()).toEqual([]);
    expect(suites.filter((s) => !catalog.rules.has(s.rule)).map((s) => s.file)).toEqual([]);
  });

  it('have at least one passing and one failing item per rule', () => {
    for (const s of suites) {
      const states = new Set(
        s.cases.flatMap((c) => Object.values(c.expect).flatMap((list) => list.map((e) => e.state))),
      );
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
        const rule = catalog.rules.get(s.rule)!;
        expect(parameterProblems(catalog, rule, c)).toEqual([]);
        const observed = runCase(catalog, rule, c);
        for (const [packId, want] of Object.entries(c.expect)) {
          const got = observed[packId]!;
          expect({ pack: packId, items: got.items }).toEqual({ pack: packId, items: want });
          expect({ pack: packId, collapsed: got.collapsed }).toEqual({ pack: packId, collapsed: c.collapsed });
          if (c.expectDetails)
            expect({ pack: packId, details: got.details }).toEqual({ pack: packId, details: c.expectDetails });
          expect(got.countDrift).toEqual({
            pass: 0,
            fail: 0,
            insufficient_evidence: 0,
            not_applicable: 0,
            error: 0,
            waived: 0,
          });
        }
      });
    });
  }
});
