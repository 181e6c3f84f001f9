/**
 * What could not be checked and why — a kind with no snapshot at all, or items lacking the fields
 * a rule reads — and which export would let it be checked.
 */
import type { MissingEvidence } from '../../../core/results.js';
import { paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row } from '../table.js';
import { FONT, INK, SIZE } from '../theme.js';
import { truncate } from '../text.js';

/** The missing-evidence section. */
export function renderMissingEvidence(ctx: RenderContext): void {
  const { doc, data } = ctx;
  startSection(ctx, 'Missing evidence', 'missing-evidence');
  const missing = data.evaluation.missingEvidence;
  if (missing.length === 0) {
    paragraph(doc, 'Nothing is missing: every rule had the evidence it reads.');
    return;
  }
  paragraph(
    doc,
    'These checks could not be made with the snapshots the evaluation had. The affected requirements are "insufficient evidence" until the export named in the last column is sent.',
    { color: INK.muted },
  );
  drawTable(
    doc,
    {
      caption: 'Missing evidence',
      columns: [
        { header: 'Evidence', weight: 1 },
        { header: 'Rules', weight: 1.9 },
        { header: 'Why it could not be checked', weight: 2.4 },
        { header: 'Export that would let it be checked', weight: 2.4 },
      ],
    },
    missing.map(missingRow),
  );
}

function missingRow(m: MissingEvidence): Row {
  return {
    cells: [
      [{ text: m.kind, font: FONT.bold }],
      [{ text: m.ruleIds.join('\n'), size: SIZE.small }],
      truncate(m.reason, 800),
      [{ text: truncate(m.hint, 800) || 'an export of this kind', color: INK.text }],
    ],
  };
}
