/** JSON Schemas of the rule (rules/checks/) and pack (rules/packs/) YAML files. */
import { SEVERITIES } from '../core/vocabulary.js';
import type { JsonSchema } from '../schemas/json-schema.js';

export const COLLECTIONS = {
  identity: ['users', 'policies'],
  endpoint: ['endpoints', 'hosts'],
  firewall: ['devices', 'rules'],
  technicians: ['technicians'],
} as const;

const expression = { type: 'string', minLength: 1, maxLength: 4000 } as const;
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,99}$' } as const;

export const ruleFileSchema = {
  $id: 'posture:rules/rule',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'kind', 'each', 'assert', 'severity', 'message', 'rationale', 'remediation'],
  properties: {
    id,
    title: { type: 'string', minLength: 1 },
    kind: { enum: Object.keys(COLLECTIONS) },
    each: {
      enum: [...new Set(Object.values(COLLECTIONS).flat())],
      description:
        'the collection of the canonical document the rule judges item by item (hosts: endpoints joined across sources by hostname)',
    },
    where: { ...expression, description: 'CEL: the items the rule applies to (false: not applicable)' },
    assert: { ...expression, description: 'CEL: true passes, false fails' },
    details: {
      ...expression,
      description:
        "CEL, run for failing items only: a map that becomes the finding's evidence `details` and fills {{details.<key>}} in the message (e.g. which policies would have covered the item and why they do not count)",
    },
    severity: { enum: SEVERITIES },
    parameters: {
      type: 'object',
      propertyNames: { pattern: '^[a-zA-Z][a-zA-Z0-9]{0,63}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'default', 'description'],
        properties: {
          type: { enum: ['integer', 'number', 'string', 'boolean', 'array', 'object'] },
          default: {},
          description: { type: 'string' },
          minimum: { type: 'number' },
          maximum: { type: 'number' },
          items: { type: 'object' },
        },
      },
    },
    message: {
      type: 'string',
      minLength: 1,
      description:
        'template over the item: {{item.username}}, {{params.x}}, and {{details.key}} when the rule has details',
    },
    rationale: { type: 'string', minLength: 1 },
    remediation: { type: 'string', minLength: 1 },
    evidence: { type: 'string', description: 'which export lets this rule be checked, for "missing evidence"' },
    assume: {
      type: 'object',
      description:
        'fields of `where` to assume when the export does not state them (absent or `unknown`): the item is then judged, and its finding carries `assumed: [field…]` and names the export that would settle it. Only fields `where` reads.',
      propertyNames: { pattern: '^[a-zA-Z][a-zA-Z0-9]*(\\.[a-zA-Z][a-zA-Z0-9]*)*$' },
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'settledBy'],
        properties: {
          value: { type: ['string', 'number', 'boolean'] },
          settledBy: {
            description: 'the export (part) that would settle it; by source, with `*` for the others',
            oneOf: [
              { type: 'string', minLength: 1 },
              {
                type: 'object',
                required: ['*'],
                additionalProperties: { type: 'string', minLength: 1 },
              },
            ],
          },
        },
      },
    },
    appliesTo: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      description: 'sources the rule applies to; other sources: not applicable',
    },
  },
} as const satisfies JsonSchema;

export const packFileSchema = {
  $id: 'posture:rules/pack',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'title', 'requirements'],
  properties: {
    id,
    version: { type: 'string', minLength: 1 },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    source: { type: 'string', description: 'the framework publication the citations refer to' },
    parameters: { type: 'object', description: 'overrides of rule parameter defaults for this pack' },
    requirements: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'citation', 'rationale'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 100 },
          title: { type: 'string', minLength: 1 },
          citation: { type: 'string', minLength: 1 },
          family: {
            type: 'string',
            description: 'grouping for the report chart (default: the first segment of the id)',
          },
          rationale: { type: 'string', minLength: 1 },
          rules: { type: 'array', items: id, minItems: 1, uniqueItems: true },
          manual: {
            const: true,
            description:
              'no configuration can prove it: attested. With rules, they are supporting checks: one failing (or unknown) makes the requirement so, passing ones leave it to attestation',
          },
          informational: { type: 'boolean', description: 'shown, never scored (e.g. proposed rule text not in force)' },
        },
        anyOf: [{ required: ['rules'] }, { required: ['manual'] }],
      },
    },
  },
} as const satisfies JsonSchema;
