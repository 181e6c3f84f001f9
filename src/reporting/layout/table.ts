/**
 * A table that flows over as many pages as it needs: rows never split, the header row is
 * repeated at the top of every new page (under a "continued" caption naming the table), and
 * full-width band rows group the rows beneath them. Rows are consumed from an iterable, so a
 * 10,000-row table is never held in memory as cells. A row taller than a page is cut, its last
 * visible line ending in an ellipsis.
 */
import { chip, CHIP_HEIGHT, ensureSpace, fitLine, frame } from './blocks.js';
import { drawLine } from './pdfkit-tuning.js';
import { FONT, INK, SIZE, type ChipStyle, type FontName } from './theme.js';
import { safeText } from './text.js';
import { wrapText } from './wrap.js';

type Doc = PDFKit.PDFDocument;

export interface TextPart {
  text: string;
  font?: FontName;
  size?: number;
  color?: string;
}

/** A cell: plain text, stacked text parts (e.g. a message over monospace evidence), or chips. */
export type Cell = string | TextPart[] | { chips: ChipStyle[] };

export type Row = { cells: Cell[] } | { band: string };

export interface Column {
  header: string;
  /** relative width; the columns share the page width in proportion */
  weight: number;
}

export interface TableSpec {
  columns: Column[];
  /** names the table on the pages it continues onto */
  caption: string;
}

const PAD_X = 3;
const PAD_Y = 2.5;
const PART_GAP = 1;
const BAND_HEIGHT = 13;

/** A text part wrapped to its column: drawn line by line. */
interface Laid {
  lines: string[];
  font: FontName;
  size: number;
  color: string;
  lineHeight: number;
}

type LaidCell = Laid[] | ChipStyle[];

interface LaidRow {
  cells: LaidCell[];
  height: number;
}

interface Geometry {
  x: number[];
  w: number[];
  width: number;
  header: LaidRow;
}

/** Draws `rows` under a header row at the cursor, breaking pages as needed. */
export function drawTable(doc: Doc, spec: TableSpec, rows: Iterable<Row>): void {
  const geo = geometry(doc, spec.columns);
  const max = frame(doc).bottom - frame(doc).top - geo.header.height - 20;
  let first = true;
  for (const row of rows) {
    const laid = 'band' in row ? null : layRow(doc, geo, row.cells, max);
    const keep = laid ? laid.height : BAND_HEIGHT + 24;
    if (first) {
      ensureSpace(doc, geo.header.height + keep);
      drawHeader(doc, spec, geo, false);
      first = false;
    } else if (ensureSpace(doc, keep)) {
      drawHeader(doc, spec, geo, true);
    }
    if (laid) drawRow(doc, geo, laid);
    else if ('band' in row) drawBand(doc, geo, row.band);
  }
  if (!first) doc.y += 6;
}

function geometry(doc: Doc, columns: Column[]): Geometry {
  const { left, width } = frame(doc);
  const total = columns.reduce((s, c) => s + c.weight, 0);
  const w = columns.map((c) => (c.weight / total) * width);
  const x = w.map((_, i) => left + w.slice(0, i).reduce((s, v) => s + v, 0));
  const partial = { x, w, width, header: { cells: [], height: 0 } };
  return {
    ...partial,
    header: layRow(
      doc,
      partial,
      columns.map((c) => [{ text: c.header, font: FONT.bold }]),
      Infinity,
    ),
  };
}

function drawHeader(doc: Doc, spec: TableSpec, geo: Geometry, continued: boolean): void {
  const left = geo.x[0]!;
  if (continued) {
    doc.font(FONT.italic).fontSize(SIZE.small).fillColor(INK.muted);
    doc.text(fitLine(doc, `${spec.caption} (continued)`, geo.width), left, doc.y, { lineBreak: false });
    doc.y += SIZE.small * 1.3 + 2;
  }
  doc.save().rect(left, doc.y, geo.width, geo.header.height).fill(INK.header).restore();
  drawRow(doc, geo, geo.header, false);
}

function drawBand(doc: Doc, geo: Geometry, text: string): void {
  const y = doc.y;
  doc.save().rect(geo.x[0]!, y, geo.width, BAND_HEIGHT).fill(INK.band).restore();
  doc.font(FONT.bold).fontSize(SIZE.table).fillColor(INK.accent);
  doc.text(fitLine(doc, text, geo.width - 2 * PAD_X), geo.x[0]! + PAD_X, y + 3, { lineBreak: false });
  doc.y = y + BAND_HEIGHT;
}

function layPart(doc: Doc, part: TextPart, width: number): Laid {
  const font = part.font ?? FONT.regular;
  const size = part.size ?? SIZE.table;
  const lines = wrapText(doc, safeText(part.text), width, font, size);
  return { lines, font, size, color: part.color ?? INK.text, lineHeight: doc.currentLineHeight(true) };
}

function layCell(doc: Doc, cell: Cell, width: number): LaidCell {
  if (typeof cell === 'object' && 'chips' in cell) return cell.chips;
  const parts = typeof cell === 'string' ? [{ text: cell }] : cell;
  return parts.filter((p) => p.text !== '').map((p) => layPart(doc, p, width));
}

function isChips(cell: LaidCell): cell is ChipStyle[] {
  return cell.length > 0 && 'label' in cell[0]!;
}

function cellHeight(laid: LaidCell): number {
  if (isChips(laid)) return laid.length * (CHIP_HEIGHT + 2);
  return laid.reduce((s, p) => s + p.lines.length * p.lineHeight + PART_GAP, 0);
}

/** Wraps a row once; drawing reuses the lines. */
function layRow(doc: Doc, geo: Pick<Geometry, 'w'>, cells: Cell[], max: number): LaidRow {
  const laid = cells.map((c, i) => layCell(doc, c, geo.w[i]! - 2 * PAD_X));
  const h = Math.max(...laid.map(cellHeight));
  return { cells: laid, height: Math.min(max, h + 2 * PAD_Y) };
}

function drawRow(doc: Doc, geo: Geometry, row: LaidRow, rule = true): void {
  const y = doc.y;
  const bottom = y + row.height;
  row.cells.forEach((laid, i) => {
    const x = geo.x[i]! + PAD_X;
    if (isChips(laid))
      laid.forEach((c, k) => chip(doc, x, y + PAD_Y + k * (CHIP_HEIGHT + 2), c, SIZE.small, geo.w[i]! - 2 * PAD_X));
    else drawParts(doc, laid, x, y + PAD_Y, bottom - PAD_Y);
  });
  if (rule)
    doc
      .save()
      .moveTo(geo.x[0]!, bottom)
      .lineTo(geo.x[0]! + geo.width, bottom)
      .lineWidth(0.4)
      .stroke(INK.rule)
      .restore();
  doc.y = bottom;
}

function drawParts(doc: Doc, laid: Laid[], x: number, top: number, bottom: number): void {
  let y = top;
  for (const p of laid) {
    doc.font(p.font).fontSize(p.size).fillColor(p.color);
    for (let i = 0; i < p.lines.length; i++) {
      if (y + p.lineHeight > bottom + 0.01) return;
      const cut = i < p.lines.length - 1 && y + 2 * p.lineHeight > bottom + 0.01;
      drawLine(doc, cut ? `${p.lines[i]} …` : p.lines[i]!, x, y);
      y += p.lineHeight;
    }
    y += PART_GAP;
  }
}
