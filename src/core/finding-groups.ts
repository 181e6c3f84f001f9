/**
 * One problem, one row: the findings of the packs that judge the same rule on the same item (one
 * fingerprint) grouped together, for the findings API, the CSV and XLSX downloads and the CLI.
 * Pure; the engine still emits one finding per pack, and SARIF and JUnit keep that shape.
 */
import { type FindingStatus, worstStatus } from './vocabulary.js';

/** What grouping needs of a finding: stored (API) or just produced by the engine (CLI). */
export interface PackFinding {
  packId: string;
  fingerprint: string;
  status: FindingStatus;
  waiverId: string | null;
  requirements: { pack: string; id: string }[];
  new: boolean;
  /** when the problem was first seen failing in this pack; null: not recorded */
  firstSeenAt: Date | null;
}

/** A pack's view of a grouped problem. */
export interface PackEntry {
  pack: string;
  status: FindingStatus;
  waiverId: string | null;
  requirements: string[];
}

export interface FindingGroup<F extends PackFinding> {
  fingerprint: string;
  /** the finding of the first pack (by pack id): the rule, item, message and evidence are the same in every pack */
  first: F;
  /** one entry per pack, by pack id */
  packs: PackEntry[];
  /** the findings themselves, in the same order as `packs` */
  findings: F[];
  /** the worst of the packs' statuses */
  status: FindingStatus;
  /** new in at least one pack */
  new: boolean;
  /** the earliest of the packs' first-seen times; null when none recorded one */
  firstSeenAt: Date | null;
}

/**
 * Groups findings by fingerprint (rule and item) in one pass. Groups come in the order their
 * first finding came in, so a caller that fetched rows in page order keeps it.
 */
export function groupFindings<F extends PackFinding>(findings: Iterable<F>): FindingGroup<F>[] {
  const byPrint = new Map<string, F[]>();
  for (const f of findings) {
    const group = byPrint.get(f.fingerprint);
    if (group) group.push(f);
    else byPrint.set(f.fingerprint, [f]);
  }
  return [...byPrint.entries()].map(([fingerprint, group]) => {
    group.sort((a, b) => compareText(a.packId, b.packId));
    let firstSeenAt: Date | null = null;
    for (const f of group)
      if (f.firstSeenAt && (!firstSeenAt || f.firstSeenAt < firstSeenAt)) firstSeenAt = f.firstSeenAt;
    return {
      fingerprint,
      first: group[0]!,
      packs: group.map((f) => ({
        pack: f.packId,
        status: f.status,
        waiverId: f.waiverId,
        requirements: [...new Set(f.requirements.map((r) => r.id))],
      })),
      findings: group,
      status: worstStatus(group.map((f) => f.status))!,
      new: group.some((f) => f.new),
      firstSeenAt,
    };
  });
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
