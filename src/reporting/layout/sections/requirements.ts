/**
 * Every requirement of every pack in the report — manual and informational ones included — with
 * its citation, title and state, grouped by family under band rows.
 */
import type { PackResult, RequirementResult, ScoreFigure } from '../../../core/results.js';
import { scoresOf } from '../../../core/scores.js';
import type { ReportAttestation } from '../../report-data.js';
import { heading2, paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row, type TextPart } from '../table.js';
import { FONT, INK, SIZE, stateChip } from '../theme.js';
import { count, formatDate, percent } from '../text.js';

export const MANUAL_NOTE = 'manual: needs attested evidence';
export const INFORMATIONAL_NOTE = 'informational — not scored';

/** The requirement table section. */
export function renderRequirements(ctx: RenderContext): void {
  const { doc } = ctx;
  startSection(ctx, 'Requirements', 'requirements');
  paragraph(
    doc,
    `Each requirement takes the worst state of the rules that evidence it (error, fail, insufficient evidence, manual, waived, attested, pass; not applicable drops out). "${MANUAL_NOTE}" marks a requirement no configuration can prove: the rules listed with it, if any, are supporting checks that can fail it but never pass it; an attestation in force makes it attested. "${INFORMATIONAL_NOTE}" marks emerging practice (e.g. the 2025 HIPAA proposed rule) that never counts toward the score.`,
    { color: INK.muted },
  );
  for (const pack of ctx.data.evaluation.packs) renderPack(ctx, pack);
}

function renderPack(ctx: RenderContext, pack: PackResult): void {
  const { doc } = ctx;
  heading2(doc, `${pack.title} (${pack.version})`);
  const s = scoresOf(pack);
  const fig = (f: ScoreFigure) => `${percent(f.value)} (${f.numerator} / ${f.denominator})`;
  paragraph(
    doc,
    `Verified from configuration ${fig(s.verified)}, with attestations ${fig(s.withAttestations)}, with waivers ${fig(s.withWaivers)}. Against the score: ${s.states.fail} failing, ${s.states.insufficient_evidence} insufficient evidence, ${s.states.manual} manual without attestation${s.states.error ? `, ${s.states.error} error` : ''}.`,
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
    rows(pack, ctx),
  );
}

function* rows(pack: PackResult, ctx: RenderContext): Iterable<Row> {
  let family: string | null = null;
  for (const req of pack.requirements) {
    if (req.family !== family) yield { band: (family = req.family) };
    const attestation = req.attestationId
      ? (ctx.data.attestations ?? []).find((a) => a.id === req.attestationId)
      : undefined;
    yield { cells: [req.citation, describe(req, attestation), { chips: [stateChip(req.state)] }] };
  }
}

function describe(req: RequirementResult, attestation: ReportAttestation | undefined): TextPart[] {
  const out: TextPart[] = [{ text: req.title }];
  if (req.manual) out.push({ text: MANUAL_NOTE, font: FONT.italic, size: SIZE.small, color: INK.muted });
  if (attestation)
    out.push({
      text: `attested by ${attestation.attestedBy} on ${formatDate(attestation.attestedAt)}, valid until ${formatDate(attestation.validUntil)} (${count(attestation.files.length, 'file')})`,
      size: SIZE.small,
    });
  if (req.informational) out.push({ text: INFORMATIONAL_NOTE, font: FONT.italic, size: SIZE.small, color: INK.muted });
  if (req.rules.length > 0)
    out.push({ text: `checks: ${req.rules.join(', ')}`, size: SIZE.small - 0.5, color: INK.muted });
  return out;
}
