/**
 * Roll-up: error > fail > insufficient_evidence > manual > waived > pass; not_applicable drops
 * out. Score of a pack = passing requirements / requirements that are neither not_applicable nor
 * informational, with waived requirements counted as passing only in the "with waivers" score.
 */
import type { RequirementState } from '../core/vocabulary.js';
import type { Score } from '../core/results.js';

export type { Score } from '../core/results.js';

const ORDER: RequirementState[] = ['error', 'fail', 'insufficient_evidence', 'manual', 'waived', 'pass'];

export function rollUp(states: readonly RequirementState[]): RequirementState {
  for (const s of ORDER) if (states.includes(s)) return s;
  return 'not_applicable';
}

export function score(requirements: readonly { state: RequirementState; informational: boolean }[]): Score {
  const counted = requirements.filter((r) => !r.informational && r.state !== 'not_applicable');
  const passing = counted.filter((r) => r.state === 'pass').length;
  const waived = counted.filter((r) => r.state === 'waived').length;
  const n = counted.length;
  return {
    withWaivers: n === 0 ? null : round((passing + waived) / n),
    withoutWaivers: n === 0 ? null : round(passing / n),
    passing,
    waived,
    applicable: n,
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
