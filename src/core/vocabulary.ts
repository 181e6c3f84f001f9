/**
 * The words every part shares, written once. Each list is an `as const` tuple: the TypeScript
 * types below, the JSON Schema enums (rule files, the HTTP contract) and the database's checked
 * columns are all derived from it, so a new state or severity is added in one place.
 */

/** Most severe first: the order of findings in every listing and of `--fail-on` thresholds. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severities a CI gate can fail on (`info` never fails a build). */
export const THRESHOLDS = ['critical', 'high', 'medium', 'low'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/** What judging one item of one rule gives. */
export const ITEM_STATES = ['pass', 'fail', 'insufficient_evidence', 'not_applicable', 'error'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** The state of one rule in one pack: its items' states, and `waived` when waivers cover every problem. */
export const RULE_STATES = [...ITEM_STATES, 'waived'] as const;
export type RuleState = (typeof RULE_STATES)[number];

/**
 * Requirement states in roll-up order, worst first: a requirement takes the first state any of
 * its rules (or `manual`) has. `not_applicable` drops out of the roll-up; it is last. `attested`:
 * a manual requirement with an attestation in force at the evaluation's asOf (its supporting
 * rules can still fail it); an expired or revoked attestation leaves it `manual`.
 */
export const REQUIREMENT_STATES = [
  'error',
  'fail',
  'insufficient_evidence',
  'manual',
  'waived',
  'attested',
  'pass',
  'not_applicable',
] as const;
export type RequirementState = (typeof REQUIREMENT_STATES)[number];

/** A finding is a problem: an item that fails, cannot be judged, broke the rule, or is waived. */
export const FINDING_STATUSES = ['fail', 'insufficient_evidence', 'error', 'waived'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * The statuses from worst to mildest, for a problem that several packs judge: fail is worse than
 * error, error than insufficient evidence, all of them than waived (a problem waived in one pack
 * and failing in another fails).
 */
export const FINDING_STATUSES_WORST_FIRST: readonly FindingStatus[] = [
  'fail',
  'error',
  'insufficient_evidence',
  'waived',
];

/** How a findings page is ordered: most severe first (default), longest-standing or most recent first. */
export const FINDING_SORTS = ['severity', 'firstSeen', '-firstSeen'] as const;
export type FindingSort = (typeof FINDING_SORTS)[number];

/** The worst of some statuses (FINDING_STATUSES_WORST_FIRST); undefined for none. */
export function worstStatus(statuses: Iterable<FindingStatus>): FindingStatus | undefined {
  let worst: FindingStatus | undefined;
  for (const s of statuses)
    if (worst === undefined || FINDING_STATUSES_WORST_FIRST.indexOf(s) < FINDING_STATUSES_WORST_FIRST.indexOf(worst))
      worst = s;
  return worst;
}

export const SNAPSHOT_KINDS = ['identity', 'endpoint', 'firewall', 'technicians'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

/**
 * Where a snapshot's collection time came from: the request's X-Collected-At (or the CLI's
 * --collected-at), a time the export stamps on itself as the moment it was taken, or its receipt.
 */
export const COLLECTED_AT_SOURCES = ['header', 'export', 'received'] as const;
export type CollectedAtSource = (typeof COLLECTED_AT_SOURCES)[number];

export const TENANT_KINDS = ['msp', 'client'] as const;
export type TenantKind = (typeof TENANT_KINDS)[number];

/** A waiver is requested (pending), then approved by another person or rejected; only approved ones apply. */
export const WAIVER_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type WaiverStatus = (typeof WAIVER_STATUSES)[number];

export const EVALUATION_TRIGGERS = ['api', 'ingest'] as const;
export type EvaluationTrigger = (typeof EVALUATION_TRIGGERS)[number];

/** Is `a` at least as severe as `b`? */
export function atLeastAsSevere(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

/** Narrow a string to a member of a vocabulary tuple. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
