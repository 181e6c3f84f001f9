/**
 * The attestations in force at the evaluation: which manual requirement, the statement, who
 * attested it and when, until when, and its evidence files with their SHA-256 (the manifest lists
 * the files again, with the other evidence).
 */
import type { ReportAttestation } from '../../report-data.js';
import { paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row } from '../table.js';
import { FONT, INK, SIZE } from '../theme.js';
import { count, formatDate, formatDateTime } from '../text.js';

/** 64 hex digits in DejaVu Sans Mono at this size fit the file column on one line. */
const SHA_SIZE = 5;

export function renderAttestations(ctx: RenderContext): void {
  const { doc, data } = ctx;
  startSection(ctx, 'Attestations in force', 'attestations', { flow: true });
  const list = data.attestations ?? [];
  if (list.length === 0) {
    paragraph(
      doc,
      'No attestations were in force at the evaluation: every manual requirement is listed as manual, and counts against the scores.',
    );
    return;
  }
  paragraph(
    doc,
    `${count(list.length, 'attestation')} in force at the evaluation. An attested manual requirement counts in the "with attestations" and "with waivers" scores, never in "verified from configuration"; a failing supporting check still fails it. An attestation past its date no longer counts: the requirement is manual again.`,
    { color: INK.muted },
  );
  drawTable(
    doc,
    {
      caption: 'Attestations in force',
      columns: [
        { header: 'Requirement', weight: 1.1 },
        { header: 'Statement', weight: 1.9 },
        { header: 'Attested by / when / until', weight: 1.3 },
        { header: 'Evidence files (SHA-256)', weight: 3.2 },
      ],
    },
    list.map((a) => attestationRow(ctx, a)),
  );
}

function attestationRow(ctx: RenderContext, a: ReportAttestation): Row {
  const muted = { size: SIZE.small, color: INK.muted };
  const pack = ctx.data.evaluation.packs.find((p) => p.id === a.packId);
  const requirement = pack?.requirements.find((q) => q.id === a.requirementId);
  return {
    cells: [
      [
        { text: requirement?.citation ?? a.requirementId, font: FONT.bold },
        { text: pack?.title ?? a.packId, ...muted },
        { text: `id ${a.id}`, ...muted },
      ],
      a.statement,
      [
        { text: a.attestedBy },
        { text: `attested ${formatDateTime(a.attestedAt)}`, ...muted },
        { text: `valid until ${formatDate(a.validUntil)}` },
      ],
      a.files.length === 0
        ? [{ text: 'no files', ...muted }]
        : a.files.flatMap((f) => [
            { text: `${f.filename} (${f.contentType}, ${count(f.size, 'byte')})`, size: SIZE.small },
            { text: f.sha256, font: FONT.mono, size: SHA_SIZE },
          ]),
    ],
  };
}
