/**
 * The cursor of a findings page: the sort and the last row's sort key, as base64url JSON. Clients
 * treat it as opaque; it comes back from them, so it is checked like any other input.
 */
import { AppError } from '../core/errors.js';
import { SEVERITIES } from '../core/vocabulary.js';
import type { FindingSort } from '../core/vocabulary.js';

export function encodeFindingCursor(sort: FindingSort, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}

const isFingerprint = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const isSeverityRank = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < SEVERITIES.length;
const isRule = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200;
const isTime = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v) && !Number.isNaN(Date.parse(v));

/** The sort key a cursor carries; `invalid_cursor` when it is not one this service gave for `sort`. */
export function decodeFindingCursor(cursor: string, sort: FindingSort): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const key = Array.isArray(parsed) && parsed[0] === sort ? (parsed.slice(1) as unknown[]) : undefined;
  const shape =
    sort === 'severity' ? [isSeverityRank, isRule, isFingerprint] : [isTime, isSeverityRank, isRule, isFingerprint];
  if (!key || key.length !== shape.length || !shape.every((ok, i) => ok(key[i])))
    throw new AppError('invalid_cursor', `not a cursor of a findings page sorted by ${sort}`, [
      {
        pointer: '/cursor',
        in: 'query',
        message: `pass the nextCursor of the previous page, with the same sort (${sort})`,
      },
    ]);
  return key as (string | number)[];
}
