import { diffKey } from '../db/evaluations.js';
import type {
  DiffSummary,
  EvaluationOutput,
  EvaluationSummary,
  Finding,
  ResolvedFinding,
  Scores,
} from '../core/results.js';
import { scoresOf } from '../engine/rollup.js';
import { SEVERITIES, type Severity } from '../core/vocabulary.js';

const MAX_RESOLVED_LISTED = 1000;

/**
 * A finding is new when its pack's base evaluation had no finding for that pack, rule and item (the
 * fingerprint) — or had one that was not failing, and now it fails: an admin port whose exposure
 * was unknown and is now known to be open got worse, and CI must see it.
 */
export function isNewFinding(
  f: Pick<Finding, 'packId' | 'fingerprint' | 'status'>,
  before: ReadonlyMap<string, { status: string }>,
): boolean {
  const was = before.get(diffKey(f.packId, f.fingerprint));
  return was === undefined || (f.status === 'fail' && was.status !== 'fail' && was.status !== 'waived');
}

/** Failing and waived are one standing: a waiver accepts a failure, it does not end it. */
const standing = (status: string) => (status === 'waived' ? 'fail' : status);

/**
 * When a finding was first seen: its base finding's time (same pack, rule and item) when that one
 * stood the same way — failing or waived, or the same other status — so a problem keeps its age
 * while it lasts; else, and after it was resolved in between, the new evaluation's asOf.
 */
export function firstSeenAt(
  f: Pick<Finding, 'packId' | 'fingerprint' | 'status'>,
  before: ReadonlyMap<string, { status: string; firstSeenAt?: Date }>,
  asOf: Date,
): Date {
  const was = before.get(diffKey(f.packId, f.fingerprint));
  return was?.firstSeenAt && standing(was.status) === standing(f.status) ? was.firstSeenAt : asOf;
}

/** New, unchanged and resolved findings, matched by pack, rule and item (the fingerprint), each pack against its base. */
export function diffFindings(
  current: readonly Finding[],
  // (the base's first-seen time stays out of the stored diff)
  before: ReadonlyMap<string, ResolvedFinding & { source: string | null }>,
  previousId: string | null,
): { summary: DiffSummary } {
  const now = new Set(current.map((f) => diffKey(f.packId, f.fingerprint)));
  let isNew = 0;
  for (const f of current) if (isNewFinding(f, before)) isNew++;
  const resolved = [...before.entries()]
    .filter(([fp]) => !now.has(fp))
    .map(([, r]) => ({
      packId: r.packId,
      ruleId: r.ruleId,
      itemId: r.itemId,
      itemName: r.itemName,
      severity: r.severity,
      status: r.status,
      source: r.source,
    }));
  return {
    summary: {
      previousId,
      new: isNew,
      unchanged: current.length - isNew,
      resolved: resolved.length,
      resolvedFindings: resolved.slice(0, MAX_RESOLVED_LISTED),
    },
  };
}

/** The short answer an ingest returns: scores, finding counts by status and failing ones by severity, the diff counts. */
export function summarise(output: EvaluationOutput, diff: DiffSummary): EvaluationSummary {
  const byStatus = { fail: 0, insufficient_evidence: 0, error: 0, waived: 0 };
  const failingBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of output.findings) {
    byStatus[f.status]++;
    if (f.status === 'fail') failingBySeverity[f.severity]++;
  }
  return {
    packs: output.packs.map((p) => ({
      id: p.id,
      score: p.score.withoutWaivers,
      scoreWithWaivers: p.score.withWaivers,
      ...pickFigures(scoresOf(p)),
    })),
    findings: byStatus,
    failingBySeverity,
    new: diff.new,
    resolved: diff.resolved,
  };
}

function pickFigures(
  s: Scores,
): Pick<EvaluationSummary['packs'][number], 'verified' | 'withAttestations' | 'withWaivers'> {
  return { verified: s.verified, withAttestations: s.withAttestations, withWaivers: s.withWaivers };
}
