/**
 * renderReport(): ReportData → the PDF compliance report (unsigned; the caller adds the
 * signature placeholder through `beforeEnd` and signs the bytes afterwards). Pure and
 * deterministic: the same data gives byte-identical output — no clock, no randomness, and
 * font subsets that depend only on the text drawn (see layout/document.ts, layout/fonts.ts).
 *
 * Layout: cover (p. 1), contents (p. 2), then one section per page run: executive summary,
 * requirements, findings, attestations, waivers, missing evidence, the MSP's technicians (client reports
 * only), evidence manifest. Header and footer ("Page x of y") are drawn in a last pass.
 */
/// <reference types="pdfkit" />
import type { ReportData } from './report-data.js';
import type { RenderContext } from './layout/context.js';
import { collect, createDocument } from './layout/document.js';
import { renderContents, reserveContents } from './layout/sections/contents.js';
import { renderAttestations } from './layout/sections/attestations.js';
import { renderCover } from './layout/sections/cover.js';
import { renderFindings } from './layout/sections/findings.js';
import { renderManifest } from './layout/sections/manifest.js';
import { renderMissingEvidence } from './layout/sections/missing-evidence.js';
import { drawPageFurniture } from './layout/sections/page-furniture.js';
import { renderRequirements } from './layout/sections/requirements.js';
import { renderSummary } from './layout/sections/summary.js';
import { renderTechnicians } from './layout/sections/technicians.js';
import { renderWaivers } from './layout/sections/waivers.js';

export interface RenderOptions {
  /** called after the last page is drawn and before `doc.end()`: e.g. addSignaturePlaceholder */
  beforeEnd?: (doc: PDFKit.PDFDocument) => void;
}

const SECTIONS: readonly ((ctx: RenderContext) => void)[] = [
  renderSummary,
  renderRequirements,
  renderFindings,
  renderAttestations,
  renderWaivers,
  renderMissingEvidence,
  renderTechnicians,
  renderManifest,
];

/** Renders the report of `data` to PDF bytes. */
export async function renderReport(data: ReportData, opts: RenderOptions = {}): Promise<Buffer> {
  const doc = createDocument(data);
  const bytes = collect(doc);
  const ctx: RenderContext = { doc, data, sections: [] };
  renderCover(ctx);
  const contentsPage = reserveContents(ctx);
  for (const section of SECTIONS) section(ctx);
  renderContents(ctx, contentsPage);
  drawPageFurniture(ctx);
  opts.beforeEnd?.(doc);
  doc.end();
  return bytes;
}
