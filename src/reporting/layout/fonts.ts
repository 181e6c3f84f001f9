/**
 * The report's fonts: DejaVu Sans Condensed (regular, bold, oblique: within a few per cent of
 * Helvetica's widths, so the layout keeps its proportions) for text and DejaVu Sans Mono for
 * evidence and hashes, TrueType files kept in reports/fonts/ with their licence (LICENSE there).
 * Unlike the 14 standard PDF fonts (WinAnsi only), they draw Polish, Czech, Cyrillic, Greek,
 * arrows and the like. pdfkit embeds each as a subset of the glyphs the report uses, named from the document's
 * font ids, so the bytes stay deterministic. Characters none of them has (CJK, emoji) are
 * replaced before drawing (text.ts): a missing glyph would print as an empty box.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import { FONT, type FontName } from './theme.js';

export const FONTS_DIR = fileURLToPath(new URL('../../../reports/fonts/', import.meta.url));

export const FONT_FILES: Record<FontName, string> = {
  [FONT.regular]: 'DejaVuSansCondensed.ttf',
  [FONT.bold]: 'DejaVuSansCondensed-Bold.ttf',
  [FONT.italic]: 'DejaVuSansCondensed-Oblique.ttf',
  [FONT.mono]: 'DejaVuSansMono.ttf',
};

interface Loaded {
  files: Map<FontName, Buffer>;
  /** the code points every one of the fonts draws */
  drawable: Set<number>;
}

let loaded: Loaded | undefined;

/** Reads the font files once per process. */
function load(): Loaded {
  if (loaded) return loaded;
  const files = new Map<FontName, Buffer>();
  let drawable: Set<number> | undefined;
  for (const [name, file] of Object.entries(FONT_FILES) as [FontName, string][]) {
    const bytes = readFileSync(`${FONTS_DIR}${file}`);
    files.set(name, bytes);
    const has = new Set(fontkit.create(bytes).characterSet);
    drawable = drawable ? new Set([...drawable].filter((cp) => has.has(cp))) : has;
  }
  return (loaded = { files, drawable: drawable! });
}

/** Registers the report's fonts on `doc` under the FONT names. */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, bytes] of load().files) doc.registerFont(name, bytes);
}

/** Whether every report font has a glyph for `codePoint`. */
export function drawable(codePoint: number): boolean {
  return load().drawable.has(codePoint);
}
