/**
 * "Change since the previous evaluation" in the executive summary: which evaluation is compared,
 * the new / resolved / unchanged finding counts, and the resolved findings themselves (the first
 * few; the full list is in the evaluation's diff).
 */
import type { ResolvedFinding } from '../../../core/results.js';
import { heading2, keyValues, paragraph } from '../blocks.js';
import type { RenderContext } from '../context.js';
import { drawTable, type Row } from '../table.js';
import { FINDING_STATUSES, isOneOf, SEVERITIES } from '../../../core/vocabulary.js';
import { INK, severityChip, stateChip } from '../theme.js';
import { formatDateTime } from '../text.js';

/** Resolved findings listed in the summary at most; the rest are counted. */
export const RESOLVED_LISTED = 50;

/** The change-since-previous part of the summary. */
export function renderChanges(ctx: RenderContext): void {
  const { doc, data } = ctx;
  const { diff } = data.evaluation;
  heading2(doc, 'Change since the previous evaluation');
  if (diff.previousId === null) {
    paragraph(doc, 'There is no previous evaluation to compare with: every finding is new.');
    return;
  }
  const previous =
    data.previous && data.previous.id === diff.previousId ? ` as of ${formatDateTime(data.previous.asOf)}` : '';
  keyValues(doc, [
    { label: 'Compared with', value: `evaluation ${diff.previousId}${previous}` },
    { label: 'New findings', value: String(diff.new) },
    { label: 'Resolved findings', value: String(diff.resolved) },
    { label: 'Unchanged findings', value: String(diff.unchanged) },
  ]);
  const listed = diff.resolvedFindings.slice(0, RESOLVED_LISTED);
  if (listed.length === 0) return;
  paragraph(
    doc,
    `Resolved since then${diff.resolved > listed.length ? ` (the first ${listed.length} of ${diff.resolved})` : ''}:`,
    { color: INK.muted },
  );
  drawTable(
    doc,
    {
      caption: 'Resolved findings',
      columns: [
        { header: 'Pack', weight: 1.4 },
        { header: 'Rule', weight: 2.2 },
        { header: 'Item', weight: 2.2 },
        { header: 'Severity / status before', weight: 1.3 },
      ],
    },
    listed.map(resolvedRow),
  );
}

function resolvedRow(r: ResolvedFinding): Row {
  const chips = [];
  if (isOneOf(SEVERITIES, r.severity)) chips.push(severityChip(r.severity));
  if (isOneOf(FINDING_STATUSES, r.status)) chips.push(stateChip(r.status));
  return {
    cells: [
      r.packId,
      r.ruleId,
      [
        { text: r.itemName ?? r.itemId ?? '(whole export)' },
        { text: r.itemName ? (r.itemId ?? '') : '', color: INK.muted, size: 7 },
      ],
      { chips },
    ],
  };
}
