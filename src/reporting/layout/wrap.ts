/**
 * Line wrapping for table cells. NOTE: shaped for speed — pdfkit's own wrapper runs the Unicode
 * line-breaking algorithm and emits events for every word, twice per cell (to measure, then to
 * draw). Cells are wrapped once here, greedily at spaces, with words longer than the cell cut
 * at the last character that fits; the lines are then drawn one by one without wrapping.
 * Widths are summed from a per-font table of glyph advances: the report's fonts are laid out
 * glyph by glyph without kerning (pdfkit-tuning.ts), so the sum is what is drawn; lines are
 * still kept SLACK points inside the width.
 */
import type { FontName } from './theme.js';

type Doc = PDFKit.PDFDocument;

const SLACK = 1;

/**
 * Advance widths of the report's fonts in 1/1000 em, by UTF-16 code unit (NaN: not measured
 * yet). They are constants of the fonts, so the table is shared; rounding to 1/1000 of a unit
 * recovers the same value whatever size a width was first measured at, so wrapping never
 * depends on that order.
 */
const ADVANCES = new Map<FontName, Float64Array>();

function advances(font: FontName): Float64Array {
  let table = ADVANCES.get(font);
  if (!table) ADVANCES.set(font, (table = new Float64Array(0x10000).fill(Number.NaN)));
  return table;
}

function units(doc: Doc, text: string, size: number): number {
  return Math.round((doc.widthOfString(text) * 1_000_000) / size) / 1000;
}

/** Width of `text` at `size` in `font` (both must be current on `doc`). */
export function textWidth(doc: Doc, text: string, font: FontName, size: number): number {
  const table = advances(font);
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      sum += units(doc, text.slice(i, i + 2), size); // a character beyond the BMP: rare, not kept
      i++;
      continue;
    }
    let w = table[code]!;
    if (Number.isNaN(w)) table[code] = w = units(doc, text[i]!, size);
    sum += w;
  }
  return (sum * size) / 1000;
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
function breakWord(
  doc: Doc,
  word: string,
  width: number,
  font: FontName,
  size: number,
  out: string[],
): [string, number] {
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
