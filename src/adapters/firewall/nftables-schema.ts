/**
 * Part schema of `nft -j list ruleset` (libnftables-json(5)): the envelope and the fields of the
 * ruleset objects the adapter reads. Statements and expressions are too polymorphic for a schema:
 * the adapter checks them as it decodes them (422 with a JSON Pointer).
 */
import type { JsonSchema } from '../../schemas/json-schema.js';

const str = { type: 'string' } as const;

const setLike = {
  type: 'object',
  required: ['family', 'table', 'name'],
  properties: { family: str, table: str, name: str },
} as const;

export const nftablesBodySchema = {
  $id: 'posture:vendor/nftables/body',
  type: 'object',
  required: ['nftables'],
  properties: {
    nftables: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          table: { type: 'object', required: ['family', 'name'], properties: { family: str, name: str } },
          chain: {
            type: 'object',
            required: ['family', 'table', 'name'],
            properties: { family: str, table: str, name: str, type: str, hook: str, policy: str },
          },
          rule: {
            type: 'object',
            required: ['family', 'table', 'chain', 'expr'],
            properties: {
              family: str,
              table: str,
              chain: str,
              expr: { type: 'array', items: { type: 'object' } },
              comment: str,
            },
          },
          set: setLike,
          map: setLike,
        },
      },
    },
  },
} as const satisfies JsonSchema;
