/**
 * An evaluation stored before the three scores existed (no `scores` on its packs, no figures in
 * its summary) is shown with them, computed from its stored requirement states.
 */
import type { EvaluationRow } from '../../../src/db/evaluations.js';
import { toEvaluationDto } from '../../../src/domain/evaluation-view.js';

const requirement = (id: string, state: string, manual = false) => ({
  id,
  title: id,
  citation: id,
  family: 'f',
  rules: [],
  manual,
  informational: false,
  state,
});

const stored = {
  tenantId: '0195a0d0-0000-7000-8000-000000000001',
  id: '0195a0d0-0000-7000-8000-000000000002',
  asOf: new Date('2026-01-01T00:00:00Z'),
  createdAt: new Date('2026-01-01T00:00:01Z'),
  createdBy: 'ci',
  trigger: 'api',
  previousId: null,
  packs: ['p'],
  parameters: {},
  snapshotIds: [],
  fileHashes: {},
  result: {
    packs: [
      {
        id: 'p',
        version: '1',
        title: 'P',
        score: { withWaivers: 0.25, withoutWaivers: 0.25, passing: 1, waived: 0, applicable: 4 },
        requirements: [
          requirement('a', 'pass'),
          requirement('b', 'insufficient_evidence'),
          requirement('c', 'manual', true),
          requirement('d', 'fail'),
          requirement('e', 'not_applicable'),
        ],
      },
    ],
    rules: [],
    missingEvidence: [],
    diff: { previousId: null, new: 0, unchanged: 0, resolved: 0, resolvedFindings: [] },
    summary: {
      packs: [{ id: 'p', score: 0.25, scoreWithWaivers: 0.25 }],
      findings: { fail: 1, insufficient_evidence: 1, error: 0, waived: 0 },
      failingBySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
      new: 0,
      resolved: 0,
    },
  },
} as unknown as EvaluationRow;

describe('an evaluation stored before the three scores', () => {
  it('shows them, computed from its requirement states, in its results and its summary', () => {
    const dto = toEvaluationDto(stored) as ReturnType<typeof toEvaluationDto> & { results: { scores: unknown }[] };
    const verified = { value: 0.3333, numerator: 1, denominator: 3 };
    const withAttestations = { value: 0.25, numerator: 1, denominator: 4 };
    expect(dto.results[0]!.scores).toMatchObject({
      verified,
      withAttestations,
      withWaivers: withAttestations,
      states: { pass: 1, insufficient_evidence: 1, manual: 1, fail: 1 },
    });
    expect(dto.summary.packs[0]).toEqual({
      id: 'p',
      score: 0.25,
      scoreWithWaivers: 0.25,
      verified,
      withAttestations,
      withWaivers: withAttestations,
    });
    // the list view (no results) has them in its summary too
    expect(toEvaluationDto(stored, false).summary.packs[0]!.verified).toEqual(verified);
  });
});
