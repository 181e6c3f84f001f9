/**
 * Findings as the report lists them: one problem per (rule, item), whatever the packs and
 * requirements it affects — the engine stores one finding per (pack, rule, item), so the same
 * misconfigured account would otherwise be printed once per pack. A finding about a whole export
 * that cannot be judged at all (a field the export never carries) is not a problem of an item: it
 * becomes one "export gap", listed once under "What the exports do not show".
 */
import { SEVERITIES, type FindingStatus, type Severity } from '../core/vocabulary.js';
import type { ReportFinding } from './report-data.js';

/** Statuses worst first. */
const STATUS_ORDER: readonly FindingStatus[] = ['fail', 'error', 'insufficient_evidence', 'waived'];

export interface Problem {
  /** 1-based, in the order listed (the appendix refers to it) */
  no: number;
  ruleId: string;
  title: string;
  remediation: string;
  severity: Severity;
  /** the worst status over the packs */
  status: FindingStatus;
  source: string | null;
  item: ReportFinding['item'];
  message: string;
  evidence: Record<string, unknown>;
  origin: ReportFinding['origin'];
  /** every requirement of every pack it affects, in pack order then the findings' order */
  requirements: { pack: string; id: string }[];
  waiverIds: string[];
  assumed: string[];
  stale: boolean;
}

export interface ExportGap {
  source: string | null;
  /** what the export does not carry (the engine's reason) */
  reason: string;
  /** how many items of the export it left unjudged (when the engine said) */
  items: number | null;
  rules: { id: string; title: string; evidence: string }[];
  requirements: { pack: string; id: string }[];
}

const rank = (s: FindingStatus) => STATUS_ORDER.indexOf(s);
const sev = (s: Severity) => SEVERITIES.indexOf(s);

/** "name: cannot be judged: groups is absent" → "groups is absent": an item the export leaves a field out of. */
const ABSENT = /cannot be judged: ((?:[A-Za-z][\w.]* is absent)(?:, (?:and )?[A-Za-z][\w.]* is absent)*)$/;

/**
 * A gap in what an export carries, not a problem of an item: a whole-export finding that is not
 * about staleness, or an item the rule could not judge only because the export leaves a field out.
 */
export function isExportGap(f: ReportFinding): boolean {
  if (f.status !== 'insufficient_evidence' || f.stale) return false;
  return f.item === null || ABSENT.test(f.message);
}

function gapReason(f: ReportFinding): string {
  if (f.item === null) return typeof f.evidence.reason === 'string' ? f.evidence.reason : f.message;
  return ABSENT.exec(f.message)?.[1] ?? f.message;
}

/** Problems, most severe first (severity, then status, then rule and item). */
export function problemsOf(findings: readonly ReportFinding[], packOrder: readonly string[]): Problem[] {
  const byKey = new Map<string, { first: ReportFinding; all: ReportFinding[] }>();
  for (const f of findings) {
    if (isExportGap(f)) continue;
    const key = `${f.ruleId}\u0000${f.source ?? ''}\u0000${f.item ? `i:${f.item.id}` : `x:${f.message}`}`;
    const g = byKey.get(key);
    if (g) g.all.push(f);
    else byKey.set(key, { first: f, all: [f] });
  }
  const out = [...byKey.values()].map(({ first, all }) => merge(first, all, packOrder));
  out.sort(
    (a, b) =>
      sev(a.severity) - sev(b.severity) ||
      rank(a.status) - rank(b.status) ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.item?.name ?? a.item?.id ?? '', b.item?.name ?? b.item?.id ?? ''),
  );
  out.forEach((p, i) => (p.no = i + 1));
  return out;
}

function merge(first: ReportFinding, all: ReportFinding[], packOrder: readonly string[]): Problem {
  const worst = all.reduce((w, f) => (rank(f.status) < rank(w.status) ? f : w), first);
  return {
    no: 0,
    ruleId: first.ruleId,
    title: first.ruleTitle,
    remediation: first.remediation,
    severity: first.severity,
    status: worst.status,
    source: first.source,
    item: first.item,
    message: worst.message,
    evidence: worst.evidence,
    origin: worst.origin,
    requirements: requirementsOf(all, packOrder),
    waiverIds: unique(all.flatMap((f) => (f.waiverId ? [f.waiverId] : []))),
    assumed: unique(all.flatMap((f) => f.assumed)),
    stale: all.some((f) => f.stale),
  };
}

/** Gaps in what the exports carry, one per (source, reason), with every rule and requirement they leave unchecked. */
export function exportGapsOf(findings: readonly ReportFinding[], packOrder: readonly string[]): ExportGap[] {
  const byKey = new Map<string, { gap: ExportGap; all: ReportFinding[] }>();
  for (const f of findings) {
    if (!isExportGap(f)) continue;
    const reason = gapReason(f);
    const key = `${f.source ?? ''}\u0000${reason}`;
    let g = byKey.get(key);
    if (!g) {
      g = { gap: { source: f.source, reason, items: null, rules: [], requirements: [] }, all: [] };
      byKey.set(key, g);
    }
    g.all.push(f);
    g.gap.items = itemsOf(g.all);
    if (!g.gap.rules.some((r) => r.id === f.ruleId))
      g.gap.rules.push({ id: f.ruleId, title: f.ruleTitle, evidence: f.ruleEvidence ?? '' });
  }
  const out = [...byKey.values()].map(({ gap, all }) => ({ ...gap, requirements: requirementsOf(all, packOrder) }));
  return out.sort((a, b) => cmp(a.source ?? '', b.source ?? '') || cmp(a.reason, b.reason));
}

/** Items left unchecked: the engine's count for a whole-export finding, else the distinct items. */
function itemsOf(all: readonly ReportFinding[]): number | null {
  const counted = all.map((f) => f.evidence.items).filter((n): n is number => typeof n === 'number');
  const items = new Set(all.flatMap((f) => (f.item ? [f.item.id] : [])));
  if (counted.length === 0) return items.size || null;
  return Math.max(...counted) + items.size;
}

function requirementsOf(all: readonly ReportFinding[], packOrder: readonly string[]): { pack: string; id: string }[] {
  const seen = new Set<string>();
  const out: { pack: string; id: string }[] = [];
  for (const f of all)
    for (const r of f.requirements) {
      const key = `${r.pack}\u0000${r.id}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(r);
      }
    }
  const at = (p: string) => (packOrder.includes(p) ? packOrder.indexOf(p) : packOrder.length);
  return out.sort((a, b) => at(a.pack) - at(b.pack));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The engine's missing-evidence entries the gaps do not already say: a kind with no export, or a
 * stale export (an entry about fields the items lack is one of the gaps, said there once).
 */
export function missingExports<T extends { reason: string; ruleIds: string[]; snapshot?: unknown }>(
  missing: readonly T[],
  gaps: readonly ExportGap[],
): T[] {
  const said = new Set(gaps.flatMap((g) => g.rules.map((r) => r.id)));
  return missing.filter(
    (m) => m.snapshot !== undefined || /^no \w+ snapshot$/.test(m.reason) || !m.ruleIds.every((id) => said.has(id)),
  );
}
