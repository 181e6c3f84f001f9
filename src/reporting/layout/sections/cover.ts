/**
 * Page 1: whose report it is and who prepared it (the MSP, with its logo when set), the period and
 * the evaluation time, the three score figures of each pack, how old each export's evidence is
 * (stale ones flagged), and who signed it — with how to verify a self-signed report.
 */
import { scoresOf } from '../../../core/scores.js';
import type { ManifestSnapshot, ReportData } from '../../report-data.js';
import { callout, frame, heading2, keyValues, paragraph, style, type KeyValue } from '../blocks.js';
import type { RenderContext } from '../context.js';
import { drawTable, type Row } from '../table.js';
import { FONT, INK, SIZE } from '../theme.js';
import { count, formatDate, formatDateTime, safeText } from '../text.js';
import { figureCell } from './summary.js';

const LOGO_BOX = { width: 150, height: 50 };

/** Draws the cover on the current (first) page. */
export function renderCover(ctx: RenderContext): void {
  const { doc, data } = ctx;
  const { left, width } = frame(doc);
  doc.y = 60;
  drawLogo(ctx, left + width - LOGO_BOX.width, 56);
  style(doc, { font: FONT.bold, size: SIZE.h3, color: INK.muted }).text('COMPLIANCE REPORT', left, doc.y, {
    width: width - LOGO_BOX.width - 12,
    characterSpacing: 1,
  });
  doc.y += 4;
  style(doc, { font: FONT.bold, size: SIZE.title, color: INK.accent }).text(safeText(data.tenant.name), left, doc.y, {
    width: width - LOGO_BOX.width - 12,
  });
  doc.y = Math.max(doc.y + 4, 56 + LOGO_BOX.height + 8);
  keyValues(doc, headlineRows(data), 110);
  heading2(doc, 'Scores', 40);
  drawTable(doc, scoreSpec(), scoreRows(data));
  heading2(doc, 'Evidence and its age', 40);
  drawTable(doc, ageSpec(), data.manifest.snapshots.map(ageRow));
  const stale = data.manifest.snapshots.filter((s) => s.stale);
  if (stale.length > 0)
    paragraph(
      doc,
      `${count(stale.length, 'export is', 'exports are')} older than the evidence age limit (maxEvidenceAgeDays, 30 days unless set otherwise): the failures they show still count, but they can no longer prove that anything passes.`,
      { size: SIZE.small, color: INK.text, font: FONT.bold },
    );
  heading2(doc, 'Signature', 40);
  keyValues(
    doc,
    [
      { label: 'Signer', value: data.signer.subject },
      { label: 'Certificate SHA-256', value: data.signer.fingerprint, mono: true },
    ],
    110,
  );
  signatureNote(ctx);
}

function drawLogo(ctx: RenderContext, x: number, y: number): void {
  const logo = ctx.data.preparedBy?.logo;
  if (!logo) return;
  // bytes cross to the render worker as a Uint8Array
  ctx.doc.image(Buffer.from(logo.bytes), x, y, { fit: [LOGO_BOX.width, LOGO_BOX.height], align: 'right' });
}

function headlineRows(data: ReportData): KeyValue[] {
  const by = data.preparedBy;
  const prepared = by
    ? by.slug === data.tenant.slug
      ? `${by.name} (managed service provider)`
      : `${by.name}, managed service provider of ${data.tenant.name}`
    : 'not stated (no managed service provider)';
  return [
    { label: 'Prepared for', value: `${data.tenant.name} (${data.tenant.slug})` },
    { label: 'Prepared by', value: prepared },
    { label: 'Period', value: period(data) },
    { label: 'Evaluated as of', value: formatDateTime(data.evaluation.asOf) },
    { label: 'Report generated', value: formatDateTime(data.generatedAt) },
    { label: 'Report id', value: data.reportId, mono: true },
  ];
}

/** From the previous evaluation (or the oldest evidence) to this evaluation's asOf. */
function period(data: ReportData): string {
  const end = formatDate(data.evaluation.asOf);
  if (data.previous) return `${formatDate(data.previous.asOf)} to ${end} (since the previous evaluation)`;
  const times = data.manifest.snapshots.flatMap((s) => (s.collectedAt ? [s.collectedAt.getTime()] : []));
  if (times.length === 0) return `up to ${end}`;
  return `${formatDate(new Date(Math.min(...times)))} to ${end} (evidence collected in this period)`;
}

function scoreSpec() {
  return {
    caption: 'Scores',
    columns: [
      { header: 'Pack', weight: 2.6 },
      { header: 'Verified from configuration', weight: 1.3 },
      { header: 'With attestations', weight: 1.3 },
      { header: 'With waivers', weight: 1.3 },
    ],
  };
}

function scoreRows(data: ReportData): Row[] {
  return data.evaluation.packs.map((p) => {
    const s = scoresOf(p);
    return {
      cells: [
        [
          { text: p.title, font: FONT.bold },
          { text: `${p.id}, version ${p.version}`, color: INK.muted, size: SIZE.small },
        ],
        figureCell(s.verified),
        figureCell(s.withAttestations),
        figureCell(s.withWaivers),
      ],
    };
  });
}

function ageSpec() {
  return {
    caption: 'Evidence and its age',
    columns: [
      { header: 'Export', weight: 2.2 },
      { header: 'Collected', weight: 1.6 },
      { header: 'Age at evaluation', weight: 1.6 },
    ],
  };
}

function ageRow(s: ManifestSnapshot): Row {
  const age = s.ageDays === undefined ? 'not known' : count(s.ageDays, 'day');
  return {
    cells: [
      [
        { text: `${s.source} (${s.instance})`, font: FONT.bold },
        { text: s.kind, size: SIZE.small, color: INK.muted },
      ],
      s.collectedAt ? formatDateTime(s.collectedAt) : 'not stated',
      s.stale ? [{ text: `${age}: STALE`, font: FONT.bold, color: '#C62828' }] : age,
    ],
  };
}

function signatureNote(ctx: RenderContext): void {
  const { doc, data } = ctx;
  if (data.signer.selfSigned) {
    callout(
      doc,
      "Signed with this deployment's self-signed certificate, so a PDF reader shows the signer as unknown. Verify it against that certificate (SHA-256 above), e.g. posture verify report.pdf --cert signing-cert.pem, or send the PDF to this deployment's verification endpoint: POST /v1/reports/verify",
    );
    return;
  }
  paragraph(
    doc,
    "The signature (PAdES) covers every byte of this file: any later change invalidates it. Verify it in a PDF reader, with posture verify, or at this deployment's verification endpoint: POST /v1/reports/verify",
    { color: INK.muted, size: SIZE.small },
  );
}
