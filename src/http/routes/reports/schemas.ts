import type { JsonSchema } from '../../../schemas/json-schema.js';

export const reportSchema = {
  $id: 'posture:http/report',
  title: 'Report',
  type: 'object',
  required: ['id', 'evaluationId', 'packs', 'sha256', 'size', 'signerFingerprint', 'createdBy', 'createdAt', 'pdf'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    evaluationId: { type: 'string', format: 'uuid' },
    packs: { type: 'array', items: { type: 'string' } },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'of the signed PDF as stored and served' },
    size: { type: 'integer' },
    signerFingerprint: { type: 'string', description: 'SHA-256 of the signing certificate (DER)' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    pdf: { type: 'string', description: 'where to download it' },
  },
} as const satisfies JsonSchema;

export const verdictSchema = {
  title: 'ReportVerdict',
  type: 'object',
  required: ['valid', 'reportId', 'tenant', 'sha256', 'signedAt', 'signer', 'reasons'],
  properties: {
    valid: { type: 'boolean' },
    reportId: { type: ['string', 'null'] },
    tenant: { type: ['string', 'null'] },
    sha256: { type: 'string' },
    signedAt: { type: ['string', 'null'] },
    signer: { type: ['string', 'null'] },
    signerFingerprint: { type: ['string', 'null'] },
    reasons: {
      type: 'array',
      items: {
        enum: [
          'no_signature',
          'malformed_signature',
          'not_covering_whole_file',
          'digest_mismatch',
          'invalid_signature',
          'unknown_signer',
          'missing_signing_certificate_v2',
          'signing_certificate_mismatch',
          'padding_not_zero',
          'not_issued_by_this_service',
        ],
      },
    },
  },
} as const satisfies JsonSchema;
