/**
 * The flowing building blocks every section uses: headings, paragraphs, label/value lists,
 * callouts and state chips. All text goes through `safeText`; nothing here draws past the
 * bottom margin without starting a new page first.
 */
import { drawLine } from './pdfkit-tuning.js';
import { FONT, INK, SIZE, type ChipStyle, type FontName } from './theme.js';
import { safeText } from './text.js';

type Doc = PDFKit.PDFDocument;

export interface TextStyle {
  font?: FontName;
  size?: number;
  color?: string;
}

/** Left edge, width and bottom edge of the writable area of the current page. */
export function frame(doc: Doc): { left: number; width: number; bottom: number; top: number } {
  const { margins, width, height } = doc.page;
  return {
    left: margins.left,
    width: width - margins.left - margins.right,
    bottom: height - margins.bottom,
    top: margins.top,
  };
}

/** Starts a new page unless `height` points still fit below the cursor. True when it did. */
export function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height <= frame(doc).bottom) return false;
  doc.addPage();
  return true;
}

export function style(doc: Doc, s: TextStyle = {}): Doc {
  return doc
    .font(s.font ?? FONT.regular)
    .fontSize(s.size ?? SIZE.body)
    .fillColor(s.color ?? INK.text);
}

/** A wrapped paragraph across the full width at the cursor; long ones continue on the next page. */
export function paragraph(doc: Doc, text: string, s: TextStyle = {}, gap = 4): void {
  const { left, width } = frame(doc);
  style(doc, s);
  ensureSpace(doc, doc.currentLineHeight(true) * 2);
  doc.text(safeText(text), left, doc.y, { width });
  doc.y += gap;
}

/** A second-level heading, kept with at least `keep` points of what follows. */
export function heading2(doc: Doc, text: string, keep = 60): void {
  doc.y += 6;
  ensureSpace(doc, SIZE.h2 * 1.6 + keep);
  paragraph(doc, text, { font: FONT.bold, size: SIZE.h2, color: INK.accent }, 3);
}

/** A third-level heading, kept with at least `keep` points of what follows. */
export function heading3(doc: Doc, text: string, keep = 40): void {
  doc.y += 3;
  ensureSpace(doc, SIZE.h3 * 1.5 + keep);
  paragraph(doc, text, { font: FONT.bold, size: SIZE.h3 }, 2);
}

export interface KeyValue {
  label: string;
  value: string;
  mono?: boolean;
}

/** Label / value rows, the label in a fixed bold column, the value wrapped beside it. */
export function keyValues(doc: Doc, rows: readonly KeyValue[], labelWidth = 130): void {
  const { left, width } = frame(doc);
  for (const row of rows) {
    const valueStyle: TextStyle = row.mono ? { font: FONT.mono, size: SIZE.body - 0.5 } : {};
    style(doc, valueStyle);
    const h = Math.max(
      doc.heightOfString(safeText(row.value), { width: width - labelWidth }),
      doc.currentLineHeight(true),
    );
    ensureSpace(doc, h);
    const y = doc.y;
    style(doc, { font: FONT.bold, color: INK.muted }).text(safeText(row.label), left, y, { width: labelWidth - 8 });
    style(doc, valueStyle).text(safeText(row.value), left + labelWidth, y, { width: width - labelWidth });
    doc.y = y + h + 3;
  }
}

/** A boxed note in the warning colours, for what the reader must not miss. */
export function callout(doc: Doc, text: string): void {
  const { left, width } = frame(doc);
  const pad = 8;
  style(doc, { size: SIZE.body });
  const h = doc.heightOfString(safeText(text), { width: width - 2 * pad - 4 }) + 2 * pad;
  ensureSpace(doc, h);
  const y = doc.y;
  doc.save().rect(left, y, width, h).fillAndStroke(INK.calloutFill, INK.calloutBorder).restore();
  doc.save().rect(left, y, 4, h).fill(INK.calloutBorder).restore();
  style(doc, { size: SIZE.body }).text(safeText(text), left + pad + 4, y + pad, { width: width - 2 * pad - 4 });
  doc.y = y + h + 6;
}

export const CHIP_HEIGHT = 10;

/** Width a chip with this label takes. */
export function chipWidth(doc: Doc, label: string, size = SIZE.small): number {
  return doc.font(FONT.bold).fontSize(size).widthOfString(safeText(label)) + 8;
}

/**
 * Draws a chip at (x, y) (top-left) and returns its width; with `maxWidth`, its label is set
 * smaller (down to 5 pt) until the chip fits, so it never runs into the next column.
 */
export function chip(
  doc: Doc,
  x: number,
  y: number,
  chipStyle: ChipStyle,
  size = SIZE.small,
  maxWidth = Infinity,
): number {
  while (size > 5 && chipWidth(doc, chipStyle.label, size) > maxWidth) size -= 0.25;
  const w = chipWidth(doc, chipStyle.label, size);
  doc.rect(x, y, w, CHIP_HEIGHT).fill(chipStyle.fill);
  doc.font(FONT.bold).fontSize(size).fillColor(chipStyle.ink);
  drawLine(doc, safeText(chipStyle.label), x + 4, y + (CHIP_HEIGHT - size) / 2 + 0.6);
  return w;
}

/** One line of text cut with an ellipsis to fit `width` at the current font and size. */
export function fitLine(doc: Doc, text: string, width: number): string {
  const safe = safeText(text).replace(/\n/g, ' ');
  if (doc.widthOfString(safe) <= width) return safe;
  let lo = 0;
  let hi = safe.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${safe.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${safe.slice(0, lo)}…`;
}
