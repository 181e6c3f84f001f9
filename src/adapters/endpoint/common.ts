/**
 * Readers shared by the endpoint (EDR) adapters. They keep the canonical distinction between an
 * absent field (the export does not say → `undefined`) and a present `null` (known none), and
 * turn vendor envelopes, paging leftovers and duplicate records into warnings, never crashes.
 */
import type { Endpoint } from '../../schemas/canonical-types.js';
import type { JsonSchema } from '../../schemas/json-schema.js';
import { toIsoTime } from '../common/time.js';
import type { Record_ } from '../common/envelope.js';
import type { Page, Warning } from '../types.js';
import { defined, isObject } from '../common/objects.js';

export { defined, isObject };

export type Health = NonNullable<Endpoint['agent']>['health'];
export type Mode = NonNullable<Endpoint['protection']>['mode'];

export const nullableString = { type: ['string', 'null'] } as const;
/** Booleans that some exports send as `"True"`/`"False"` strings. */
export const looseBoolean = { type: ['boolean', 'string', 'null'] } as const;

/**
 * A part schema accepting the vendor's envelope (`{[key]: [...]}`) or a bare array of records.
 * `if/then/else` rather than `anyOf`, so that a bad record is reported once, at its own pointer.
 */
export function envelopeOrArray(
  id: string,
  key: string,
  item: JsonSchema,
  envelope: Record<string, JsonSchema> = {},
): JsonSchema {
  return {
    $id: id,
    type: ['array', 'object'],
    if: { type: 'array' },
    then: { type: 'array', items: item },
    else: {
      type: 'object',
      required: [key],
      properties: { ...envelope, [key]: { type: ['array', 'null'], items: item } },
    },
  };
}

/** `true`/`false` and their string spellings in any case; anything else → undefined. */
export function toBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim().toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

/** A non-blank string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Lower-cased non-blank string (for vendor enums compared case-insensitively). */
export function lower(value: unknown): string | undefined {
  return text(value)?.toLowerCase();
}

/** A version string: absent stays absent, `null`/blank is "known none". */
export function versionOf(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  return text(value) ?? null;
}

/**
 * A last-seen time: absent → absent, `null` → null (never seen), readable → ISO; a present but
 * unreadable value is left absent with a warning rather than guessed.
 */
export function seenAt(value: unknown, rec: Record_, field: string, warnings: Warning[]): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const iso = toIsoTime(value);
  if (iso === undefined) warnings.push(at(rec, 'unreadable_time', `${field} is not a readable time; left out`, field));
  return iso;
}

/** The hostname as the vendor gives it; a record without one keeps `''` and is flagged. */
export function hostnameOf(value: unknown, rec: Record_, field: string, warnings: Warning[]): string {
  const name = text(value);
  if (name === undefined)
    warnings.push(
      at(
        rec,
        'missing_hostname',
        `the record has no ${field}: it cannot be joined to other sources by hostname`,
        field,
      ),
    );
  return name ?? '';
}

/** A warning located at a record (or one of its fields). */
export function at(rec: Record_, code: string, message: string, field?: string): Warning {
  const pointer = field === undefined ? rec.pointer : `${rec.pointer}/${field}`;
  return { code, message, part: rec.part, page: rec.page, pointer };
}

/**
 * Drops later records whose id was already seen (overlapping pages would otherwise count a host
 * twice) and says so.
 */
export function dedupe(records: Record_[], idOf: (r: Record_) => string, warnings: Warning[]): Record_[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const id = idOf(r);
    if (seen.has(id)) {
      warnings.push(
        at(r, 'duplicate_record', `record ${JSON.stringify(id)} appears more than once; the first is kept`),
      );
      return false;
    }
    seen.add(id);
    return true;
  });
}

/** Vendor `errors` arrays inside a successful envelope (Falcon, S1): the page may be partial. */
export function envelopeErrors(pages: readonly Page[], warnings: Warning[]): void {
  for (const p of pages) {
    const errors = isObject(p.value) ? p.value.errors : undefined;
    if (Array.isArray(errors) && errors.length > 0) {
      warnings.push({
        code: 'vendor_errors',
        message: `the page carries ${errors.length} vendor error(s): some records may be missing`,
        part: p.part,
        page: p.page,
        pointer: '/errors',
      });
    }
  }
}

/** A paging marker says there were more records than the pages given: the export is incomplete. */
export function incomplete(part: string, page: number, pointer: string, detail: string): Warning {
  return { code: 'incomplete_export', message: `the ${part} export looks incomplete: ${detail}`, part, page, pointer };
}

/** The single value a field takes across all records (e.g. one tenant id), else undefined. */
export function soleValue(records: readonly Record_[], field: string): string | undefined {
  const values = new Set(records.map((r) => text(r.value[field])));
  const [only] = values;
  return values.size === 1 ? only : undefined;
}
