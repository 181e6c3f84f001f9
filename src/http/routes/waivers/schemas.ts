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
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    ruleId: { type: 'string' },
    packId: { type: ['string', 'null'] },
    itemMatch: { type: 'string', description: 'an exact item id, or a glob (* matches anything)' },
    justification: { type: 'string' },
    approvedBy: { type: 'string' },
    createdBy: { type: 'string', description: 'the token subject that created it' },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedBy: { type: ['string', 'null'] },
    active: { type: 'boolean', description: 'neither expired nor revoked now' },
  },
} as const satisfies JsonSchema;
