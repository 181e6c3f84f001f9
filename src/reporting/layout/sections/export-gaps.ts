/**
 * "What the exports do not show": each fact about a whole export — a field it never carries, an
 * export not sent, an export too old — once, with the checks it left open, the requirements they
 * serve, and the export that would show it. Never repeated per requirement or pack.
 */
import type { MissingEvidence } from '../../../core/results.js';
import { humanMessage, plainHint } from '../../human.js';
import { missingExports, type ExportGap } from '../../problems.js';
import { heading2, paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row } from '../table.js';
import { FONT, INK, SIZE } from '../theme.js';
import { count, truncate } from '../text.js';
import { requirementsText } from './requirement-label.js';

export const EXPORT_GAPS_TITLE = 'What the exports do not show';

export function renderExportGaps(ctx: RenderContext, gaps: readonly ExportGap[]): void {
  const { doc, data } = ctx;
  startSection(ctx, EXPORT_GAPS_TITLE, 'missing-evidence', { flow: true });
  const missing = missingExports(data.evaluation.missingEvidence, gaps);
  if (gaps.length === 0 && missing.length === 0) {
    paragraph(doc, 'Nothing is missing: every rule had the evidence it reads.');
    return;
  }
  paragraph(
    doc,
    'The checks below could not be made with the exports the evaluation had; the requirements they serve count as insufficient evidence until the export named in the last column is sent.',
    { color: INK.muted },
  );
  if (gaps.length > 0) {
    heading2(doc, 'Fields the exports do not carry', 40);
    drawTable(
      doc,
      {
        caption: 'Fields the exports do not carry',
        columns: [
          { header: 'Export', weight: 1 },
          { header: 'What it does not show', weight: 2.2 },
          { header: 'Checks left open', weight: 2.2 },
          { header: 'Export that would show it', weight: 2.4 },
        ],
      },
      gaps.map((g) => gapRow(ctx, g)),
    );
  }
  if (missing.length > 0) {
    heading2(doc, 'Exports missing or too old', 40);
    drawTable(
      doc,
      {
        caption: 'Exports missing or too old',
        columns: [
          { header: 'Evidence', weight: 1 },
          { header: 'Why it could not be checked', weight: 3.2 },
          { header: 'Export that would let it be checked', weight: 2.6 },
        ],
      },
      missing.map(missingRow),
    );
  }
}

function gapRow(ctx: RenderContext, g: ExportGap): Row {
  const reqs = requirementsText(ctx, g.requirements);
  return {
    cells: [
      [{ text: g.source ?? 'export', font: FONT.bold }],
      [
        { text: humanMessage(`${g.reason}`) },
        {
          text: g.items === null ? '' : `${count(g.items, 'item')} left unchecked`,
          size: SIZE.small,
          color: INK.muted,
        },
      ],
      [
        { text: g.rules.map((r) => r.title).join('\n'), size: SIZE.small },
        { text: `Requirements: ${reqs}`, size: SIZE.small, color: INK.muted },
      ],
      [{ text: truncate(plainHint(g.rules.find((r) => r.evidence)?.evidence ?? 'an export that carries it'), 400) }],
    ],
  };
}

function missingRow(m: MissingEvidence): Row {
  return {
    cells: [
      [{ text: m.kind, font: FONT.bold }],
      [
        { text: truncate(humanMessage(m.reason), 600) },
        { text: `Checks: ${m.ruleIds.join(', ')}`, size: SIZE.small, color: INK.muted },
      ],
      [{ text: truncate(plainHint(m.hint), 600) || 'an export of this kind' }],
    ],
  };
}
