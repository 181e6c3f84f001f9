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
import { FONT, INK, SIZE, STATE_COLOR, STATE_LABEL, STATES } from '../theme.js';
import { count, formatDate, percent } from '../text.js';

export const MANUAL_NOTE = 'manual: needs attested evidence';
export const INFORMATIONAL_NOTE = 'informational — not scored';

/** The requirement table section. */
export function renderRequirements(ctx: RenderContext): void {
  const { doc } = ctx;
  startSection(ctx, 'Requirements', 'requirements');
  paragraph(
    doc,
    `Each requirement takes the worst state of the rules that evidence it (error, fail, insufficient evidence, manual, waived, attested, pass; not applicable drops out). "manual" marks a requirement no configuration can prove (its rules, if any, are supporting checks that can fail it but never pass it); an attestation in force makes it attested. "${INFORMATIONAL_NOTE}" marks emerging practice (e.g. the 2025 HIPAA proposed rule) that never counts toward the score.`,
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
        { header: 'Family', weight: 2 },
        { header: 'Requirements by state', weight: 5 },
      ],
    },
    rows(pack, ctx),
  );
}

/** One row per family: its requirement ids grouped by state, worst first (titles are in the pack). */
function* rows(pack: PackResult, ctx: RenderContext): Iterable<Row> {
  const families = new Map<string, RequirementResult[]>();
  for (const req of pack.requirements) families.set(req.family, [...(families.get(req.family) ?? []), req]);
  for (const [family, reqs] of families) {
    const parts: TextPart[] = [];
    for (const state of [...STATES].reverse()) {
      const of = reqs.filter((r) => r.state === state);
      if (of.length === 0) continue;
      const ids = of.map((r) => (r.informational ? `${r.id} (informational)` : r.id)).join(', ');
      parts.push({ text: `${STATE_LABEL[state]}: ${ids}`, size: SIZE.small, color: STATE_COLOR[state] });
      if (state === 'attested')
        for (const r of of) {
          const a = (ctx.data.attestations ?? []).find((x) => x.id === r.attestationId);
          if (a) parts.push(attestedLine(r, a));
        }
    }
    yield { cells: [[{ text: family, size: SIZE.small, font: FONT.bold }], parts] };
  }
}

function attestedLine(req: RequirementResult, a: ReportAttestation): TextPart {
  return {
    text: `${req.id} attested by ${a.attestedBy} on ${formatDate(a.attestedAt)}, valid until ${formatDate(a.validUntil)} (${count(a.files.length, 'file')})`,
    size: SIZE.small - 0.5,
    color: INK.muted,
  };
}
