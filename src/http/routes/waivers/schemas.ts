import { WAIVER_STATUSES } from '../../../core/vocabulary.js';
import type { JsonSchema } from '../../../schemas/json-schema.js';
import { personSchema } from '../../schemas.js';

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
    'status',
    'requestedBy',
    'approvedBy',
    'approver',
    'approvedAt',
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
    status: {
      type: 'string',
      enum: WAIVER_STATUSES,
      description: 'pending (requested, never applied), approved (applies from approvedAt), rejected',
    },
    requestedBy: personSchema,
    approvedBy: {
      type: ['string', 'null'],
      description:
        'the subject that approved it (null while pending or when rejected); for waivers from before approval was a separate step, the text they were created with',
    },
    approver: { anyOf: [personSchema, { type: 'null' }], description: 'who approved it, as their token named them' },
    approvedAt: { type: ['string', 'null'], format: 'date-time' },
    createdBy: { type: 'string', description: 'the token subject that created it' },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedBy: { type: ['string', 'null'] },
    active: { type: 'boolean', description: 'applied now: valid, approved, neither expired nor revoked' },
    valid: {
      type: 'boolean',
      description: 'false: stored before the glob grammar was enforced, and outside it; never applied',
    },
    invalidReason: { type: ['string', 'null'], description: 'why itemMatch cannot be read (null when valid)' },
  },
} as const satisfies JsonSchema;
