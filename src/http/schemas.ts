/** Request and response schemas shared by several routes; they also feed the OpenAPI document. */
import type { JsonSchema } from '../schemas/json-schema.js';

export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';

/** Who did something (requested, approved, attested), as their token named them at the time. */
export const personSchema = {
  type: 'object',
  required: ['sub', 'name', 'email'],
  properties: {
    sub: { type: 'string', description: 'the token subject' },
    name: { type: ['string', 'null'], description: "the token's name claim at the time, if it had one" },
    email: { type: ['string', 'null'], description: "the token's email claim at the time, if it had one" },
  },
} as const satisfies JsonSchema;

export const problemSchema = {
  $id: 'posture:http/problem',
  title: 'Problem',
  description: 'RFC 9457 problem details',
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['message'],
        properties: {
          pointer: { type: 'string', description: 'JSON Pointer into the offending input' },
          message: { type: 'string' },
          in: { enum: ['body', 'query', 'header', 'path'] },
          part: { type: 'string' },
          page: { type: 'integer' },
          line: { type: 'integer' },
        },
      },
    },
  },
} as const satisfies JsonSchema;

export const externalRefsSchema = {
  type: 'object',
  description: 'vendor/source name → the vendor\'s id for this organisation (e.g. {"ninjaone": "42"})',
  propertyNames: { pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
  additionalProperties: { type: 'string', minLength: 1, maxLength: 200 },
  maxProperties: 50,
} as const satisfies JsonSchema;

export const packsSchema = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 100 },
  uniqueItems: true,
  maxItems: 50,
} as const satisfies JsonSchema;

export const tenantSchema = {
  $id: 'posture:http/tenant',
  title: 'Tenant',
  type: 'object',
  required: ['id', 'slug', 'name', 'kind', 'parent', 'externalRefs', 'packs', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    slug: { type: 'string', pattern: SLUG_PATTERN },
    name: { type: 'string' },
    kind: { enum: ['msp', 'client'] },
    parent: { type: ['string', 'null'], description: "the MSP's slug" },
    externalRefs: externalRefsSchema,
    packs: packsSchema,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const satisfies JsonSchema;

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: DESCRIPTIONS[s] ?? 'error', schema: problemSchema, contentType: 'application/problem+json' },
    ]),
  );

const DESCRIPTIONS: Record<number, string> = {
  400: 'malformed request',
  401: 'no or invalid token',
  403: 'a scope is missing',
  404: "not found, or outside the token's tenants",
  409: 'conflict',
  413: 'body too large, or an export too big or complex for a worker (export_too_complex)',
  415: 'unsupported media type',
  422: 'validation failed',
  503: 'service_busy: every worker is busy and the queue is full (retry after Retry-After seconds)',
};
