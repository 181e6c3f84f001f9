/**
 * The waivers in force at the evaluation: what each covers, why, who approved and created it,
 * when it expires, and how many of this report's findings it waives. Waivers whose item pattern
 * is outside the glob grammar (stored before it was enforced) were never applied: they are
 * listed apart, as invalid, with the reason — never silently left out.
 */
import type { ReportWaiver } from '../../report-data.js';
import { paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row } from '../table.js';
import { FONT, INK, SIZE } from '../theme.js';
import { count, formatDate } from '../text.js';

const DAY_MS = 86_400_000;

/** The waivers section. */
export function renderWaivers(ctx: RenderContext): void {
  const { doc, data } = ctx;
  startSection(ctx, 'Waivers in force', 'waivers', { flow: true });
  const inForce = data.waivers.filter((w) => w.invalid === undefined);
  const invalid = data.waivers.filter((w) => w.invalid !== undefined);
  if (inForce.length === 0) {
    paragraph(doc, 'No waivers were in force at the evaluation: every finding counts.');
  } else {
    renderInForce(ctx, inForce);
  }
  if (invalid.length > 0) renderInvalid(ctx, invalid);
}

function renderInForce(ctx: RenderContext, waivers: ReportWaiver[]): void {
  const { doc, data } = ctx;
  paragraph(
    doc,
    `${count(waivers.length, 'waiver')} in force at the evaluation. A waived finding still appears under Findings; it counts as passing only in the "with waivers" score.`,
    { color: INK.muted },
  );
  const covered = new Map<string, number>();
  for (const f of data.findings) if (f.waiverId) covered.set(f.waiverId, (covered.get(f.waiverId) ?? 0) + 1);
  drawTable(
    doc,
    {
      caption: 'Waivers in force',
      columns: [
        { header: 'Rule and scope', weight: 2 },
        { header: 'Justification', weight: 3 },
        { header: 'Approved by / created by', weight: 1.5 },
        { header: 'Created / expires', weight: 1.3 },
      ],
    },
    waivers.map((w) => waiverRow(w, covered.get(w.id) ?? 0, data.evaluation.asOf)),
  );
}

function renderInvalid(ctx: RenderContext, waivers: ReportWaiver[]): void {
  const { doc } = ctx;
  paragraph(
    doc,
    `${count(waivers.length, 'waiver')} invalid: stored before item patterns were checked, with an item pattern this service cannot read. Never applied: the findings they name count as they are. Revoke and re-create them.`,
    { color: INK.muted },
  );
  drawTable(
    doc,
    {
      caption: 'Invalid waivers (not applied)',
      columns: [
        { header: 'Rule and pattern', weight: 2 },
        { header: 'Why it is invalid', weight: 2.5 },
        { header: 'Approved by / created by', weight: 1.5 },
      ],
    },
    waivers.map((w) => ({
      cells: [
        [
          { text: w.ruleId, font: FONT.bold },
          { text: `items: ${w.itemMatch}`, font: FONT.mono, size: SIZE.mono },
          { text: `invalid · id ${w.id}`, size: SIZE.small, color: INK.muted },
        ],
        w.invalid ?? '',
        [
          { text: `approved by ${w.approvedBy}` },
          { text: `requested by ${w.createdBy}`, size: SIZE.small, color: INK.muted },
        ],
      ],
    })),
  );
}

function waiverRow(w: ReportWaiver, findings: number, asOf: Date): Row {
  const muted = { size: SIZE.small, color: INK.muted };
  const days = Math.floor((w.expiresAt.getTime() - asOf.getTime()) / DAY_MS);
  return {
    cells: [
      [
        { text: w.ruleId, font: FONT.bold },
        { text: w.packId ? `pack ${w.packId}` : 'every pack', ...muted },
        { text: `items: ${w.itemMatch}`, font: FONT.mono, size: SIZE.mono },
        { text: `${count(findings, 'finding')} waived here · id ${w.id}`, ...muted },
      ],
      w.justification,
      [{ text: `approved by ${w.approvedBy}` }, { text: `requested by ${w.createdBy}`, ...muted }],
      [
        { text: `requested ${formatDate(w.createdAt)}`, ...muted },
        ...(w.approvedAt && w.approvedAt.getTime() !== w.createdAt.getTime()
          ? [{ text: `approved ${formatDate(w.approvedAt)}`, ...muted }]
          : []),
        { text: `expires ${formatDate(w.expiresAt)}` },
        { text: days >= 0 ? `${count(days, 'day')} after the evaluation` : 'expired before the evaluation', ...muted },
      ],
    ],
  };
}
