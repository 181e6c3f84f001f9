/**
 * Technical appendix: for each problem of the findings section (by number), the rule id, the
 * item's identifier, where it is in the export (part, page, JSON Pointer) and the raw names of
 * the fields the rule read — what an auditor needs to trace a line of the report to the bytes.
 */
import type { Problem } from '../../problems.js';
import { paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row } from '../table.js';
import { FONT, INK, SIZE } from '../theme.js';
import { truncate } from '../text.js';

export function renderAppendix(ctx: RenderContext, problems: readonly Problem[]): void {
  const { doc } = ctx;
  startSection(ctx, 'Technical appendix', 'appendix', { flow: true });
  paragraph(
    doc,
    "Each problem's rule, item identifier, place in the export (part, page and JSON Pointer into it) and the canonical fields the rule read.",
    { color: INK.muted },
  );
  drawTable(
    doc,
    {
      caption: 'Technical appendix',
      columns: [
        { header: 'No.', weight: 0.4 },
        { header: 'Rule and item', weight: 2.4 },
        { header: 'Place in the export', weight: 1.6 },
        { header: 'Fields read', weight: 3 },
      ],
    },
    problems.map(row),
  );
}

function row(p: Problem): Row {
  const mono = { font: FONT.mono, size: SIZE.mono - 1 };
  const o = p.origin;
  const where = o
    ? [o.part ? `part ${o.part}` : '', o.page !== undefined ? `page ${o.page}` : '', o.pointer ? `${o.pointer}` : '']
        .filter(Boolean)
        .join(' ')
    : 'the whole export';
  return {
    cells: [
      [{ text: String(p.no), size: SIZE.small, color: INK.muted }],
      [{ text: `${p.ruleId} · ${p.item ? truncate(p.item.id, 160) : `${p.source ?? ''} export`}`, ...mono }],
      [{ text: truncate(where, 200), ...mono }],
      [{ text: truncate(fieldPaths(p.evidence).join(', '), 120), ...mono, color: INK.muted }],
    ],
  };
}

/** Leaf paths of the evidence, array indexes folded ("endpoints.agent.version"). */
function fieldPaths(evidence: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, path: string) => {
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const entries = Array.isArray(v) ? v.map((x) => ['', x] as const) : Object.entries(v);
      if (Array.isArray(v) && !v.some((x) => x !== null && typeof x === 'object')) {
        out.add(path);
        return;
      }
      for (const [k, x] of entries) walk(x, k === '' ? path : path ? `${path}.${k}` : k);
      return;
    }
    out.add(path);
  };
  walk(evidence, '');
  return [...out].filter(Boolean);
}
