/**
 * The findings section: per pack, per requirement with findings, per rule (its remediation once),
 * a table of findings with the item, severity, status, message and evidence.
 */
import type { PackResult, RuleResult } from '../../../core/results.js';
import type { ReportFinding } from '../../report-data.js';
import { chip, ensureSpace, frame, heading2, heading3, paragraph, style } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { evidenceLines } from '../evidence.js';
import { drawTable, type Row, type TextPart } from '../table.js';
import { FONT, INK, SIZE, severityChip, stateChip } from '../theme.js';
import { count, safeText, truncate } from '../text.js';
import { findingsByPack, groupFindings, type RequirementGroup, type RuleGroup } from './finding-groups.js';

const FINDING_COLUMNS = [
  { header: 'Item', weight: 1.7 },
  { header: 'Severity / status', weight: 1.05 },
  { header: 'Finding and evidence', weight: 4 },
];

/** The findings section. */
export function renderFindings(ctx: RenderContext): void {
  const { doc, data } = ctx;
  startSection(ctx, 'Findings', 'findings');
  paragraph(
    doc,
    'Findings are grouped by pack, then by requirement: a finding that evidences several requirements is listed under each of them. Remediation is given once per rule. Evidence shows the fields the rule read, as recorded at evaluation time; contact details and secrets are withheld.',
    { color: INK.muted },
  );
  const byPack = findingsByPack(data.findings);
  const rules = new Map(data.evaluation.rules.map((r) => [`${r.packId}\u0000${r.ruleId}`, r]));
  for (const pack of data.evaluation.packs) renderPack({ ...ctx, rules }, pack, byPack.get(pack.id) ?? []);
}

/** The render context plus the per-(pack, rule) results, for the counts and parameters of each rule. */
interface FindingsContext extends RenderContext {
  rules: Map<string, RuleResult>;
}

function renderPack(ctx: FindingsContext, pack: PackResult, findings: ReportFinding[]): void {
  const { doc } = ctx;
  heading2(doc, `${pack.title}: ${count(findings.length, 'finding')}`);
  if (findings.length === 0) {
    paragraph(doc, 'No findings for this pack.', { color: INK.muted });
    return;
  }
  for (const group of groupFindings(pack, findings)) renderRequirement(ctx, pack, group);
}

function renderRequirement(ctx: FindingsContext, pack: PackResult, group: RequirementGroup): void {
  const { doc } = ctx;
  const req = group.requirement;
  heading3(doc, req ? `${req.citation} — ${req.title}` : 'Not mapped to a requirement of this pack', 110);
  const { left } = frame(doc);
  const y = doc.y;
  const w = req ? chip(doc, left, y, stateChip(req.state)) + 6 : 0;
  style(doc, { size: SIZE.table, color: INK.muted }).text(
    safeText(`${count(group.findings, 'finding')}`),
    left + w,
    y + 1.5,
    { lineBreak: false },
  );
  doc.y = y + 14;
  for (const rule of group.rules) renderRule(ctx, pack, group, rule);
}

function renderRule(ctx: FindingsContext, pack: PackResult, group: RequirementGroup, rule: RuleGroup): void {
  const { doc } = ctx;
  ensureSpace(doc, 80);
  paragraph(
    doc,
    `${rule.title}  (${rule.ruleId}, ${rule.severity}, ${count(rule.findings.length, 'finding')})`,
    { font: FONT.bold, size: SIZE.body },
    1,
  );
  const result = ctx.rules.get(`${pack.id}\u0000${rule.ruleId}`);
  if (result) paragraph(doc, judged(result), { size: SIZE.small, color: INK.muted }, 1);
  if (rule.remediation)
    paragraph(doc, `Remediation: ${truncate(rule.remediation, 1500)}`, { size: SIZE.table, color: INK.text }, 3);
  const where = group.requirement ? group.requirement.citation : 'not mapped';
  drawTable(
    doc,
    { caption: `${pack.title} · ${where} · ${rule.title}`, columns: FINDING_COLUMNS },
    findingRows(rule.findings),
  );
}

const COUNT_ORDER = ['pass', 'fail', 'error', 'insufficient_evidence', 'waived', 'not_applicable'] as const;

/** "Judged 29 items: 25 pass, 1 fail, 3 not applicable · parameters: maxInactiveDays = 90". */
function judged(result: RuleResult): string {
  const c = result.counts;
  const total = COUNT_ORDER.reduce((s, k) => s + c[k], 0);
  const parts = COUNT_ORDER.filter((k) => c[k] > 0).map((k) => `${c[k]} ${k.replace(/_/g, ' ')}`);
  const params = Object.entries(result.parameters).map(
    ([k, v]) => `${k} = ${truncate(JSON.stringify(v) ?? String(v), 80)}`,
  );
  const caveats = [
    result.assumed ? `${count(result.assumed, 'verdict')} on an assumption` : '',
    result.stale ? `${count(result.stale, 'item')} on stale evidence` : '',
  ].filter(Boolean);
  return `Judged ${count(total, 'item')}${parts.length ? `: ${parts.join(', ')}` : ''}${caveats.length ? ` · ${caveats.join(', ')}` : ''}${params.length ? ` · parameters: ${params.join(', ')}` : ''}`;
}

function* findingRows(findings: readonly ReportFinding[]): Iterable<Row> {
  for (const f of findings)
    yield { cells: [itemCell(f), { chips: [severityChip(f.severity), stateChip(f.status)] }, detailCell(f)] };
}

function itemCell(f: ReportFinding): TextPart[] {
  const muted = { size: SIZE.small, color: INK.muted };
  if (!f.item)
    return [
      { text: '(whole export)', font: FONT.italic },
      { text: `source ${f.source ?? 'unknown'}`, ...muted },
    ];
  const where = [f.item.name !== null ? `id ${truncate(f.item.id, 120)}` : '', f.source ? `source ${f.source}` : '']
    .filter(Boolean)
    .join(' · ');
  return [
    { text: truncate(f.item.name ?? f.item.id, 120), font: FONT.bold },
    { text: where, ...muted },
  ];
}

function detailCell(f: ReportFinding): TextPart[] {
  const out: TextPart[] = [];
  // a verdict that rests on an assumption, or on old evidence, says so before anything else
  if (f.assumed.length > 0)
    out.push({
      text: `Judged on an assumption: ${f.assumed.join(', ')} (not stated by the export)`,
      font: FONT.bold,
      size: SIZE.small,
      color: INK.text,
    });
  if (f.stale)
    out.push({
      text: 'Stale evidence: collected longer ago than the evidence age limit',
      font: FONT.bold,
      size: SIZE.small,
      color: INK.text,
    });
  out.push({ text: truncate(f.message, 600) });
  const evidence = evidenceLines(f.evidence);
  if (evidence.length > 0)
    out.push({ text: evidence.join('\n'), font: FONT.mono, size: SIZE.mono - 0.5, color: '#333333' });
  if (f.waiverId)
    out.push({ text: `waived under waiver ${f.waiverId}`, font: FONT.italic, size: SIZE.small, color: INK.muted });
  return out;
}
