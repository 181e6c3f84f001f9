/** The query and response schemas of every list (`domain/page.ts` says how pages are cut). */
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

export function listSchema(item: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  };
}
