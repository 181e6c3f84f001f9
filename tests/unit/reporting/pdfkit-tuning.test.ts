/**
 * pdfkit-tuning.ts replaces pdfkit internals and is guarded: if pdfkit's internals change shape,
 * the patch silently does nothing and reports get ~5x slower. These tests fail instead: the
 * pinned version is the installed one, the internals have the shape and arity the patch expects,
 * the patched functions are the ones in effect, and drawing and measuring text take the patched
 * path (never fontkit's shaper) while finished pages end up as one chunk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { registerFonts } from '../../../src/reporting/layout/fonts.js';
import { tunePdfKit } from '../../../src/reporting/layout/pdfkit-tuning.js';
import { FONT } from '../../../src/reporting/layout/theme.js';

type Fn = (...args: unknown[]) => unknown;
interface Glyph {
  id: number;
  advanceWidth: number;
}
/** What the patch reads and replaces on pdfkit's EmbeddedFont (pdfkit 0.20). */
interface EmbeddedFont {
  font: { layout: Fn; glyphForCodePoint: (cp: number) => Glyph };
  scale: number;
  layout: Fn;
  encode: Fn;
  layoutCache?: unknown;
  subset: { includeGlyph: Fn };
  widths: number[];
  unicode: number[][];
}
interface Internals {
  _font: EmbeddedFont;
  _pageBuffer: { content: { buffer: Uint8Array[] } }[];
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const internals = (doc: PDFKit.PDFDocument) => doc as unknown as Internals;

function newDocument(tuned: boolean): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', bufferPages: true });
  registerFonts(doc);
  doc.font(FONT.regular);
  if (tuned) tunePdfKit(doc);
  return doc;
}

/** Counts the calls of fontkit's OpenType shaper behind `font` (and still runs it). */
function countShaping(font: EmbeddedFont): { calls: number } {
  const counter = { calls: 0 };
  const shape = font.font.layout;
  font.font.layout = function (this: unknown, ...args: unknown[]) {
    counter.calls++;
    return shape.apply(this, args);
  };
  return counter;
}

describe('the pdfkit tuning', () => {
  it('is written for the pdfkit version package.json pins exactly, and that version is installed', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const pinned = pkg.dependencies.pdfkit!;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'pdfkit', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(installed.version).toBe(pinned);
  });

  it.each(Object.values(FONT))('finds in font %s the internals it replaces, with their arity', (name) => {
    const doc = newDocument(false);
    const font = internals(doc.font(name))._font;
    const own = Object.getPrototypeOf(font) as EmbeddedFont;
    expect([typeof own.layout, own.layout.length, typeof own.encode, own.encode.length]).toEqual([
      'function',
      3,
      'function',
      2,
    ]);
    expect(typeof font.font.glyphForCodePoint).toBe('function');
    expect(typeof font.font.layout).toBe('function');
    expect(typeof font.scale).toBe('number');
    expect(typeof font.subset.includeGlyph).toBe('function');
    expect(Array.isArray(font.widths) && Array.isArray(font.unicode)).toBe(true);
    expect(font.layoutCache).toBeDefined();
  });

  it.each(Object.values(FONT))('puts its own layout and encode in effect on font %s', (name) => {
    const doc = newDocument(true);
    const font = internals(doc.font(name))._font;
    const pdfkits = Object.getPrototypeOf(font) as EmbeddedFont;
    expect(Object.hasOwn(font, 'layout') && font.layout !== pdfkits.layout).toBe(true);
    expect(Object.hasOwn(font, 'encode') && font.encode !== pdfkits.encode).toBe(true);
    expect(font.layoutCache).toBeUndefined();
  });

  it('measures, wraps and draws text glyph by glyph, never through the shaper (features still shape)', () => {
    const doc = newDocument(true);
    const font = internals(doc.font(FONT.regular).fontSize(10))._font;
    const shaping = countShaping(font);
    const text = 'AVAST Wałęsa Ωμέγα office → ';
    const width = doc.widthOfString(text);
    doc.text(text.repeat(20), 50, 50, { width: 200 });
    expect(shaping.calls).toBe(0);
    // exactly the advance widths, no kerning (AV kerns when shaped): what wrap.ts relies on
    const advances = [...text].reduce((sum, c) => sum + font.font.glyphForCodePoint(c.codePointAt(0)!).advanceWidth, 0);
    expect(width).toBeCloseTo((advances * font.scale * 10) / 1000, 9);
    // encode added each glyph drawn to the subset, with its width and code point
    const gid = font.unicode.findIndex((cps) => cps?.[0] === 0x142); // ł
    expect(gid).toBeGreaterThan(0);
    expect(font.widths[gid]).toBe(font.font.glyphForCodePoint(0x142).advanceWidth * font.scale);
    // the control: the counter does see the shaper when pdfkit's `features` option asks for it
    doc.text('office', 50, 400, { features: ['liga'] });
    expect(shaping.calls).toBeGreaterThan(0);
  });

  it('joins a finished page content into one chunk when the next page is added', () => {
    const draw = (doc: PDFKit.PDFDocument) => {
      for (let i = 0; i < 20; i++) doc.text(`line ${i}`, 50, 50 + i * 12);
      doc.addPage();
      return internals(doc)._pageBuffer[0]!.content.buffer;
    };
    const plain = draw(newDocument(false));
    expect(Array.isArray(plain) && plain.length).toBeGreaterThan(1);
    const tuned = draw(newDocument(true));
    expect(tuned).toHaveLength(1);
    expect(Buffer.from(tuned[0]!).toString('latin1')).toBe(Buffer.concat(plain).toString('latin1'));
  });
});
