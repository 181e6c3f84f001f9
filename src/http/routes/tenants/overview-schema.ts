import { SLUG_PATTERN } from '../../schemas.js';
import type { JsonSchema } from '../../../schemas/json-schema.js';
import { figure } from '../evaluations/schemas.js';

const count = { type: 'integer', minimum: 0 } as const;
const at = { type: 'string', format: 'date-time' } as const;
const value = { type: ['number', 'null'], description: '0..1, null when nothing applies' } as const;
const expiring = {
  type: 'object',
  required: ['count', 'next'],
  properties: { count, next: { type: ['string', 'null'], format: 'date-time', description: 'the soonest expiry' } },
} as const;

const packSchema = {
  type: 'object',
  required: [
    'pack',
    'evaluationId',
    'asOf',
    'verified',
    'withAttestations',
    'withWaivers',
    'open',
    'newSinceLastWeek',
    'series',
  ],
  properties: {
    pack: { type: 'string' },
    evaluationId: { type: 'string', description: 'the latest evaluation of the pack as of now' },
    asOf: at,
    verified: figure,
    withAttestations: figure,
    withWaivers: figure,
    open: {
      type: 'object',
      description: 'failing findings of the latest evaluation, by severity',
      required: ['critical', 'high', 'medium', 'low', 'info'],
      properties: { critical: count, high: count, medium: count, low: count, info: count },
    },
    newSinceLastWeek: count,
    series: {
      type: 'array',
      description: 'the figures of the last evaluations, oldest first (the latest last)',
      items: {
        type: 'object',
        required: ['evaluationId', 'asOf', 'verified', 'withAttestations', 'withWaivers'],
        properties: {
          evaluationId: { type: 'string' },
          asOf: at,
          verified: value,
          withAttestations: value,
          withWaivers: value,
        },
      },
    },
  },
} as const;

export const overviewSchema = {
  $id: 'posture:http/overview',
  title: 'Overview',
  type: 'object',
  required: ['tenant', 'asOf', 'newSince', 'expiringBy', 'tenants'],
  properties: {
    tenant: { type: 'string', pattern: SLUG_PATTERN },
    asOf: at,
    newSince: { ...at, description: 'now − 7 days: the base of newSinceLastWeek' },
    expiringBy: { ...at, description: 'now + 30 days' },
    tenants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['slug', 'name', 'kind', 'packs', 'oldestEvidence', 'expiring'],
        properties: {
          slug: { type: 'string' },
          name: { type: 'string' },
          kind: { enum: ['msp', 'client'] },
          packs: { type: 'array', items: packSchema },
          oldestEvidence: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kind', 'collectedAt'],
              properties: { kind: { type: 'string' }, collectedAt: at },
            },
          },
          expiring: {
            type: 'object',
            required: ['waivers', 'attestations'],
            properties: { waivers: expiring, attestations: expiring },
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;
