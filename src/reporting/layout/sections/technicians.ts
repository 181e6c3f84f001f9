/**
 * "Your MSP's technicians" (client reports only): the MSP staff who can reach this client, and
 * apart from them those who may (their export does not say which clients they reach), each with
 * the technician-hygiene checks they fail, from the MSP's own evaluation.
 */
import { humanMessage } from '../../human.js';
import type { TechnicianReach, TechnicianSection } from '../../report-data.js';
import { heading2, keyValues, paragraph, type KeyValue } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row, type TextPart } from '../table.js';
import { FONT, INK, SIZE } from '../theme.js';
import { byText, formatDateTime, truncate } from '../text.js';

export const TECHNICIANS_TITLE = "Your MSP's technicians";
export const ALL_PASSED = 'all technician-hygiene checks passed';
export const NO_MSP_EVALUATION = "the MSP has no technician evaluation as of this report's evaluation";
export const WHOLE_EXPORT = 'finding about the whole export';

/** The technicians section; draws nothing when the report has none (not a client report). */
export function renderTechnicians(ctx: RenderContext): void {
  const section = ctx.data.technicians;
  if (!section) return;
  const { doc } = ctx;
  startSection(ctx, TECHNICIANS_TITLE, 'technicians', { flow: true });
  paragraph(
    doc,
    "If your MSP gets hacked, you get hacked: these are the MSP staff accounts that can reach your systems, judged by the MSP technician-hygiene pack on the MSP's own evaluation.",
    { color: INK.muted },
  );
  keyValues(doc, sourceRows(section));
  const sorted = [...section.reach].sort(
    (a, b) => byText(a.technician.name, b.technician.name) || byText(a.technician.id, b.technician.id),
  );
  const evaluated = section.evaluation !== null;
  group(
    ctx,
    `Technicians who can reach ${ctx.data.tenant.name}`,
    sorted.filter((r) => r.access === 'can'),
    evaluated,
  );
  group(
    ctx,
    `Technicians who may reach ${ctx.data.tenant.name} (access unknown)`,
    sorted.filter((r) => r.access === 'may'),
    evaluated,
    'Their export does not say which clients they can reach, so they are listed as possibly reaching this one.',
  );
}

function sourceRows(section: TechnicianSection): KeyValue[] {
  const evaluation = section.evaluation
    ? `${section.evaluation.id}, as of ${formatDateTime(section.evaluation.asOf)} (the MSP's latest at or before this report's evaluation)`
    : `none: ${NO_MSP_EVALUATION}, so the technicians below are listed without hygiene results`;
  return [
    { label: 'MSP', value: `${section.msp.name} (${section.msp.slug})` },
    { label: 'MSP evaluation', value: evaluation },
  ];
}

function group(ctx: RenderContext, title: string, reach: TechnicianReach[], evaluated: boolean, note?: string): void {
  const { doc } = ctx;
  heading2(doc, `${title}: ${reach.length}`);
  if (note) paragraph(doc, note, { color: INK.muted });
  if (reach.length === 0) {
    paragraph(doc, 'None.');
    return;
  }
  drawTable(
    doc,
    {
      caption: title,
      columns: [
        { header: 'Technician', weight: 2 },
        { header: 'Account', weight: 1.2 },
        { header: 'Technician-hygiene problems', weight: 4 },
      ],
    },
    reach.map((r) => technicianRow(r, evaluated)),
  );
}

function technicianRow(r: TechnicianReach, evaluated: boolean): Row {
  const t = r.technician;
  const privileged = t.privileged === null ? 'privilege unknown' : t.privileged ? 'privileged' : 'not privileged';
  return {
    cells: [
      [
        { text: t.name, font: FONT.bold },
        { text: `id ${t.id}`, size: SIZE.small, color: INK.muted },
        { text: `source ${t.source}`, size: SIZE.small, color: INK.muted },
      ],
      [{ text: t.status }, { text: privileged, size: SIZE.small, color: INK.muted }],
      problems(r, evaluated),
    ],
  };
}

function problems(r: TechnicianReach, evaluated: boolean): TextPart[] {
  if (!evaluated) return [{ text: `not evaluated: ${NO_MSP_EVALUATION}`, font: FONT.italic, color: INK.muted }];
  if (r.problems.length === 0) return [{ text: ALL_PASSED, color: '#2E7D32' }];
  return r.problems.flatMap((p) => [
    {
      text: `${p.title}: ${p.status.replace(/_/g, ' ')}, ${p.severity}${p.wholeExport ? ` (${WHOLE_EXPORT})` : ''}`,
      font: FONT.bold,
    },
    { text: truncate(humanMessage(p.message), 300), size: SIZE.small, color: INK.muted },
  ]);
}
