/** The part of fontkit (pdfkit's font engine; it ships no typings) that the report's fonts use. */
declare module 'fontkit' {
  export interface Glyph {
    id: number;
    /** in font units */
    advanceWidth: number;
    codePoints: number[];
  }
  export interface Font {
    postscriptName: string;
    unitsPerEm: number;
    /** every code point the font maps to a glyph */
    characterSet: number[];
    glyphForCodePoint(codePoint: number): Glyph;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
