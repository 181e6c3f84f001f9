/**
 * Line wrapping for table cells. NOTE: shaped for speed — pdfkit's own wrapper runs the Unicode
 * line-breaking algorithm and emits events for every word, twice per cell (to measure, then to
 * draw). Cells are wrapped once here, greedily at spaces, with words longer than the cell cut
 * at the last character that fits; the lines are then drawn one by one without wrapping.
 * Widths are summed from a per-font table of glyph advances, without kerning: kerning moves a
 * line by well under a point (Helvetica's largest positive pair is 0.06 em), so lines are kept
 * SLACK points inside the width and can at worst reach into the cell padding.
 */
import { FONT, type FontName } from './theme.js';

type Doc = PDFKit.PDFDocument;

const SLACK = 1;

/**
 * Advance widths of the standard fonts in AFM units (1/1000 em, integers), by UTF-16 code unit.
 * They are constants of the fonts, so the table is shared; rounding recovers the exact integer
 * whatever size a width was first measured at, so wrapping never depends on that order.
 */
const ADVANCES = new Map<FontName, Int16Array>();

function advances(font: FontName): Int16Array {
  let table = ADVANCES.get(font);
  if (!table) ADVANCES.set(font, (table = new Int16Array(0x2200).fill(-1)));
  return table;
}

/** Width of `text` at `size` in `font` (both must be current on `doc`), kerning left out. */
export function textWidth(doc: Doc, text: string, font: FontName, size: number): number {
  if (font === FONT.mono) return (text.length * 600 * size) / 1000;
  const table = advances(font);
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let w = code < table.length ? table[code]! : -1;
    if (w < 0) {
      w = Math.round((doc.widthOfString(text[i]!) * 1000) / size);
      if (code < table.length) table[code] = w;
    }
    units += w;
  }
  return (units * size) / 1000;
}

/** `text` (already font-safe) as lines no wider than `width`, in `font` at `size` (set on `doc` here). */
export function wrapText(doc: Doc, text: string, maxWidth: number, font: FontName, size: number): string[] {
  doc.font(font).fontSize(size);
  const width = maxWidth - SLACK;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    if (textWidth(doc, paragraph, font, size) <= width) lines.push(paragraph);
    else wrapParagraph(doc, paragraph, width, font, size, lines);
  }
  return lines;
}

function wrapParagraph(doc: Doc, paragraph: string, width: number, font: FontName, size: number, out: string[]): void {
  const space = textWidth(doc, ' ', font, size);
  let line = '';
  let lineWidth = 0;
  for (const word of paragraph.split(' ')) {
    const w = textWidth(doc, word, font, size);
    if (line !== '' && lineWidth + space + w <= width) {
      line += ` ${word}`;
      lineWidth += space + w;
      continue;
    }
    if (line !== '') out.push(line);
    [line, lineWidth] = w <= width ? [word, w] : breakWord(doc, word, width, font, size, out);
  }
  out.push(line);
}

/** Pushes the full-width pieces of a word too long for one line; returns the last piece and its width. */
function breakWord(doc: Doc, word: string, width: number, font: FontName, size: number, out: string[]): [string, number] {
  let rest = word;
  while (textWidth(doc, rest, font, size) > width && rest.length > 1) {
    const n = Math.max(1, fittingPrefix(doc, rest, width, font, size));
    const soft = lastBreak(rest.slice(0, n));
    const cut = soft > n / 2 ? soft : n;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return [rest, textWidth(doc, rest, font, size)];
}

/** Just after the last '.', '@', '/', '-', '_', ',' or ':' of `text` (0 when none): a natural place to cut an address or a path. */
function lastBreak(text: string): number {
  for (let i = text.length - 1; i > 0; i--) if ('.@/-_,:'.includes(text[i]!)) return i + 1;
  return 0;
}

/** The length of the longest prefix of `text` that fits `width`. */
function fittingPrefix(doc: Doc, text: string, width: number, font: FontName, size: number): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(doc, text.slice(0, mid), font, size) <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
