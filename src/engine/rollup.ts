/**
 * Roll-up: error > fail > insufficient_evidence > manual > waived > attested > pass;
 * not_applicable drops out. Scores: see core/results.ts (`Scores`, and the deprecated `Score`).
 */
import type { RequirementState } from '../core/vocabulary.js';
import type { Score, ScoreFigure, Scores } from '../core/results.js';

export type { Score, ScoreFigure, Scores } from '../core/results.js';

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

/** The three figures of a pack (see `Scores`). */
export function scores(requirements: readonly Scored[]): Scores {
  const counted = applicable(requirements);
  const states: Scores['states'] = {
    pass: 0,
    attested: 0,
    waived: 0,
    manual: 0,
    insufficient_evidence: 0,
    fail: 0,
    error: 0,
  };
  for (const r of counted) states[r.state as keyof Scores['states']]++;
  const verifiable = counted.filter((r) => r.manual !== true);
  return {
    verified: figure(verifiable.filter((r) => r.state === 'pass').length, verifiable.length),
    withAttestations: figure(states.pass + states.attested, counted.length),
    withWaivers: figure(states.pass + states.attested + states.waived, counted.length),
    states,
  };
}

function figure(numerator: number, denominator: number): ScoreFigure {
  return { value: denominator === 0 ? null : round(numerator / denominator), numerator, denominator };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** A stored pack result's three figures (computed from its requirements when stored before they existed). */
export function scoresOf(pack: { scores?: Scores; requirements: readonly Scored[] }): Scores {
  return pack.scores ?? scores(pack.requirements);
}
