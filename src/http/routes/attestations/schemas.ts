import type { JsonSchema } from '../../../schemas/json-schema.js';
import { personSchema } from '../../schemas.js';

export const attestationSchema = {
  $id: 'posture:http/attestation',
  title: 'Attestation',
  type: 'object',
  required: [
    'id',
    'packId',
    'requirementId',
    'statement',
    'attestedBy',
    'attestedAt',
    'validUntil',
    'revokedAt',
    'revokedBy',
    'active',
    'files',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    packId: { type: 'string' },
    requirementId: { type: 'string', description: 'a manual requirement of the pack' },
    statement: { type: 'string' },
    attestedBy: personSchema,
    attestedAt: { type: 'string', format: 'date-time' },
    validUntil: { type: 'string', format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedBy: { type: ['string', 'null'] },
    active: { type: 'boolean', description: 'in force now: made, not yet expired, not revoked' },
    files: {
      type: 'array',
      description: 'the evidence files (stored encrypted; the SHA-256 is over the bytes as uploaded)',
      items: {
        type: 'object',
        required: ['idx', 'filename', 'contentType', 'size', 'sha256'],
        properties: {
          idx: { type: 'integer', minimum: 0 },
          filename: { type: 'string' },
          contentType: {
            type: 'string',
            description: 'detected from the bytes: application/pdf, image/png|jpeg|gif|webp, text/plain|csv|markdown',
          },
          size: { type: 'integer', minimum: 1 },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        },
      },
    },
  },
} as const satisfies JsonSchema;
