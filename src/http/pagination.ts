/**
 * Every list is `{items, nextCursor}`, newest first. Ids are UUIDv7 (time-ordered), so a cursor
 * is the last id of the page and the next page is "ids below it". Clients treat it as opaque.
 */
import type { JsonSchema } from '../schemas/json-schema.js';

export const listQueryProperties = {
  limit: {
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'page size (default 100, at most 1000)',
  },
  cursor: {
    type: 'string',
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    description: 'the nextCursor of the previous page',
  },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: listQueryProperties,
} as const satisfies JsonSchema;

export interface ListQuery {
  limit: number;
  cursor?: string;
}

/** Rows were fetched with `limit + 1`: the extra row only says that another page exists. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  idOf: (row: T) => string,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? idOf(items[items.length - 1]!) : null };
}

export function listSchema(item: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  };
}
