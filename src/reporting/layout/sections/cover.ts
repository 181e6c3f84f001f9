/**
 * Page 1: who and what the report is about, when it was evaluated and generated, and who signed
 * it — with a plain statement of how to verify a self-signed report.
 */
import type { ReportData } from '../../report-data.js';
import { callout, frame, heading2, keyValues, paragraph, style, type KeyValue } from '../blocks.js';
import type { RenderContext } from '../context.js';
import { FONT, INK, SIZE } from '../theme.js';
import { formatDateTime, safeText } from '../text.js';

/** Draws the cover on the current (first) page. */
export function renderCover(ctx: RenderContext): void {
  const { doc, data } = ctx;
  const { left, width } = frame(doc);
  doc.y = 90;
  style(doc, { font: FONT.bold, size: SIZE.h3, color: INK.muted }).text('POSTURE  ·  COMPLIANCE REPORT', left, doc.y, {
    width,
    characterSpacing: 1,
  });
  doc.y += 10;
  style(doc, { font: FONT.bold, size: SIZE.title, color: INK.accent }).text(safeText(data.tenant.name), left, doc.y, {
    width,
  });
  doc.y += 4;
  paragraph(
    doc,
    data.evaluation.packs.map((p) => p.title).join(' · ') || 'No packs',
    { size: SIZE.h2, color: INK.text },
    24,
  );
  heading2(doc, 'Scope');
  keyValues(doc, scopeRows(data));
  heading2(doc, 'Evaluation and report');
  keyValues(doc, evaluationRows(data));
  heading2(doc, 'Signature');
  keyValues(doc, [
    { label: 'Signer', value: data.signer.subject },
    { label: 'Certificate SHA-256', value: data.signer.fingerprint, mono: true },
  ]);
  doc.y += 4;
  signatureNote(ctx);
}

function tenantKind(data: ReportData): string {
  if (data.tenant.kind === 'msp') return 'managed service provider (MSP)';
  return 'client organisation of a managed service provider';
}

function mspLabel(data: ReportData): string {
  const msp = data.technicians?.msp;
  if (msp && msp.slug === data.tenant.parent) return `${msp.name} (${msp.slug})`;
  return data.tenant.parent ?? 'none';
}

function scopeRows(data: ReportData): KeyValue[] {
  const rows: KeyValue[] = [
    { label: 'Organisation', value: data.tenant.name },
    { label: 'Tenant', value: data.tenant.slug, mono: true },
    { label: 'Kind', value: tenantKind(data) },
  ];
  if (data.tenant.kind === 'client') rows.push({ label: 'MSP', value: mspLabel(data) });
  const packs = data.evaluation.packs.map((p) => `${p.title}\n    ${p.id}, version ${p.version}`).join('\n');
  rows.push({ label: 'Packs', value: packs || 'none' });
  return rows;
}

function evaluationRows(data: ReportData): KeyValue[] {
  return [
    { label: 'Evaluated as of', value: formatDateTime(data.evaluation.asOf) },
    { label: 'Evaluation run at', value: formatDateTime(data.evaluation.createdAt) },
    { label: 'Evaluation id', value: data.evaluation.id, mono: true },
    { label: 'Report id', value: data.reportId, mono: true },
    { label: 'Report generated at', value: formatDateTime(data.generatedAt) },
  ];
}

function signatureNote(ctx: RenderContext): void {
  const { doc, data } = ctx;
  if (data.signer.selfSigned) {
    callout(
      doc,
      "This report is signed with this deployment's self-signed certificate, not one issued by a certificate authority, so a PDF reader will show the signer as unknown. To verify it, check the signature against that certificate (its SHA-256 fingerprint is above; e.g. `posture verify report.pdf --cert signing-cert.pem`), or send the PDF to this deployment's verification endpoint:\nPOST /v1/reports/verify",
    );
    return;
  }
  paragraph(
    doc,
    "The signature (PAdES) covers every byte of this file: any later change invalidates it. Verify it in a PDF reader, with `posture verify`, or by sending the PDF to this deployment's verification endpoint:\nPOST /v1/reports/verify",
    { color: INK.muted },
  );
}
