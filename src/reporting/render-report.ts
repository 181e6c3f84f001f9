/**
 * renderReport(): ReportData → the PDF compliance report (unsigned; the caller adds the
 * signature placeholder through `beforeEnd` and signs the bytes afterwards). Pure and
 * deterministic: the same data gives byte-identical output — no clock, no randomness, and
 * font subsets that depend only on the text drawn (see layout/document.ts, layout/fonts.ts).
 *
 * Layout: cover (p. 1: who, by whom, scores, evidence age, signer), contents (p. 2), executive
 * summary, findings (once per rule and item), what the exports do not show, requirements,
 * attestations, waivers, the MSP's technicians (client reports only), evidence manifest, technical
 * appendix. Short sections follow on the previous section's page. Header and footer ("Page x of
 * y") are drawn in a last pass.
 */
/// <reference types="pdfkit" />
import type { ReportData } from './report-data.js';
import type { RenderContext } from './layout/context.js';
import { collect, createDocument } from './layout/document.js';
import { renderAppendix } from './layout/sections/appendix.js';
import { renderAttestations } from './layout/sections/attestations.js';
import { renderContents, reserveContents } from './layout/sections/contents.js';
import { renderCover } from './layout/sections/cover.js';
import { renderExportGaps } from './layout/sections/export-gaps.js';
import { renderFindings } from './layout/sections/findings.js';
import { renderManifest } from './layout/sections/manifest.js';
import { drawPageFurniture } from './layout/sections/page-furniture.js';
import { renderRequirements } from './layout/sections/requirements.js';
import { renderSummary } from './layout/sections/summary.js';
import { renderTechnicians } from './layout/sections/technicians.js';
import { renderWaivers } from './layout/sections/waivers.js';
import { exportGapsOf, problemsOf } from './problems.js';

export interface RenderOptions {
  /** called after the last page is drawn and before `doc.end()`: e.g. addSignaturePlaceholder */
  beforeEnd?: (doc: PDFKit.PDFDocument) => void;
}

/** Renders the report of `data` to PDF bytes. */
export async function renderReport(data: ReportData, opts: RenderOptions = {}): Promise<Buffer> {
  const doc = createDocument(data);
  const bytes = collect(doc);
  const ctx: RenderContext = { doc, data, sections: [] };
  const packOrder = data.evaluation.packs.map((p) => p.id);
  const problems = problemsOf(data.findings, packOrder);
  const gaps = exportGapsOf(data.findings, packOrder);
  renderCover(ctx);
  const contentsPage = reserveContents(ctx);
  renderSummary(ctx, { problems, gaps });
  renderFindings(ctx, problems);
  renderExportGaps(ctx, gaps);
  renderRequirements(ctx);
  renderAttestations(ctx);
  renderWaivers(ctx);
  renderTechnicians(ctx);
  renderManifest(ctx);
  renderAppendix(ctx, problems);
  renderContents(ctx, contentsPage);
  drawPageFurniture(ctx);
  opts.beforeEnd?.(doc);
  doc.end();
  return bytes;
}
