/**
 * Findings arranged as the report lists them: pack → requirement → rule → findings. A finding
 * appears under every requirement of its pack it evidences; one whose requirements are not in
 * the pack (should not happen) is kept under a "not mapped" group rather than dropped.
 */
import type { PackResult, RequirementResult } from '../../../core/results.js';
import type { ReportFinding } from '../../report-data.js';
import { FINDING_ORDER, type Severity } from '../theme.js';

export interface RuleGroup {
  ruleId: string;
  title: string;
  remediation: string;
  severity: Severity;
  findings: ReportFinding[];
}

export interface RequirementGroup {
  /** null: findings that name no requirement of this pack */
  requirement: RequirementResult | null;
  rules: RuleGroup[];
  findings: number;
}

/** Findings by pack id, in their original order. */
export function findingsByPack(findings: readonly ReportFinding[]): Map<string, ReportFinding[]> {
  const out = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    const list = out.get(f.packId);
    if (list) list.push(f);
    else out.set(f.packId, [f]);
  }
  return out;
}

/** The requirement groups of `pack` that have findings, in the pack's requirement order. */
export function groupFindings(pack: PackResult, findings: readonly ReportFinding[]): RequirementGroup[] {
  const known = new Set(pack.requirements.map((r) => r.id));
  const byRequirement = new Map<string | null, ReportFinding[]>();
  for (const f of findings) {
    const ids = new Set(f.requirements.filter((r) => r.pack === pack.id && known.has(r.id)).map((r) => r.id));
    for (const id of ids.size > 0 ? ids : [null]) {
      const list = byRequirement.get(id);
      if (list) list.push(f);
      else byRequirement.set(id, [f]);
    }
  }
  const groups: RequirementGroup[] = [];
  for (const req of [...pack.requirements, null]) {
    const list = byRequirement.get(req?.id ?? null);
    if (list) groups.push({ requirement: req, rules: ruleGroups(list, req?.rules ?? []), findings: list.length });
  }
  return groups;
}

/** Rules in the requirement's order (others after, by first appearance); findings worst status first. */
function ruleGroups(findings: readonly ReportFinding[], order: readonly string[]): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const id of order) groups.set(id, { ruleId: id, title: id, remediation: '', severity: 'info', findings: [] });
  for (const f of findings) {
    let g = groups.get(f.ruleId);
    if (!g)
      groups.set(
        f.ruleId,
        (g = { ruleId: f.ruleId, title: f.ruleId, remediation: '', severity: f.severity, findings: [] }),
      );
    if (g.findings.length === 0)
      Object.assign(g, { title: f.ruleTitle, remediation: f.remediation, severity: f.severity });
    g.findings.push(f);
  }
  const rank = (f: ReportFinding) => FINDING_ORDER.indexOf(f.status);
  const out = [...groups.values()].filter((g) => g.findings.length > 0);
  for (const g of out) g.findings.sort((a, b) => rank(a) - rank(b)); // stable: ties keep the data's order
  return out;
}
