/**
 * Deterministic JUnit inputs: every rule state, two packs sharing a rule, text that needs XML
 * escaping, a failing rule past the 200 items listed, and findings whose rule is not reported.
 */
import type { CiFinding, CiRuleResult } from '../../../src/reporting/ci-finding.js';
import type { JunitInput } from '../../../src/reporting/junit.js';

const STATES = ['fail', 'error', 'insufficient_evidence', 'not_applicable', 'waived', 'pass', 'manual'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

function finding(packId: string, ruleId: string, status: string, i: number): CiFinding {
  return {
    packId,
    ruleId,
    requirements: [{ pack: packId, id: `req-${i % 3}` }],
    status,
    severity: SEVERITIES[i % SEVERITIES.length]!,
    source: 'sentinelone',
    snapshotId: 'snap-1',
    item: { id: `host-${i}`, name: `HOST-${i}` },
    message: `host-${i} <"${ruleId}"> & 'détail' ${status}`,
    evidence: { i },
    origin: { part: 'body', pointer: `/data/${i}` },
    waiverId: status === 'waived' ? `waiver-${i}` : null,
    fingerprint: `${ruleId}:host-${i}`,
    new: i % 4 === 0,
  };
}

/** The rule results of one pack: one rule per state (plus a shared rule), `counts` as the engine gives them. */
function rulesOf(packId: string, failing: number): CiRuleResult[] {
  const rules = STATES.map(
    (state, i): CiRuleResult => ({
      packId,
      ruleId: `rule.${state}`,
      title: `Rule ${i} <${state}> & "quoted"`,
      state,
      counts: state === 'fail' ? { pass: 3, fail: failing } : { pass: i },
    }),
  );
  // insufficient evidence without a finding: the reason falls back to "no snapshot of this kind"
  rules.push({ packId, ruleId: 'rule.no-snapshot', title: 'No snapshot', state: 'insufficient_evidence', counts: {} });
  rules.push({ packId, ruleId: 'rule.shared', title: 'Shared rule', state: 'fail', counts: {} });
  return rules;
}

/**
 * Two packs; `failing` findings on `rule.fail` of the first pack (interleaved with the others, as
 * an evaluation lists them), a few on every other rule of both packs.
 */
export function junitInput(failing: number): JunitInput {
  const packs = [
    { id: 'pack-a', title: 'Pack A & <friends>' },
    { id: 'pack-b', title: 'Pack "B"' },
  ];
  const rules = [...rulesOf('pack-a', failing), ...rulesOf('pack-b', 2)];
  const findings: CiFinding[] = [];
  for (let i = 0; i < failing; i++) {
    findings.push(finding('pack-a', 'rule.fail', 'fail', i));
    if (i < 5) {
      findings.push(finding('pack-b', 'rule.fail', 'fail', i));
      findings.push(finding('pack-a', 'rule.error', 'error', i));
      findings.push(finding('pack-b', 'rule.waived', 'waived', i));
      findings.push(finding('pack-a', 'rule.insufficient_evidence', 'insufficient_evidence', i));
      findings.push(finding('pack-a', 'rule.shared', i % 2 ? 'fail' : 'waived', i));
      findings.push(finding('pack-b', 'rule.shared', 'fail', i));
      findings.push(finding('pack-c', 'rule.fail', 'fail', i));
      findings.push(finding('pack-a', 'rule.not-reported', 'fail', i));
    }
  }
  return { evaluation: { id: 'eval-1', asOf: '2026-11-26T10:20:30.456Z' }, packs, rules, findings };
}
