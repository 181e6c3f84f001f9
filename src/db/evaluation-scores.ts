/**
 * The per-evaluation scores rows (migration 0010): one per pack of an evaluation, written in the
 * evaluation's transaction, read by trends, sparklines and the MSP overview.
 */
import { scoresOf } from '../core/scores.js';
import type { Tx } from './client.js';
import type { evaluations, findings } from './schema.js';
import { evaluationScores } from './schema.js';

type EvaluationInsert = typeof evaluations.$inferInsert;
type FindingInsert = Pick<typeof findings.$inferInsert, 'packId' | 'status' | 'severity'>;

/** The rows of one evaluation: its packs' three figures and their failing findings by severity. */
export function scoreRows(
  row: Pick<EvaluationInsert, 'tenantId' | 'id' | 'asOf' | 'createdAt' | 'result'>,
  rows: readonly FindingInsert[],
): (typeof evaluationScores.$inferInsert)[] {
  const open = new Map<string, Record<string, number>>();
  for (const f of rows) {
    if (f.status !== 'fail') continue;
    const counts = open.get(f.packId) ?? {};
    counts[f.severity] = (counts[f.severity] ?? 0) + 1;
    open.set(f.packId, counts);
  }
  return row.result.packs.map((p) => {
    const s = scoresOf(p);
    const o = open.get(p.id) ?? {};
    return {
      tenantId: row.tenantId,
      evaluationId: row.id,
      packId: p.id,
      asOf: row.asOf,
      createdAt: row.createdAt,
      verifiedNumerator: s.verified.numerator,
      verifiedDenominator: s.verified.denominator,
      withAttestationsNumerator: s.withAttestations.numerator,
      withAttestationsDenominator: s.withAttestations.denominator,
      withWaiversNumerator: s.withWaivers.numerator,
      withWaiversDenominator: s.withWaivers.denominator,
      openCritical: o.critical ?? 0,
      openHigh: o.high ?? 0,
      openMedium: o.medium ?? 0,
      openLow: o.low ?? 0,
      openInfo: o.info ?? 0,
    };
  });
}

export async function insertScores(tx: Tx, rows: (typeof evaluationScores.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await tx.insert(evaluationScores).values(rows);
}
