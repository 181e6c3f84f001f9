/**
 * Every word of a PDF with its box, read by poppler (`pdftotext -bbox-layout`), and the pairs of
 * words on one page whose boxes overlap: text drawn over text (a chip over a message, a cell over
 * the next) shows up here however it looks.
 */
import { spawnSync } from 'node:child_process';

export interface WordBox {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** The words of the PDF at `path`, page by page (1-based). */
export function wordBoxes(path: string): WordBox[] {
  const r = spawnSync('pdftotext', ['-bbox-layout', path, '-'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdftotext -bbox-layout: ${r.stderr}`);
  const out: WordBox[] = [];
  let page = 0;
  const num = (tag: string, name: string) => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(tag)![1]);
  for (const m of r.stdout.matchAll(/<page\b[^>]*>|<word\b([^>]*)>([^<]*)<\/word>/g)) {
    if (m[0].startsWith('<page')) {
      page++;
      continue;
    }
    const tag = m[1]!;
    out.push({
      page,
      text: m[2]!,
      xMin: num(tag, 'xMin'),
      yMin: num(tag, 'yMin'),
      xMax: num(tag, 'xMax'),
      yMax: num(tag, 'yMax'),
    });
  }
  return out;
}

/**
 * Pairs of words on the same page whose boxes overlap by more than `tolerance` points each way
 * (poppler's boxes include the font's ascent and descent, so lines set close touch slightly).
 */
export function overlappingWords(words: readonly WordBox[], tolerance = 1): [WordBox, WordBox][] {
  const out: [WordBox, WordBox][] = [];
  const byPage = new Map<number, WordBox[]>();
  for (const w of words) byPage.set(w.page, [...(byPage.get(w.page) ?? []), w]);
  for (const list of byPage.values()) {
    const sorted = [...list].sort((a, b) => a.yMin - b.yMin);
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length && sorted[j]!.yMin < a.yMax - tolerance; j++) {
        const b = sorted[j]!;
        const x = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
        const y = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
        if (x > tolerance && y > tolerance) out.push([a, b]);
      }
    }
  }
  return out;
}

/** "p3 'fail' [72,100–90,108] over 'evidence' […]": a readable line per overlap. */
export function describeOverlap([a, b]: [WordBox, WordBox]): string {
  const box = (w: WordBox) =>
    `'${w.text}' [${w.xMin.toFixed(1)},${w.yMin.toFixed(1)}–${w.xMax.toFixed(1)},${w.yMax.toFixed(1)}]`;
  return `p${a.page} ${box(a)} over ${box(b)}`;
}

/**
 * Words of `whole` set broken over two lines: a box holding its first part with, on the next line
 * and starting at the same x, a box holding the rest (a table header too narrow for its label).
 */
export function brokenWords(words: readonly WordBox[], whole: readonly string[]): [WordBox, WordBox][] {
  const out: [WordBox, WordBox][] = [];
  for (const a of words) {
    for (const w of whole) {
      if (a.text.length >= w.length || !w.startsWith(a.text.replace(/-$/, ''))) continue;
      const rest = w.slice(a.text.replace(/-$/, '').length);
      const b = words.find(
        (b) =>
          b.page === a.page &&
          b.text === rest &&
          Math.abs(b.xMin - a.xMin) < 2 &&
          b.yMin > a.yMin &&
          b.yMin - a.yMax < (a.yMax - a.yMin) * 0.8,
      );
      if (b) out.push([a, b]);
    }
  }
  return out;
}
