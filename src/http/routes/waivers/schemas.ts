import type { JsonSchema } from '../../../schemas/json-schema.js';

export const waiverSchema = {
  $id: 'posture:http/waiver',
  title: 'Waiver',
  type: 'object',
  required: [
    'id',
    'ruleId',
    'packId',
    'itemMatch',
    'justification',
    'approvedBy',
    'createdBy',
    'createdAt',
    'expiresAt',
    'revokedAt',
    'active',
    'valid',
    'invalidReason',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    ruleId: { type: 'string' },
    packId: { type: ['string', 'null'] },
    itemMatch: {
      type: 'string',
      description:
        'an exact item id, or a glob: * (any characters, / and . included), ?, [a-z], [!a-z], \\ escapes; nothing else',
    },
    justification: { type: 'string' },
    approvedBy: { type: 'string' },
    createdBy: { type: 'string', description: 'the token subject that created it' },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedBy: { type: ['string', 'null'] },
    active: { type: 'boolean', description: 'applied now: valid, neither expired nor revoked' },
    valid: {
      type: 'boolean',
      description: 'false: stored before the glob grammar was enforced, and outside it; never applied',
    },
    invalidReason: { type: ['string', 'null'], description: 'why itemMatch cannot be read (null when valid)' },
  },
} as const satisfies JsonSchema;
