/**
 * Text preparation. The report's fonts (fonts.ts) draw most of Unicode's Latin, Greek and
 * Cyrillic, punctuation, arrows and symbols, but not everything: every string from the data
 * passes through `safeText`, which composes accents onto their letters (NFC) and replaces what
 * the fonts cannot draw (a base letter without its accent when that can, else `?`). Dates are
 * UTC ISO, never locale-formatted, so the bytes do not depend on the machine.
 */
import { drawable } from './fonts.js';

function printable(cp: number): boolean {
  return cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f) && drawable(cp);
}

function replacement(ch: string): string {
  if (ch === '\t' || ch === '\r') return ' ';
  const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return [...base].every((c) => printable(c.codePointAt(0)!)) && base.length > 0 ? base : '?';
}

/** Printable ASCII and newlines: nothing to replace. */
const PLAIN = /^[\x20-\x7e\n]*$/;

/** `text` with every character the report's fonts cannot draw replaced; newlines kept. */
export function safeText(text: string): string {
  if (PLAIN.test(text)) return text;
  let out = '';
  for (const ch of text.normalize('NFC')) {
    out += ch === '\n' || printable(ch.codePointAt(0)!) ? ch : replacement(ch);
  }
  return out;
}

/** At most `max` characters, the last one an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${[...text].slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** `2025-03-04 05:06:07 UTC`. */
export function formatDateTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2025-03-04`. */
export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A score (0..1) as a percentage with one decimal; null is "n/a". */
export function percent(score: number | null): string {
  return score === null ? 'n/a' : `${(score * 100).toFixed(1)}%`;
}

/** The change between two scores in percentage points, signed; "n/a" when either is unknown. */
export function delta(now: number | null, before: number | null | undefined): string {
  if (now === null || before === null || before === undefined) return 'n/a';
  const pts = Math.round((now - before) * 1000) / 10;
  if (pts === 0) return '±0.0 pts';
  return `${pts > 0 ? '+' : '-'}${Math.abs(pts).toFixed(1)} pts`;
}

/** Singular or plural noun with its count: `1 finding`, `3 findings`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Code-point order: deterministic on every machine, unlike localeCompare. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
