/**
 * Every requirement of every pack in the report — manual and informational ones included — with
 * its citation, title and state, grouped by family under band rows.
 */
import type { PackResult, RequirementResult } from '../../../core/results.js';
import { heading2, paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row, type TextPart } from '../table.js';
import { FONT, INK, SIZE, stateChip } from '../theme.js';
import { percent } from '../text.js';

export const MANUAL_NOTE = 'manual: needs attested evidence';
export const INFORMATIONAL_NOTE = 'informational — not scored';

/** The requirement table section. */
export function renderRequirements(ctx: RenderContext): void {
  const { doc } = ctx;
  startSection(ctx, 'Requirements', 'requirements');
  paragraph(
    doc,
    `Each requirement takes the worst state of the rules that evidence it (error, fail, insufficient evidence, manual, waived, pass; not applicable drops out). "${MANUAL_NOTE}" marks a requirement no configuration can prove: the rules listed with it, if any, are supporting checks that can fail it but never pass it. "${INFORMATIONAL_NOTE}" marks emerging practice (e.g. the 2025 HIPAA proposed rule) that never counts toward the score.`,
    { color: INK.muted },
  );
  for (const pack of ctx.data.evaluation.packs) renderPack(ctx, pack);
}

function renderPack(ctx: RenderContext, pack: PackResult): void {
  const { doc } = ctx;
  heading2(doc, `${pack.title} (${pack.version})`);
  paragraph(
    doc,
    `Score ${percent(pack.score.withoutWaivers)} without waivers, ${percent(pack.score.withWaivers)} with waivers: ${pack.score.passing} of ${pack.score.applicable} applicable requirements pass${pack.score.waived ? `, ${pack.score.waived} waived` : ''}.`,
  );
  drawTable(
    doc,
    {
      caption: `${pack.title}: requirements`,
      columns: [
        { header: 'Citation', weight: 1.5 },
        { header: 'Requirement', weight: 3.6 },
        { header: 'State', weight: 1.1 },
      ],
    },
    rows(pack),
  );
}

function* rows(pack: PackResult): Iterable<Row> {
  let family: string | null = null;
  for (const req of pack.requirements) {
    if (req.family !== family) yield { band: (family = req.family) };
    yield { cells: [req.citation, describe(req), { chips: [stateChip(req.state)] }] };
  }
}

function describe(req: RequirementResult): TextPart[] {
  const out: TextPart[] = [{ text: req.title }];
  if (req.manual) out.push({ text: MANUAL_NOTE, font: FONT.italic, size: SIZE.small, color: INK.muted });
  if (req.informational) out.push({ text: INFORMATIONAL_NOTE, font: FONT.italic, size: SIZE.small, color: INK.muted });
  if (req.rules.length > 0)
    out.push({ text: `checks: ${req.rules.join(', ')}`, size: SIZE.small - 0.5, color: INK.muted });
  return out;
}
