/**
 * Vendor envelopes around a page of records. Each source accepts its vendor's envelope
 * (OData `value`, Falcon `resources`, SentinelOne `data`, Duo `{stat, response}`, AWS
 * `SecurityGroups`, Kaseya `Result`, Datto `users`) and a bare array.
 */
import type { Page } from '../types.js';

export interface Record_ {
  value: Record<string, unknown>;
  /** JSON Pointer of the record within its page */
  pointer: string;
  part: string;
  page: number;
}

/** The records of one page: the page itself if it is an array, else `page[key]` for the first key present. */
export function recordsOf(page: Page, keys: readonly string[]): Record_[] {
  const v = page.value;
  let arr: unknown = v;
  let base = '';
  if (!Array.isArray(v) && v !== null && typeof v === 'object') {
    const key = keys.find((k) => Array.isArray((v as Record<string, unknown>)[k]));
    if (key === undefined) return [];
    arr = (v as Record<string, unknown>)[key];
    base = '/' + escapePointer(key);
  }
  if (!Array.isArray(arr)) return [];
  const out: Record_[] = [];
  arr.forEach((value, i) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out.push({ value: value as Record<string, unknown>, pointer: `${base}/${i}`, part: page.part, page: page.page });
    }
  });
  return out;
}

/** All records of all pages of a part, in order. */
export function allRecords(pages: readonly Page[] | undefined, keys: readonly string[]): Record_[] {
  return (pages ?? []).flatMap((p) => recordsOf(p, keys));
}

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The canonical `origin` of a record: the page is given only when the part had several. */
export function originOf(rec: { part: string; page: number; pointer: string }, pageCount: number) {
  return pageCount > 1
    ? { part: rec.part, page: rec.page, pointer: rec.pointer }
    : { part: rec.part, pointer: rec.pointer };
}
