/**
 * What an evaluation produces and stores, shared by the engine (which computes it), the domain
 * (which stores and diffs it) and reporting (which prints it).
 */
import type { FindingStatus, RequirementState, RuleState, Severity, SnapshotKind } from './vocabulary.js';

/**
 * Deprecated (kept one release): `withoutWaivers` = pass / applicable, `withWaivers` = (pass +
 * waived) / applicable, attested requirements counted in neither. Read `PackResult.scores`.
 */
export interface Score {
  withWaivers: number | null;
  withoutWaivers: number | null;
  passing: number;
  waived: number;
  applicable: number;
}

/** One figure of a score: value = numerator / denominator (rounded to 4 places), null when the denominator is 0. */
export interface ScoreFigure {
  value: number | null;
  numerator: number;
  denominator: number;
}

/**
 * The three figures of a pack, always shown together. Applicable: neither not_applicable nor
 * informational. `verified`: pass / applicable requirements a rule can judge (not manual);
 * `withAttestations`: (pass + attested) / applicable; `withWaivers`: (pass + attested + waived) /
 * applicable. Every other state (insufficient_evidence included) counts against all three;
 * `states` says how many applicable requirements are in each.
 */
export interface Scores {
  verified: ScoreFigure;
  withAttestations: ScoreFigure;
  withWaivers: ScoreFigure;
  states: Record<Exclude<RequirementState, 'not_applicable'>, number>;
}

export type Counts = Record<RuleState, number>;

export interface RuleResult {
  packId: string;
  ruleId: string;
  title: string;
  kind: SnapshotKind;
  severity: Severity;
  state: RuleState;
  counts: Counts;
  parameters: Record<string, unknown>;
  /**
   * items whose verdict (pass or fail) rests on an assumption: a field the export does not state
   * (see Finding.assumed). Absent in evaluations stored before it existed.
   */
  assumed?: number;
  /**
   * items of evidence older than maxEvidenceAgeDays: failures kept (stale), passes made
   * insufficient evidence. Absent in evaluations stored before it existed.
   */
  stale?: number;
}

export interface RequirementResult {
  id: string;
  title: string;
  citation: string;
  family: string;
  state: RequirementState;
  rules: string[];
  manual: boolean;
  informational: boolean;
  /** the attestation that made it `attested` (absent: none, or stored before attestations existed) */
  attestationId?: string | null;
}

export interface PackResult {
  id: string;
  version: string;
  title: string;
  /** deprecated: see `scores` */
  score: Score;
  /** absent in evaluations stored before it existed (the API computes it from `requirements`) */
  scores?: Scores;
  requirements: RequirementResult[];
}

export interface Finding {
  packId: string;
  ruleId: string;
  requirements: { pack: string; id: string }[];
  status: FindingStatus;
  severity: Severity;
  source: string | null;
  snapshotId: string | null;
  item: { id: string; name: string | null } | null;
  message: string;
  evidence: Record<string, unknown>;
  origin: unknown;
  waiverId: string | null;
  fingerprint: string;
  /**
   * Fields the verdict was judged on by assumption, because the export does not state them: the
   * rule's `assume` (identity: an account of unknown status is taken as enabled) merged with the
   * item's own `assumed` (firewall: internet-facing interfaces inferred). Empty: nothing assumed.
   */
  assumed: string[];
  /**
   * The item's evidence is older than maxEvidenceAgeDays (measured from the snapshot's collection
   * time, or its last confirmation): a failure it still proves, or a pass it no longer can.
   */
  stale: boolean;
}

export interface MissingEvidence {
  kind: string;
  ruleIds: string[];
  reason: string;
  hint: string;
  /** a stale export to refresh: which snapshot (the missing-evidence section names it) */
  snapshot?: { id: string; source: string; instance: string; collectedAt: string; ageDays: number };
}

export interface EvaluationOutput {
  packs: PackResult[];
  rules: RuleResult[];
  findings: Finding[];
  missingEvidence: MissingEvidence[];
}

export interface ResolvedFinding {
  packId: string;
  ruleId: string;
  itemId: string | null;
  itemName: string | null;
  severity: string;
  status: string;
}

export interface DiffSummary {
  previousId: string | null;
  new: number;
  unchanged: number;
  resolved: number;
  /** the resolved findings themselves (at most 1000) */
  resolvedFindings: ResolvedFinding[];
}

/** The short answer an ingest returns: scores, findings by status and failing ones by severity, the diff counts. */
export interface EvaluationSummary {
  /**
   * `score` and `scoreWithWaivers` are deprecated (the old pass / applicable and (pass + waived) /
   * applicable); the three figures are absent in summaries stored before they existed
   */
  packs: {
    id: string;
    score: number | null;
    scoreWithWaivers: number | null;
    verified?: ScoreFigure;
    withAttestations?: ScoreFigure;
    withWaivers?: ScoreFigure;
  }[];
  findings: Record<FindingStatus, number>;
  failingBySeverity: Record<Severity, number>;
  new: number;
  resolved: number;
}

/** The `result` column of an evaluation: everything but its findings, which are rows of their own. */
export interface StoredEvaluationResult {
  packs: PackResult[];
  rules: RuleResult[];
  missingEvidence: MissingEvidence[];
  diff: DiffSummary;
  summary: EvaluationSummary;
}
