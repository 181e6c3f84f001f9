/**
 * NOTE: shaped for speed. Changes to one pdfkit document's internals that make a 10,000-finding
 * report render many times faster and in a fraction of the memory:
 * - layout of the embedded TrueType fonts: pdfkit runs fontkit's OpenType shaper (GSUB, GPOS)
 *   on every word it measures or draws and caches every distinct word's glyph run for the life
 *   of the document — a 10,000-finding report took 14.6 s and 384 MB that way. The report's
 *   fonts are laid out glyph by glyph from the cmap instead, at their advance widths: no
 *   kerning, ligatures or mark positioning (DejaVu needs none for Latin, Greek and Cyrillic
 *   once accents are composed, see text.ts; right-to-left and Indic scripts are not shaped),
 *   and a width measured is exactly the width drawn, which the cell wrapper (wrap.ts) relies on.
 * - page content: pdfkit keeps every operator it writes as its own small Uint8Array until the
 *   document ends (millions with `bufferPages`). Each finished page's chunks are joined into one,
 *   exactly what pdfkit itself does before compressing the stream.
 * - kerning and glyph lookups of the standard (AFM) fonts, should one be used: Maps and arrays
 *   instead of string-keyed objects, with the same results.
 * All are guarded: if pdfkit's internals change shape, the document is left as it is.
 */
import { FONT } from './theme.js';

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

interface Layout {
  glyphs: FontkitGlyph[] | null;
  positions: Position[] | null;
  advanceWidth: number;
}

/** pdfkit's EmbeddedFont: a fontkit font, the scale from its units to 1/1000 em, the subset being built. */
interface EmbeddedFont {
  font?: { glyphForCodePoint?: (codePoint: number) => FontkitGlyph };
  scale?: number;
  layout?: (text: string, features?: unknown, onlyWidth?: boolean) => Layout;
  encode?: (text: string, features?: unknown) => [string[], Position[]];
  layoutCache?: unknown;
  subset?: { includeGlyph?: (glyphId: number) => number };
  widths?: number[];
  unicode?: number[][];
}

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
  _font?: { font?: AfmFont } & EmbeddedFont;
  _pageBuffer?: { content?: ContentRef }[];
}

/** Applies the speed-ups to `doc`; call right after creating it. */
export function tunePdfKit(doc: PDFKit.PDFDocument): void {
  for (const name of Object.values(FONT)) {
    doc.font(name);
    const font = (doc as unknown as PdfKitInternals)._font;
    if (font && isEmbedded(font)) glyphByGlyphLayout(font);
    else if (font?.font) {
      fastKerning(font.font);
      fastGlyphs(font.font);
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

function isEmbedded(font: EmbeddedFont): boolean {
  return (
    typeof font.font?.glyphForCodePoint === 'function' &&
    typeof font.scale === 'number' &&
    typeof font.layout === 'function' &&
    typeof font.encode === 'function' &&
    typeof font.subset?.includeGlyph === 'function' &&
    Array.isArray(font.widths) &&
    Array.isArray(font.unicode)
  );
}

interface Run {
  glyph: FontkitGlyph;
  position: Position;
  /** the glyph's id in the subset as 4 hex digits, once the character has been drawn */
  hex?: string;
}

/**
 * One glyph per code point, from the cmap, each advancing by its width (pdfkit's `features`
 * option still goes through fontkit's shaper). The run of a character is built once and shared:
 * pdfkit only reads positions (it copies the one it adds word spacing to). Encoding adds a
 * glyph to the subset, with its width and code point, the first time it is drawn — as pdfkit's
 * own encode does — and reuses its subset id after that.
 */
function glyphByGlyphLayout(font: EmbeddedFont): void {
  const shaped = font.layout!;
  const shapedEncode = font.encode!;
  const fontkit = font.font!;
  const scale = font.scale!;
  const runs = new Map<number, Run>();
  const runOf = (codePoint: number): Run => {
    let run = runs.get(codePoint);
    if (!run) {
      const glyph = fontkit.glyphForCodePoint!(codePoint);
      const w = glyph.advanceWidth * scale;
      runs.set(
        codePoint,
        (run = { glyph, position: { xAdvance: w, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: w } }),
      );
    }
    return run;
  };
  delete font.layoutCache;
  font.layout = function layout(this: EmbeddedFont, text, features, onlyWidth) {
    if (features) return shaped.call(this, text, features, onlyWidth);
    const glyphs: FontkitGlyph[] | null = onlyWidth ? null : [];
    const positions: Position[] | null = onlyWidth ? null : [];
    let advanceWidth = 0;
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) cp = text.codePointAt(i++)!;
      const run = runOf(cp);
      advanceWidth += run.position.advanceWidth;
      if (glyphs) {
        glyphs.push(run.glyph);
        positions!.push(run.position);
      }
    }
    return { glyphs, positions, advanceWidth };
  };
  font.encode = function encode(this: EmbeddedFont, text, features) {
    if (features) return shapedEncode.call(this, text, features);
    const hexes: string[] = [];
    const positions: Position[] = [];
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) cp = text.codePointAt(i++)!;
      const run = runOf(cp);
      if (run.hex === undefined) {
        const gid = this.subset!.includeGlyph!(run.glyph.id);
        run.hex = `0000${gid.toString(16)}`.slice(-4);
        this.widths![gid] ??= run.glyph.advanceWidth * scale;
        this.unicode![gid] ??= run.glyph.codePoints;
      }
      hexes.push(run.hex);
      positions.push(run.position);
    }
    return [hexes, positions];
  };
}

/** Glyph names and widths from arrays and Maps instead of object lookups by string. */
function fastGlyphs(afm: AfmFont): void {
  const { characterToGlyph, glyphWidths } = afm;
  if (
    typeof characterToGlyph !== 'function' ||
    typeof glyphWidths !== 'object' ||
    typeof afm.widthOfGlyph !== 'function'
  )
    return;
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
