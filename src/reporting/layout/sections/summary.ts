/**
 * Executive summary: the three scores of each pack (verified from configuration, with
 * attestations, with waivers) and the change since the previous evaluation, requirements by state, findings by severity and status, the chart of
 * states per requirement family, and what changed since the previous evaluation.
 */
import type { PackResult, ScoreFigure } from '../../../core/results.js';
import { scoresOf } from '../../../core/scores.js';
import { heading2, heading3, paragraph } from '../blocks.js';
import { drawFamilyBars, drawLegend, familyBars } from '../chart.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row, type TextPart } from '../table.js';
import { FINDING_ORDER, FONT, INK, SEVERITIES, STATE_LABEL, STATES, stateChip } from '../theme.js';
import { count, delta, formatDateTime, percent } from '../text.js';
import { renderChanges } from './changes.js';

/** The executive summary section. */
export function renderSummary(ctx: RenderContext): void {
  const { doc, data } = ctx;
  startSection(ctx, 'Executive summary', 'summary');
  paragraph(
    doc,
    `Evaluation ${data.evaluation.id} of ${data.tenant.name} as of ${formatDateTime(data.evaluation.asOf)}: ${count(data.evaluation.packs.length, 'pack')}, ${count(data.findings.length, 'finding')}.`,
  );
  paragraph(
    doc,
    'Three figures per pack, always together, over the requirements that apply (not applicable and informational ones are left out). "Verified from configuration": requirements that pass over those a rule can judge (manual ones left out). "With attestations": passing and attested requirements over all that apply. "With waivers": passing, attested and waived ones over all that apply. Insufficient evidence, manual (not attested), failing and broken requirements count against every figure.',
    { color: INK.muted },
  );
  heading2(doc, 'Scores');
  drawTable(doc, scoreSpec(ctx), scoreRows(ctx));
  heading2(doc, 'Requirements by state');
  drawTable(
    doc,
    {
      caption: 'Requirements by state',
      columns: [{ header: 'Pack', weight: 2.4 }, ...STATES.map((s) => ({ header: STATE_LABEL[s], weight: 1 }))],
    },
    data.evaluation.packs.map((p) => ({
      cells: [p.title, ...STATES.map((s) => String(p.requirements.filter((r) => r.state === s).length))],
    })),
  );
  heading2(doc, 'Findings by severity and status');
  drawTable(
    doc,
    {
      caption: 'Findings by severity and status',
      columns: [
        { header: 'Status', weight: 2 },
        ...SEVERITIES.map((s) => ({ header: s, weight: 1 })),
        { header: 'total', weight: 1 },
      ],
    },
    severityRows(ctx),
  );
  renderCharts(ctx);
  renderChanges(ctx);
}

function scoreSpec(ctx: RenderContext) {
  const since = ctx.data.previous ? 'change since previous' : 'change (no previous evaluation)';
  return {
    caption: 'Scores',
    columns: [
      { header: 'Pack', weight: 2.2 },
      { header: 'Verified from configuration', weight: 1.2 },
      { header: 'With attestations', weight: 1.2 },
      { header: 'With waivers', weight: 1.2 },
      { header: 'Insufficient evidence / manual', weight: 1.1 },
      { header: `With attestations: ${since}`, weight: 1.2 },
    ],
  };
}

function scoreRows(ctx: RenderContext): Row[] {
  const previous = new Map((ctx.data.previous?.scores ?? []).map((s) => [s.packId, s]));
  return ctx.data.evaluation.packs.map((p) => {
    const before = previous.get(p.id);
    const s = scoresOf(p);
    return {
      cells: [
        [
          { text: p.title, font: FONT.bold },
          { text: `${p.id} ${p.version}`, color: INK.muted, size: 7 },
        ],
        figureCell(s.verified),
        figureCell(s.withAttestations),
        figureCell(s.withWaivers),
        `${s.states.insufficient_evidence} / ${s.states.manual}`,
        delta(s.withAttestations.value, before?.figures?.withAttestations),
      ],
    };
  });
}

/** "60.0%" over "3 / 5": a figure is never shown without its numerator and denominator. */
export function figureCell(f: ScoreFigure): TextPart[] {
  return [
    { text: percent(f.value), font: FONT.bold },
    { text: `${f.numerator} / ${f.denominator}`, size: 7 },
  ];
}

function severityRows(ctx: RenderContext): Row[] {
  const table = new Map(FINDING_ORDER.map((s) => [s, new Map(SEVERITIES.map((v) => [v, 0]))]));
  for (const f of ctx.data.findings) {
    const row = table.get(f.status)!;
    row.set(f.severity, row.get(f.severity)! + 1);
  }
  const rows: Row[] = FINDING_ORDER.map((status) => {
    const counts = SEVERITIES.map((v) => table.get(status)!.get(v)!);
    return {
      cells: [{ chips: [stateChip(status)] }, ...counts.map(String), String(counts.reduce((a, b) => a + b, 0))],
    };
  });
  const totals = SEVERITIES.map((v) => FINDING_ORDER.reduce((s, st) => s + table.get(st)!.get(v)!, 0));
  rows.push({
    cells: [[{ text: 'all findings', font: FONT.bold }], ...totals.map(String), String(ctx.data.findings.length)],
  });
  return rows;
}

function renderCharts(ctx: RenderContext): void {
  const { doc } = ctx;
  heading2(doc, 'State per requirement family', 120);
  paragraph(
    doc,
    'One bar per requirement family; each bar is split by the states of its requirements, and the number after it is how many requirements the family has.',
    { color: INK.muted },
  );
  drawLegend(doc);
  for (const pack of ctx.data.evaluation.packs) chartOf(doc, pack);
}

function chartOf(doc: PDFKit.PDFDocument, pack: PackResult): void {
  const bars = familyBars(pack);
  heading3(doc, `${pack.title} (${pack.version})`, Math.min(bars.length, 4) * 17);
  if (bars.length === 0) paragraph(doc, 'This pack has no requirements.', { color: INK.muted });
  drawFamilyBars(doc, bars);
}
