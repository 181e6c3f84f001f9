import { canonicalSchemas } from '../../../schemas/canonical.js';
import type { JsonSchema } from '../../../schemas/json-schema.js';
import { evaluationSummarySchema } from '../evaluations/schemas.js';

export const snapshotSchema = {
  $id: 'posture:http/snapshot',
  title: 'Snapshot',
  type: 'object',
  required: [
    'id',
    'kind',
    'source',
    'instance',
    'collectedAt',
    'collectedAtSource',
    'configChangedAt',
    'lastConfirmedAt',
    'receivedAt',
    'sha256',
    'parts',
    'itemCount',
    'submittedBy',
    'labels',
    'warnings',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { enum: Object.keys(canonicalSchemas) },
    source: { type: 'string' },
    instance: { type: 'string' },
    collectedAt: {
      type: 'string',
      format: 'date-time',
      description:
        'when the export was taken: X-Collected-At, else a time the export stamps on itself as the moment it was taken (iptables-save `# Generated … on`, read as UTC), else its receipt. Clock-dependent rules judge its items against it',
    },
    collectedAtSource: { enum: ['header', 'export', 'received'], description: 'where collectedAt came from' },
    configChangedAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description:
        'when the configuration last changed, as the export says (pfSense/OPNsense `<revision><time>`); not a collection time',
    },
    lastConfirmedAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description:
        "the last time the same export was posted again (answered 200), as of that post's collection time: evidence freshness counts from the later of this and collectedAt",
    },
    receivedAt: { type: 'string', format: 'date-time' },
    sha256: {
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
      description: 'of the raw body; for multipart, of the sorted (part name, part SHA-256) pairs',
    },
    contentType: { type: 'string' },
    parts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'page', 'format', 'size', 'sha256'],
        properties: {
          name: { type: 'string' },
          page: { type: 'integer' },
          format: { enum: ['json', 'xml', 'text'] },
          size: { type: 'integer' },
          sha256: { type: 'string' },
        },
      },
    },
    itemCount: { type: 'integer' },
    submittedBy: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    warnings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
    },
    normalized: {
      description: 'the canonical document (GET of one snapshot only)',
      oneOf: Object.values(canonicalSchemas).map((s) => ({ $ref: s.$id })),
    },
  },
} as const satisfies JsonSchema;

export const ingestResponseSchema = {
  title: 'IngestResult',
  type: 'object',
  required: [
    'id',
    'kind',
    'source',
    'instance',
    'sha256',
    'itemCount',
    'collectedAt',
    'collectedAtSource',
    'lastConfirmedAt',
    'receivedAt',
    'warnings',
    'evaluation',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string' },
    source: { type: 'string' },
    instance: { type: 'string' },
    sha256: { type: 'string' },
    itemCount: { type: 'integer' },
    collectedAt: snapshotSchema.properties.collectedAt,
    collectedAtSource: snapshotSchema.properties.collectedAtSource,
    configChangedAt: snapshotSchema.properties.configChangedAt,
    lastConfirmedAt: snapshotSchema.properties.lastConfirmedAt,
    receivedAt: { type: 'string', format: 'date-time' },
    warnings: snapshotSchema.properties.warnings,
    evaluation: {
      type: 'object',
      description: 'the evaluation this ingest triggered: its id and summary (GET …/evaluations/{id} for the rest)',
      required: ['id', 'summary'],
      properties: { id: { type: 'string', format: 'uuid' }, summary: evaluationSummarySchema },
    },
  },
} as const satisfies JsonSchema;
