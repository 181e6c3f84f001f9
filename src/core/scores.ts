/**
 * The three figures of a pack (see `Scores` in results.ts): pure arithmetic over requirement
 * states, shared by the engine (which stores them), the domain (evaluations stored before they
 * existed) and reporting.
 */
import type { ScoreFigure, Scores } from './results.js';
import type { RequirementState } from './vocabulary.js';

type Scored = { state: RequirementState; informational: boolean; manual?: boolean };

/** The three figures of a pack (see `Scores`). */
export function scores(requirements: readonly Scored[]): Scores {
  const counted = requirements.filter((r) => !r.informational && r.state !== 'not_applicable');
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

/** A stored pack result's three figures (computed from its requirements when stored before they existed). */
export function scoresOf(pack: { scores?: Scores; requirements: readonly Scored[] }): Scores {
  return pack.scores ?? scores(pack.requirements);
}

/** One figure from its counts (value rounded to 4 places, null over nothing). */
export function figure(numerator: number, denominator: number): ScoreFigure {
  return {
    value: denominator === 0 ? null : Math.round((numerator / denominator) * 10000) / 10000,
    numerator,
    denominator,
  };
}
