/**
 * Roll-up: error > fail > insufficient_evidence > manual > waived > attested > pass;
 * not_applicable drops out. Scores: see core/results.ts (`Scores`, and the deprecated `Score`).
 */
import type { RequirementState } from '../core/vocabulary.js';
import type { Score } from '../core/results.js';

export type { Score, ScoreFigure, Scores } from '../core/results.js';
export { scores, scoresOf } from '../core/scores.js';

const ORDER: RequirementState[] = ['error', 'fail', 'insufficient_evidence', 'manual', 'waived', 'attested', 'pass'];

export function rollUp(states: readonly RequirementState[]): RequirementState {
  for (const s of ORDER) if (states.includes(s)) return s;
  return 'not_applicable';
}

type Scored = { state: RequirementState; informational: boolean; manual?: boolean };

function applicable(requirements: readonly Scored[]): Scored[] {
  return requirements.filter((r) => !r.informational && r.state !== 'not_applicable');
}

/** Deprecated (one release): pass / applicable, and (pass + waived) / applicable. */
export function score(requirements: readonly Scored[]): Score {
  const counted = applicable(requirements);
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
