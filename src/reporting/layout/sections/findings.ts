/**
 * The findings section: each problem once per (rule, item), grouped by rule (its remediation
 * once), with every requirement of every pack it affects, the message in plain words and the
 * fields the rule read as label/value lines. Raw field names and origin pointers are in the
 * technical appendix, under the problem's number.
 */
import type { RuleResult } from '../../../core/results.js';
import { evidenceRows, humanMessage, plainHint } from '../../human.js';
import type { Problem } from '../../problems.js';
import { ensureSpace, paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row, type TextPart } from '../table.js';
import { FONT, INK, SIZE, severityChip, stateChip } from '../theme.js';
import { count, truncate } from '../text.js';
import { requirementsText } from './requirement-label.js';

const COLUMNS = [
  { header: 'No.', weight: 0.45 },
  { header: 'Item', weight: 1.6 },
  { header: 'Status', weight: 1.35 },
  { header: 'What was found', weight: 3.5 },
  { header: 'Requirements', weight: 1.6 },
];

/** The findings section. */
export function renderFindings(ctx: RenderContext, problems: readonly Problem[]): void {
  const { doc } = ctx;
  startSection(ctx, 'Findings', 'findings');
  paragraph(
    doc,
    `${count(problems.length, 'problem')}, each listed once with every requirement it affects, most severe first. The evidence is what the rule read, as recorded at the evaluation; contact details and secrets are withheld. The technical appendix gives each problem's rule, raw field names and place in the export.`,
    { color: INK.muted },
  );
  const rules = new Map(ctx.data.evaluation.rules.map((r) => [r.ruleId, r]));
  for (const group of byRule(problems)) renderRule(ctx, group, rules.get(group[0]!.ruleId));
}

function byRule(problems: readonly Problem[]): Problem[][] {
  const out = new Map<string, Problem[]>();
  for (const p of problems) {
    const list = out.get(p.ruleId);
    if (list) list.push(p);
    else out.set(p.ruleId, [p]);
  }
  return [...out.values()];
}

function renderRule(ctx: RenderContext, problems: Problem[], result: RuleResult | undefined): void {
  const { doc } = ctx;
  const first = problems[0]!;
  ensureSpace(doc, 90);
  doc.y += 4;
  paragraph(
    doc,
    `${first.title} (${first.severity}, ${count(problems.length, 'item')})`,
    {
      font: FONT.bold,
      size: SIZE.body + 0.5,
      color: INK.accent,
    },
    1,
  );
  if (result) paragraph(doc, judged(result), { size: SIZE.small, color: INK.muted }, 1);
  if (first.remediation)
    paragraph(
      doc,
      `What to do: ${truncate(plainHint(first.remediation), 900)}`,
      { size: SIZE.table, color: INK.text },
      3,
    );
  drawTable(
    doc,
    { caption: first.title, columns: COLUMNS },
    problems.map((p) => problemRow(ctx, p)),
  );
}

/** "Checked 29 items: 25 pass, 1 fail, 3 not applicable." */
function judged(result: RuleResult): string {
  const c = result.counts;
  const keys = ['pass', 'fail', 'error', 'insufficient_evidence', 'waived', 'not_applicable'] as const;
  const total = keys.reduce((s, k) => s + c[k], 0);
  const parts = keys.filter((k) => c[k] > 0).map((k) => `${c[k]} ${k.replace(/_/g, ' ')}`);
  return `Checked ${count(total, 'item')}${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

function problemRow(ctx: RenderContext, p: Problem): Row {
  return {
    cells: [
      [{ text: String(p.no), size: SIZE.small, color: INK.muted }],
      itemCell(p),
      { chips: [severityChip(p.severity), stateChip(p.status)] },
      detailCell(p),
      [{ text: requirementsText(ctx, p.requirements), size: SIZE.small }],
    ],
  };
}

function itemCell(p: Problem): TextPart[] {
  const muted = { size: SIZE.small, color: INK.muted };
  if (!p.item)
    return [
      { text: `the whole ${p.source ?? ''} export`, font: FONT.italic },
      { text: '', ...muted },
    ];
  return [
    { text: truncate(p.item.name ?? p.item.id, 120), font: FONT.bold },
    { text: p.source ? `from ${p.source}` : '', ...muted },
  ];
}

function detailCell(p: Problem): TextPart[] {
  const out: TextPart[] = [];
  if (p.stale && !/stale/i.test(p.message))
    out.push({
      text: 'Stale evidence: the export is older than the evidence age limit.',
      font: FONT.bold,
      size: SIZE.small,
    });
  if (p.assumed.length > 0)
    out.push({
      text: `Judged on an assumption: the export does not state ${p.assumed.join(', ')}.`,
      font: FONT.bold,
      size: SIZE.small,
    });
  out.push({ text: truncate(humanMessage(p.message), 500) });
  const rows = evidenceRows(p.evidence, 4);
  if (rows.length > 0)
    out.push({
      text: rows.map((r) => `${r.label}: ${truncate(r.value, 60)}`).join('  ·  '),
      size: SIZE.small,
      color: '#333333',
    });
  if (p.waiverIds.length > 0)
    out.push({ text: `Waived under ${p.waiverIds.join(', ')}`, font: FONT.italic, size: SIZE.small, color: INK.muted });
  return out;
}
