/**
 * Rule behaviour as data: every `rules/checks/**\/*.cases.yaml` run through `evaluate()` — the
 * engine the service runs — with the case's items as snapshots of the rule's kind, in a pack,
 * with the case's parameters and waivers (tests/helpers/rule-cases.ts; the format is in the
 * README). Each item's state is read back from the findings and the rule's counts, and every
 * failing or insufficient case says what its findings must say. Fails when a rule that a pack
 * uses has no cases, or when a case file names no rule.
 */
import { join } from 'node:path';
import { loadCatalog, RULES_DIR } from '../helpers/catalog.js';
import { matches, PROBLEM_STATES, readSuites, runCase, tally, type Case } from '../helpers/rule-cases.js';

const catalog = loadCatalog();
const suites = readSuites(join(RULES_DIR, 'checks'));

/** Cases that expect a failing or insufficient item but do not say why. */
function withoutReason(cases: Case[]): string[] {
  return cases
    .filter((c) => c.expect.some((s) => s === 'fail' || s === 'insufficient_evidence'))
    .filter((c) =>
      Array.isArray(c.reason)
        ? c.expect.some((s, i) => (s === 'fail' || s === 'insufficient_evidence') && !c.reason![i])
        : !c.reason,
    )
    .map((c) => c.name);
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
      const states = new Set(s.cases.flatMap((c) => c.expect));
      expect({ rule: s.rule, pass: states.has('pass'), fail: states.has('fail') }).toEqual({
        rule: s.rule,
        pass: true,
        fail: true,
      });
    }
  });

  it('say the reason of every failing and insufficient case', () => {
    expect(suites.map((s) => ({ file: s.file, withoutReason: withoutReason(s.cases) }))).toEqual(
      suites.map((s) => ({ file: s.file, withoutReason: [] })),
    );
  });

  for (const s of suites) {
    describe(s.rule, () => {
      it.each(s.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const run = runCase(catalog, s.rule, c);
        expect(run.states).toEqual(c.expect);
        const { pass, fail, insufficient_evidence, not_applicable, error, waived } = run.result.counts;
        expect({ pass, fail, insufficient_evidence, not_applicable, error, waived }).toEqual(tally(c.expect));
        if (c.findings !== undefined) expect(run.findings).toHaveLength(c.findings);
        const said = c.expect.flatMap((state, i) => {
          if (!PROBLEM_STATES.includes(state)) return [];
          const pattern = Array.isArray(c.reason) ? c.reason[i] : c.reason;
          if (!pattern) return [];
          const message = run.findingOf[i]?.message ?? '(no finding)';
          return [{ item: i, pattern, message, matches: matches(pattern, message) }];
        });
        expect(said).toEqual(said.map((x) => ({ ...x, matches: true })));
      });
    });
  }
});
