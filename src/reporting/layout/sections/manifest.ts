/**
 * The evidence manifest: every snapshot the evaluation used, with its SHA-256 in full, and the
 * SHA-256 of every rule and pack file — what an auditor needs to prove which bytes were judged
 * by which rules. A client report adds, apart and labelled as the MSP's, the evidence behind
 * "Your MSP's technicians": the MSP's technician snapshots and technician-hygiene files.
 */
import type { ManifestSnapshot, MspManifest } from '../../report-data.js';
import { heading2, paragraph } from '../blocks.js';
import { startSection, type RenderContext } from '../context.js';
import { drawTable, type Row } from '../table.js';
import { FONT, INK, SIZE } from '../theme.js';
import { formatDateTime } from '../text.js';
import { TECHNICIANS_TITLE } from './technicians.js';

/** 64 hex digits in DejaVu Sans Mono at this size (250.5 pt) fit the SHA-256 columns on one line. */
const SHA_SIZE = 6.5;

/** The manifest section. */
export function renderManifest(ctx: RenderContext): void {
  const { doc, data } = ctx;
  startSection(ctx, 'Evidence manifest', 'manifest', { flow: true });
  paragraph(
    doc,
    'SHA-256 of each snapshot is over the raw export as received (for a multipart export, over its sorted part names and part hashes). The raw exports are kept by this deployment; they are not reproduced here.',
    { color: INK.muted },
  );
  heading2(doc, `Snapshots used: ${data.manifest.snapshots.length}`);
  if (data.manifest.snapshots.length === 0) paragraph(doc, 'None: the evaluation had no snapshot.');
  drawTable(
    doc,
    {
      caption: 'Snapshots used',
      columns: [
        { header: 'Source / instance / kind', weight: 1.25 },
        { header: 'Collected / received', weight: 1.3 },
        { header: 'SHA-256 and snapshot id', weight: 2.9 },
      ],
    },
    data.manifest.snapshots.map(snapshotRow),
  );
  heading2(doc, `Rule and pack files: ${data.manifest.files.length}`);
  drawTable(
    doc,
    {
      caption: 'Rule and pack files',
      columns: [
        { header: 'File', weight: 2.3 },
        { header: 'SHA-256', weight: 2.9 },
      ],
    },
    data.manifest.files.map(fileRow),
  );
  const attested = (data.attestations ?? []).flatMap((a) => a.files.map((f) => ({ a, f })));
  heading2(doc, `Attestation files: ${attested.length}`);
  if (attested.length === 0) paragraph(doc, 'None: no attestation in force had evidence files.');
  else
    paragraph(
      doc,
      'SHA-256 over each file as uploaded with its attestation; the files are kept (encrypted) by this deployment.',
      { color: INK.muted },
    );
  drawTable(
    doc,
    {
      caption: 'Attestation files',
      columns: [
        { header: 'File / attestation', weight: 2.3 },
        { header: 'SHA-256', weight: 2.9 },
      ],
    },
    attested.map(({ a, f }) => ({
      cells: [
        [
          { text: f.filename, font: FONT.bold },
          { text: `${a.packId} ${a.requirementId} · attested by ${a.attestedBy}`, size: SIZE.small, color: INK.muted },
        ],
        [{ text: f.sha256, font: FONT.mono, size: SHA_SIZE }],
      ],
    })),
  );
  if (data.manifest.msp) mspEvidence(ctx, data.manifest.msp);
}

/** The MSP's evidence behind the technicians section of a client report. */
function mspEvidence(ctx: RenderContext, m: MspManifest): void {
  const { doc } = ctx;
  heading2(doc, `The MSP's evidence: ${m.msp.name} (${m.msp.slug})`);
  paragraph(
    doc,
    `What "${TECHNICIANS_TITLE}" was judged on: the MSP's own technician snapshots and technician-hygiene files, from its evaluation ${m.evaluationId}. They belong to the MSP's tenant, not to this one.`,
    { color: INK.muted },
  );
  heading2(doc, `MSP's technician snapshots used: ${m.snapshots.length}`);
  if (m.snapshots.length === 0) paragraph(doc, "None: the MSP's evaluation had no technician snapshot.");
  drawTable(
    doc,
    {
      caption: "MSP's technician snapshots used",
      columns: [
        { header: 'Source / instance / kind', weight: 1.25 },
        { header: 'Collected / received', weight: 1.3 },
        { header: 'SHA-256 and snapshot id', weight: 2.9 },
      ],
    },
    m.snapshots.map(snapshotRow),
  );
  heading2(doc, `MSP's rule and pack files: ${m.files.length}`);
  drawTable(
    doc,
    {
      caption: "MSP's rule and pack files",
      columns: [
        { header: 'File', weight: 2.3 },
        { header: 'SHA-256', weight: 2.9 },
      ],
    },
    m.files.map(fileRow),
  );
}

function fileRow(f: { path: string; sha256: string }): Row {
  return { cells: [f.path, [{ text: f.sha256, font: FONT.mono, size: SHA_SIZE }]] };
}

const COLLECTED_FROM = { header: 'as stated by the sender', export: "the export's own time", received: 'at receipt' };

function snapshotRow(s: ManifestSnapshot): Row {
  const muted = { size: SIZE.small, color: INK.muted };
  return {
    cells: [
      [
        { text: `${s.source} / ${s.instance}`, font: FONT.bold },
        { text: s.kind, ...muted },
      ],
      [
        {
          text: s.collectedAt
            ? `collected ${formatDateTime(s.collectedAt)}${s.collectedAtSource ? ` (${COLLECTED_FROM[s.collectedAtSource]})` : ''}`
            : 'collected: not stated',
          size: SIZE.small,
        },
        { text: `received ${formatDateTime(s.receivedAt)}`, size: SIZE.small },
        ...(s.lastConfirmedAt
          ? [{ text: `confirmed by a re-post ${formatDateTime(s.lastConfirmedAt)}`, size: SIZE.small }]
          : []),
        ...(s.configChangedAt
          ? [{ text: `configuration changed ${formatDateTime(s.configChangedAt)}`, ...muted }]
          : []),
        ...(s.stale
          ? [
              {
                text: `STALE: ${s.ageDays ?? '?'} days old at the evaluation, past the evidence age limit`,
                font: FONT.bold,
                size: SIZE.small,
                color: '#C62828',
              },
            ]
          : s.ageDays !== undefined
            ? [{ text: `${s.ageDays} days old at the evaluation`, ...muted }]
            : []),
      ],
      [
        { text: s.sha256, font: FONT.mono, size: SHA_SIZE },
        { text: `id ${s.id}`, ...muted },
      ],
    ],
  };
}
