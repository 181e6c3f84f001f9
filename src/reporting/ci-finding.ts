import type { Catalog } from '../engine/catalog.js';

/** What SARIF and JUnit need of a finding: the stored one (API) and the offline one (CLI) both fit. */
export interface CiFinding {
  packId: string;
  ruleId: string;
  requirements: { pack: string; id: string }[];
  status: string;
  severity: string;
  source: string | null;
  snapshotId: string | null;
  item: { id: string; name: string | null } | null;
  message: string;
  evidence: unknown;
  origin: unknown;
  waiverId: string | null;
  fingerprint: string;
  /** absent from the previous evaluation */
  new: boolean;
  /** fields judged by assumption (empty or absent: none) */
  assumed?: string[];
  /** judged on evidence older than maxEvidenceAgeDays */
  stale?: boolean;
}

export interface CiRule {
  id: string;
  title: string;
  severity: string;
  rationale: string;
  remediation: string;
  kind: string;
}

export interface CiRuleResult {
  packId: string;
  ruleId: string;
  title: string;
  state: string;
  counts: Record<string, number>;
}

export interface Origin {
  part?: string;
  page?: number;
  pointer?: string;
  line?: number;
}

/** The catalogue's rules as SARIF and JUnit describe them. */
export function ciRules(catalog: Catalog): Map<string, CiRule> {
  return new Map(
    [...catalog.rules.values()].map((r) => [
      r.id,
      {
        id: r.id,
        title: r.title,
        severity: r.severity,
        rationale: r.rationale,
        remediation: r.remediation,
        kind: r.kind,
      },
    ]),
  );
}
