/**
 * Executive summary, in plain language and at most two pages: where each pack stands, the ten
 * most severe distinct problems (one sentence each: how many items, which requirements), what
 * changed since the previous report, and what could not be checked with the one export that
 * would let it be checked.
 */
import type { ScoreFigure } from '../../../core/results.js';
import { scoresOf } from '../../../core/scores.js';
import { humanMessage, plainHint } from '../../human.js';
import { missingExports, type ExportGap, type Problem } from '../../problems.js';
import { heading2, paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row, type TextPart } from '../table.js';
import { FONT, INK, SIZE, severityChip } from '../theme.js';
import { count, delta, formatDate, percent } from '../text.js';
import { requirementsText } from './requirement-label.js';

/** Resolved items named in "what changed" at most; the rest are counted. */
const RESOLVED_NAMED = 8;

/** Distinct problems listed at most. */
export const TOP_PROBLEMS = 10;

export interface SummaryInput {
  problems: readonly Problem[];
  gaps: readonly ExportGap[];
}

/** The executive summary section. */
export function renderSummary(ctx: RenderContext, input: SummaryInput): void {
  const { doc, data } = ctx;
  startSection(ctx, 'Executive summary', 'summary', { flow: true });
  paragraph(doc, standing(ctx, input));
  heading2(doc, 'The most severe problems', 40);
  const top = topProblems(input.problems);
  if (top.length === 0) paragraph(doc, 'No rule found a problem.', { color: INK.muted });
  drawTable(
    doc,
    {
      caption: 'The most severe problems',
      columns: [
        { header: 'Severity', weight: 0.8 },
        { header: 'Problem', weight: 4.4 },
        { header: 'Requirements', weight: 2.6 },
      ],
    },
    top.map((t) => topRow(ctx, t)),
  );
  heading2(doc, 'What changed since the previous report', 30);
  paragraph(doc, changes(ctx));
  heading2(doc, 'What could not be checked', 40);
  const unchecked = uncheckedRows(ctx, input.gaps);
  if (unchecked.length === 0) paragraph(doc, 'Every rule had the evidence it reads.', { color: INK.muted });
  drawTable(
    doc,
    {
      caption: 'What could not be checked',
      columns: [
        { header: 'What could not be checked', weight: 3.2 },
        { header: 'The export that would fix it', weight: 3 },
      ],
    },
    unchecked,
  );
  paragraph(doc, `Report data: ${data.tenant.name}, evaluation ${data.evaluation.id}.`, {
    size: SIZE.small,
    color: INK.muted,
  });
}

function standing(ctx: RenderContext, input: SummaryInput): string {
  const packs = ctx.data.evaluation.packs.map((p) => {
    const s = scoresOf(p);
    return `${p.title}: ${fig(s.verified)} of the requirements a rule can check are verified from configuration, ${fig(s.withAttestations)} with attestations`;
  });
  const items = new Set(input.problems.map((p) => `${p.source}/${p.item?.id ?? ''}`)).size;
  const head = `${count(input.problems.length, 'problem')} on ${count(items, 'item')} (accounts, devices, firewall rules).`;
  return `${packs.join('. ')}. ${head}`;
}

const fig = (f: ScoreFigure) => `${percent(f.value)} (${f.numerator} of ${f.denominator})`;

interface TopProblem {
  ruleId: string;
  title: string;
  severity: Problem['severity'];
  problems: Problem[];
}

/** The ten most severe rules with problems (a rule is one distinct problem, however many items). */
export function topProblems(problems: readonly Problem[]): TopProblem[] {
  const byRule = new Map<string, TopProblem>();
  for (const p of problems) {
    if (p.status === 'waived') continue;
    const t = byRule.get(p.ruleId);
    if (t) t.problems.push(p);
    else byRule.set(p.ruleId, { ruleId: p.ruleId, title: p.title, severity: p.severity, problems: [p] });
  }
  return [...byRule.values()].slice(0, TOP_PROBLEMS); // problems arrive most severe first
}

function topRow(ctx: RenderContext, t: TopProblem): Row {
  const names = t.problems.map((p) => p.item?.name ?? p.item?.id ?? `the ${p.source ?? ''} export`);
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  const failing = t.problems.filter((p) => p.status === 'fail').length;
  const verb =
    failing === t.problems.length
      ? 'fails for'
      : failing === 0
        ? 'could not be checked for'
        : 'fails or could not be checked for';
  const reqs = requirementsText(
    ctx,
    t.problems.flatMap((p) => p.requirements),
  );
  return {
    cells: [
      { chips: [severityChip(t.severity)] },
      [
        { text: `${t.title}: ${verb} ${count(t.problems.length, 'item')}.`, font: FONT.bold },
        { text: shown, size: SIZE.small, color: INK.muted },
      ],
      [{ text: reqs, size: SIZE.small }],
    ],
  };
}

function changes(ctx: RenderContext): string {
  const { data } = ctx;
  const d = data.evaluation.diff;
  if (d.previousId === null || !data.previous)
    return 'This is the first report: there is no previous evaluation to compare with.';
  const before = new Map(data.previous.scores.map((s) => [s.packId, s]));
  const moves = data.evaluation.packs.map((p) => {
    const b = before.get(p.id)?.figures?.withAttestations;
    return `${p.title} ${delta(scoresOf(p).withAttestations.value, b)} with attestations`;
  });
  const resolved = [
    ...new Set(d.resolvedFindings.map((r) => `${r.itemName ?? r.itemId ?? 'an export'} (${r.ruleId})`)),
  ];
  const named =
    resolved.length === 0
      ? ''
      : ` Resolved: ${resolved.slice(0, RESOLVED_NAMED).join(', ')}${resolved.length > RESOLVED_NAMED ? ` and ${resolved.length - RESOLVED_NAMED} more` : ''}.`;
  return `Compared with the evaluation as of ${formatDate(data.previous.asOf)}: ${count(d.new, 'new finding')}, ${count(d.resolved, 'finding')} resolved, ${d.unchanged} unchanged. ${moves.join('; ')}.${named}`;
}

function uncheckedRows(ctx: RenderContext, gaps: readonly ExportGap[]): Row[] {
  const rows: Row[] = [];
  for (const m of missingExports(ctx.data.evaluation.missingEvidence, gaps)) {
    const what = m.snapshot
      ? `Nothing passes on the ${m.snapshot.source} export any more: it was collected ${count(m.snapshot.ageDays, 'day')} before the evaluation.`
      : m.reason.startsWith('no ')
        ? `${cap(m.kind)} checks (${count(m.ruleIds.length, 'rule')}): no ${m.kind} export was sent.`
        : `${cap(m.kind)}: ${humanMessage(m.reason)}.`;
    rows.push({ cells: [what, [{ text: cap(plainHint(m.hint)) }]] });
  }
  for (const g of gaps) {
    const hint = g.rules.find((r) => r.evidence)?.evidence ?? `an export of ${g.source ?? 'this kind'} that carries it`;
    rows.push({
      cells: [
        `${g.rules.map((r) => r.title).join('; ')} (${g.source ?? 'export'}: see "What the exports do not show").`,
        [{ text: cap(plainHint(hint)) }],
      ],
    });
  }
  return rows;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "60.0%" over "3 / 5": a figure is never shown without its numerator and denominator. */
export function figureCell(f: ScoreFigure): TextPart[] {
  return [
    { text: percent(f.value), font: FONT.bold },
    { text: `${f.numerator} / ${f.denominator}`, size: 7 },
  ];
}
