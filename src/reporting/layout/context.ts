/**
 * What every section renderer receives: the document, the report data, and the list of
 * sections started so far (their pages feed the table of contents and the PDF outline).
 */
import type { ReportData } from '../report-data.js';
import { frame, style } from './blocks.js';
import { FONT, INK, SIZE } from './theme.js';
import { safeText } from './text.js';

export interface SectionMark {
  title: string;
  /** zero-based page index */
  page: number;
  /** named destination the table of contents links to */
  dest: string;
}

export interface RenderContext {
  doc: PDFKit.PDFDocument;
  data: ReportData;
  sections: SectionMark[];
}

/** Zero-based index of the page being written. */
export function currentPage(doc: PDFKit.PDFDocument): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count - 1;
}

/**
 * Starts a top-level section on a new page: its heading, a named destination and an outline
 * entry, and a mark for the table of contents.
 */
export function startSection(ctx: RenderContext, title: string, dest: string, opts: { flow?: boolean } = {}): void {
  const { doc } = ctx;
  // a short section may follow the previous one on its page when a good part of the page is left
  if (opts.flow && doc.y + 220 < frame(doc).bottom) doc.y += 18;
  else doc.addPage();
  doc.addNamedDestination(dest);
  doc.outline.addItem(title);
  ctx.sections.push({ title, page: currentPage(doc), dest });
  const { left, width } = frame(doc);
  style(doc, { font: FONT.bold, size: SIZE.h1, color: INK.accent }).text(safeText(title), left, doc.y, { width });
  const y = doc.y + 2;
  doc
    .save()
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(1)
    .stroke(INK.accent)
    .restore();
  doc.y = y + 10;
}
