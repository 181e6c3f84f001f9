/**
 * NOTE: shaped for speed. Changes to one pdfkit document's internals that leave its output
 * byte-for-byte the same (the report tests compare bytes) but make a 10,000-finding report
 * render several times faster and in a fraction of the memory:
 * - kerning: pdfkit looks each glyph pair up by concatenating the two glyph names into a fresh
 *   string key of a ~2,700-key object, for every character measured or drawn. A two-level Map
 *   over the same pairs answers the same amounts without building strings.
 * - glyphs: the character → glyph name → width lookups go through arrays and Maps.
 * - page content: pdfkit keeps every operator it writes as its own small Uint8Array until the
 *   document ends (millions with `bufferPages`). Each finished page's chunks are joined into one,
 *   exactly what pdfkit itself does before compressing the stream.
 * All are guarded: if pdfkit's internals change shape, the document is left as it is.
 */
import { FONT } from './theme.js';

interface AfmFont {
  kernPairs?: Record<string, number>;
  glyphWidths?: Record<string, number>;
  getKernPair?: (left: string, right: string) => number;
  widthOfGlyph?: (glyph: string) => number;
  characterToGlyph?: (code: number) => string;
}

interface ContentRef {
  buffer?: Uint8Array[];
}

interface PdfKitInternals {
  _font?: { font?: AfmFont };
  _pageBuffer?: { content?: ContentRef }[];
}

/** Applies the speed-ups to `doc`; call right after creating it. */
export function tunePdfKit(doc: PDFKit.PDFDocument): void {
  for (const name of Object.values(FONT)) {
    doc.font(name);
    const afm = (doc as unknown as PdfKitInternals)._font?.font;
    if (afm) {
      fastKerning(afm);
      fastGlyphs(afm);
    }
  }
  doc.font(FONT.regular);
  compactFinishedPages(doc);
}

/**
 * Draws one line at (x, y) without wrapping. pdfkit measures every fragment again to size links
 * and underlines, which these lines never have: `textWidth` (pdfkit's own option, which its line
 * wrapper passes) tells it not to.
 */
export function drawLine(doc: PDFKit.PDFDocument, text: string, x: number, y: number): void {
  doc.text(text, x, y, { lineBreak: false, textWidth: 0, wordCount: 0 } as PDFKit.Mixins.TextOptions);
}

/** Glyph names and widths from arrays and Maps instead of object lookups by string. */
function fastGlyphs(afm: AfmFont): void {
  const { characterToGlyph, glyphWidths } = afm;
  if (typeof characterToGlyph !== 'function' || typeof glyphWidths !== 'object' || typeof afm.widthOfGlyph !== 'function') return;
  const glyphs: string[] = [];
  afm.characterToGlyph = (code) => (glyphs[code] ??= characterToGlyph.call(afm, code));
  const widths = new Map(Object.entries(glyphWidths));
  afm.widthOfGlyph = (glyph) => widths.get(glyph) || 0;
}

function fastKerning(afm: AfmFont): void {
  if (typeof afm.kernPairs !== 'object' || typeof afm.getKernPair !== 'function') return;
  const table = new Map<string, Map<string, number>>();
  for (const [key, amount] of Object.entries(afm.kernPairs)) {
    const [left, right] = key.split('\0') as [string, string];
    let row = table.get(left);
    if (!row) table.set(left, (row = new Map()));
    row.set(right, amount);
  }
  afm.getKernPair = (left, right) => table.get(left)?.get(right) ?? 0;
}

function compactFinishedPages(doc: PDFKit.PDFDocument): void {
  doc.on('pageAdded', () => {
    const pages = (doc as unknown as PdfKitInternals)._pageBuffer;
    const content = pages && pages.length >= 2 ? pages[pages.length - 2]!.content : undefined;
    if (!content || !Array.isArray(content.buffer) || content.buffer.length < 2) return;
    content.buffer = [Buffer.concat(content.buffer)];
  });
}
