import type { EvaluationRow, FindingRow } from '../db/evaluations.js';
import type { EvaluationSummary, PackResult } from '../core/results.js';
import { scoresOf } from '../engine/rollup.js';
import type { FindingGroup, PackFinding } from '../core/finding-groups.js';

/** The API shape of an evaluation; `full` adds per-pack requirements, per-rule results and the diff. */
export function toEvaluationDto(e: EvaluationRow, full = true) {
  const r = e.result;
  const base = {
    id: e.id,
    asOf: e.asOf.toISOString(),
    createdAt: e.createdAt.toISOString(),
    createdBy: e.createdBy,
    trigger: e.trigger,
    previousId: e.previousId,
    packs: e.packs,
    summary: withFigures(r.summary, r.packs),
  };
  if (!full) return base;
  return {
    ...base,
    // evaluations stored before the three figures existed get them from their requirements' states
    results: r.packs.map((p) => ({ ...p, scores: scoresOf(p) })),
    rules: r.rules,
    missingEvidence: r.missingEvidence,
    diff: r.diff,
    parameters: e.parameters,
    snapshotIds: e.snapshotIds,
    fileHashes: e.fileHashes,
  };
}

export function toFindingDto(f: FindingRow) {
  return {
    id: f.id,
    packId: f.packId,
    ruleId: f.ruleId,
    requirements: f.requirements,
    status: f.status,
    severity: f.severity,
    source: f.source,
    snapshotId: f.snapshotId,
    item: f.itemId === null ? null : { id: f.itemId, name: f.itemName },
    message: f.message,
    evidence: f.evidence,
    origin: f.origin,
    waiverId: f.waiverId,
    new: f.isNew,
    fingerprint: f.fingerprint,
    assumed: f.assumed,
    stale: f.stale,
  };
}

export type StoredPackFinding = FindingRow & PackFinding;

/** A stored finding as grouping sees it. */
export function packFinding(f: FindingRow): StoredPackFinding {
  return { ...f, new: f.isNew };
}

/**
 * The API shape of one problem (rule and item) with every pack it affects. The row's status is
 * the worst of its packs'. Deprecated for one release: `packId` (the `pack` asked for, else the
 * first pack) and `id` (that pack's finding); `waiverId` only when every pack waived it.
 */
export function toFindingRowDto(g: FindingGroup<StoredPackFinding>, asOf: Date, pack?: string) {
  const legacy = g.findings.find((f) => f.packId === pack) ?? g.first;
  return {
    ...toFindingDto(g.first),
    id: legacy.id,
    packId: legacy.packId,
    requirements: g.packs.flatMap((p) => p.requirements.map((id) => ({ pack: p.pack, id }))),
    status: g.status,
    waiverId: g.status === 'waived' ? legacy.waiverId : null,
    new: g.new,
    packs: g.packs,
    firstSeenAt: (g.firstSeenAt ?? asOf).toISOString(),
  };
}

export type FindingRowDto = ReturnType<typeof toFindingRowDto>;

/** A summary stored before the three figures existed gets them from its packs' requirement states. */
function withFigures(summary: EvaluationSummary, packs: readonly PackResult[]): EvaluationSummary {
  if (summary.packs.every((p) => p.verified !== undefined)) return summary;
  return {
    ...summary,
    packs: summary.packs.map((p) => {
      const pack = packs.find((x) => x.id === p.id);
      if (p.verified !== undefined || !pack) return p;
      const s = scoresOf(pack);
      return { ...p, verified: s.verified, withAttestations: s.withAttestations, withWaivers: s.withWaivers };
    }),
  };
}
