/** What push and evaluate print and decide: the table, the threshold, SARIF paths rewritten to the local files. */
import { decodeLenient } from '../core/text.js';
import { relative } from 'node:path';
import type * as Sarif from 'sarif';
import type { Origin } from '../reporting/ci-finding.js';
import type { LocalPart } from './parts.js';
import { lineFinder } from '../reporting/json-lines.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Threshold = 'critical' | 'high' | 'medium' | 'low';

export function atOrAbove(severity: string, threshold: Threshold): boolean {
  return SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]) <= SEVERITIES.indexOf(threshold);
}

export interface GateFinding {
  severity: string;
  status: string;
  message: string;
  ruleId: string;
  new: boolean;
  fingerprint: string;
}

/**
 * Exit 1 when failing findings at or above the threshold exist: new ones only, unless
 * failOnExisting. One finding per rule and item, new when it is new in any of its packs (a pack
 * evaluated for the first time makes its findings new, whatever the other packs said).
 */
export function gate(findings: readonly GateFinding[], threshold: Threshold, failOnExisting: boolean): GateFinding[] {
  const failing = findings.filter((f) => f.status === 'fail' && atOrAbove(f.severity, threshold));
  return uniqueNew(failing).filter((f) => failOnExisting || f.new);
}

/** Findings one per rule and item, `new` when new in any pack (what push prints and gates on). */
export function uniqueNew<T extends { fingerprint: string; new: boolean }>(findings: readonly T[]): T[] {
  const newPrints = new Set(findings.filter((f) => f.new).map((f) => f.fingerprint));
  return unique(findings).map((f) => (f.new || !newPrints.has(f.fingerprint) ? f : { ...f, new: true }));
}

/** One per rule and item: the same failure in three packs is one problem to fix. */
export function unique<T extends { fingerprint: string }>(findings: readonly T[]): T[] {
  return [...new Map(findings.map((f) => [f.fingerprint, f])).values()];
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function pct(score: number | null): string {
  return score === null ? 'n/a' : `${Math.round(score * 1000) / 10}%`;
}

/**
 * Point SARIF results at the files the user gave (repo-relative paths, so GitHub shows the alert
 * on the line), instead of the service's snapshot store; JSON items get the line of their pointer.
 * Only the results of the pushed snapshot stay (the tenant's other exports are not in this
 * repository), and automationDetails goes, so that the upload step's category applies.
 */
export function localiseSarif(
  log: Sarif.Log,
  parts: readonly LocalPart[],
  snapshotId: string | null,
  cwd = process.cwd(),
): Sarif.Log {
  const finders = new Map(
    parts.map((p) => [
      `${p.name}/${p.page}`,
      { path: relative(cwd, p.path).split('\\').join('/'), line: lineFinder(decodeLenient(p.bytes)) },
    ]),
  );
  for (const run of log.runs) {
    if (snapshotId !== null)
      run.results = (run.results ?? []).filter(
        (r) => (r.properties as { snapshotId?: string } | undefined)?.snapshotId === snapshotId,
      );
    for (const r of run.results ?? []) {
      const props = (r.properties ?? {}) as { snapshotId?: string; origin?: Origin };
      const o = props.origin ?? {};
      const local = finders.get(`${o.part}/${o.page ?? 0}`);
      const loc = r.locations?.[0]?.physicalLocation;
      if (!local || !loc) continue;
      loc.artifactLocation = { uri: local.path };
      const line = o.line ?? (o.pointer !== undefined ? local.line(o.pointer) : undefined);
      if (line) loc.region = { startLine: line };
    }
    delete run.originalUriBaseIds;
    delete run.automationDetails;
  }
  return log;
}
