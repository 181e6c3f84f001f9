import { FINDING_STATUSES, REQUIREMENT_STATES, SEVERITIES } from '../../../core/vocabulary.js';
import type { JsonSchema } from '../../../schemas/json-schema.js';

const state = {
  enum: ['pass', 'fail', 'insufficient_evidence', 'not_applicable', 'error', 'waived', 'manual'],
} as const;

const requirementState = { enum: REQUIREMENT_STATES } as const;

const figure = {
  type: 'object',
  required: ['value', 'numerator', 'denominator'],
  properties: {
    value: {
      type: ['number', 'null'],
      description: 'numerator / denominator, 0..1 (4 places); null when nothing applies',
    },
    numerator: { type: 'integer', minimum: 0 },
    denominator: { type: 'integer', minimum: 0 },
  },
} as const satisfies JsonSchema;

/** The three figures of a pack, always shown together. */
const scoresSchema = {
  type: 'object',
  required: ['verified', 'withAttestations', 'withWaivers', 'states'],
  properties: {
    verified: {
      ...figure,
      description:
        'verified from configuration: pass / applicable requirements a rule can judge (manual ones left out)',
    },
    withAttestations: { ...figure, description: '(pass + attested) / applicable requirements' },
    withWaivers: { ...figure, description: '(pass + attested + waived) / applicable requirements' },
    states: {
      type: 'object',
      description:
        'how many applicable requirements are in each state (insufficient_evidence, manual, fail and error count against every figure)',
      additionalProperties: { type: 'integer' },
    },
  },
} as const satisfies JsonSchema;

export const evaluationSummarySchema = {
  type: 'object',
  required: ['packs', 'findings', 'failingBySeverity', 'new', 'resolved'],
  properties: {
    packs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'score', 'scoreWithWaivers'],
        properties: {
          id: { type: 'string' },
          score: { type: ['number', 'null'], deprecated: true, description: 'deprecated: pass / applicable' },
          scoreWithWaivers: {
            type: ['number', 'null'],
            deprecated: true,
            description: 'deprecated: (pass + waived) / applicable',
          },
          verified: { ...figure, description: 'pass / applicable non-manual requirements (absent before it existed)' },
          withAttestations: { ...figure, description: '(pass + attested) / applicable' },
          withWaivers: { ...figure, description: '(pass + attested + waived) / applicable' },
        },
      },
    },
    findings: { type: 'object', additionalProperties: { type: 'integer' } },
    failingBySeverity: { type: 'object', additionalProperties: { type: 'integer' } },
    new: { type: 'integer' },
    resolved: { type: 'integer' },
  },
} as const satisfies JsonSchema;

export const evaluationSchema = {
  $id: 'posture:http/evaluation',
  title: 'Evaluation',
  type: 'object',
  required: ['id', 'asOf', 'createdAt', 'createdBy', 'trigger', 'packs', 'summary'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    asOf: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    trigger: { enum: ['api', 'ingest'] },
    previousId: { type: ['string', 'null'] },
    packs: { type: 'array', items: { type: 'string' } },
    summary: evaluationSummarySchema,
    results: {
      type: 'array',
      description: 'per pack: its score with and without waivers and the state of every requirement',
      items: {
        type: 'object',
        required: ['id', 'version', 'title', 'score', 'scores', 'requirements'],
        properties: {
          id: { type: 'string' },
          version: { type: 'string' },
          title: { type: 'string' },
          score: {
            type: 'object',
            deprecated: true,
            description: 'deprecated (one release): read `scores`',
            required: ['withWaivers', 'withoutWaivers'],
            properties: { withWaivers: { type: ['number', 'null'] }, withoutWaivers: { type: ['number', 'null'] } },
          },
          scores: scoresSchema,
          requirements: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'citation', 'state'],
              properties: {
                id: { type: 'string' },
                citation: { type: 'string' },
                state: requirementState,
                attestationId: {
                  type: ['string', 'null'],
                  description: 'the attestation in force at asOf that made a manual requirement attested',
                },
              },
            },
          },
        },
      },
    },
    rules: {
      type: 'array',
      description: 'per (pack, rule): state, counts, parameter values',
      items: {
        type: 'object',
        required: ['packId', 'ruleId', 'state', 'counts'],
        properties: {
          packId: { type: 'string' },
          ruleId: { type: 'string' },
          state,
          assumed: { type: 'integer', description: 'items whose pass or fail rests on an assumption' },
          stale: { type: 'integer', description: 'items judged on evidence older than maxEvidenceAgeDays' },
        },
      },
    },
    missingEvidence: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'ruleIds', 'reason', 'hint'],
        properties: {
          snapshot: {
            type: 'object',
            description: 'a stale export to refresh: older than maxEvidenceAgeDays at asOf',
            required: ['id', 'source', 'instance', 'collectedAt', 'ageDays'],
            properties: {
              id: { type: 'string', format: 'uuid' },
              source: { type: 'string' },
              instance: { type: 'string' },
              collectedAt: { type: 'string', format: 'date-time' },
              ageDays: { type: 'integer', description: 'from the later of its collection and its last confirmation' },
            },
          },
        },
      },
    },
    diff: {
      type: 'object',
      required: ['previousId', 'new', 'unchanged', 'resolved'],
      properties: { new: { type: 'integer' }, unchanged: { type: 'integer' }, resolved: { type: 'integer' } },
    },
    parameters: { type: 'object' },
    snapshotIds: { type: 'array', items: { type: 'string' } },
    fileHashes: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const satisfies JsonSchema;

export const findingSchema = {
  $id: 'posture:http/finding',
  title: 'Finding',
  description:
    'One problem: a rule on an item, with every pack it affects (`packs`). The rule, item, message and evidence are the same in every pack.',
  type: 'object',
  required: [
    'id',
    'packId',
    'packs',
    'firstSeenAt',
    'ruleId',
    'requirements',
    'status',
    'severity',
    'source',
    'item',
    'message',
    'evidence',
    'waiverId',
    'new',
    'assumed',
    'stale',
  ],
  properties: {
    id: {
      type: 'string',
      format: 'uuid',
      description: "the finding of `packId`'s pack; a row is identified by its `fingerprint`",
    },
    packId: {
      type: 'string',
      deprecated: true,
      description:
        'deprecated (kept one release): read `packs`. The pack asked for with `?pack=`, else the first of `packs`',
    },
    packs: {
      type: 'array',
      minItems: 1,
      description: 'every pack the problem affects, by pack id, each with its own status, waiver and requirements',
      items: {
        type: 'object',
        required: ['pack', 'status', 'waiverId', 'requirements'],
        properties: {
          pack: { type: 'string' },
          status: { enum: FINDING_STATUSES },
          waiverId: { type: ['string', 'null'], description: 'the waiver that applies in this pack' },
          requirements: { type: 'array', items: { type: 'string' }, description: "this pack's requirement ids" },
        },
      },
    },
    firstSeenAt: {
      type: 'string',
      format: 'date-time',
      description:
        "when this problem was first seen, the earliest of its packs': carried over from each pack's previous evaluation while it stays failing (a waiver does not interrupt it) and reset when it was resolved in between; for findings stored before first-seen times were recorded (migration 0008), the evaluation's asOf",
    },
    ruleId: { type: 'string' },
    requirements: {
      type: 'array',
      description: 'the requirements of every pack it affects',
      items: {
        type: 'object',
        required: ['pack', 'id'],
        properties: { pack: { type: 'string' }, id: { type: 'string' } },
      },
    },
    status: {
      enum: FINDING_STATUSES,
      description: "the worst of its packs' statuses: fail, then error, insufficient_evidence, waived",
    },
    severity: { enum: SEVERITIES },
    source: { type: ['string', 'null'] },
    snapshotId: { type: ['string', 'null'] },
    item: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: ['string', 'null'] } } },
    message: { type: 'string' },
    evidence: { type: 'object', description: 'only the fields the rule read' },
    origin: { description: 'where in the raw export the item came from' },
    waiverId: {
      type: ['string', 'null'],
      description: "set only when every pack waived it: `packId`'s waiver (see `packs` for each pack's)",
    },
    new: { type: 'boolean', description: 'absent from the previous evaluation of at least one of its packs' },
    fingerprint: {
      type: 'string',
      description: 'the rule and item, stable across evaluations and packs (SARIF partialFingerprints)',
    },
    assumed: {
      type: 'array',
      items: { type: 'string' },
      description:
        "fields the verdict rests on by assumption because the export does not state them (the rule's `assume`, e.g. an identity account of unknown status taken as enabled; or the item's own, e.g. a firewall's inferred internetInterfaces); the message names what would settle them. Empty: nothing assumed",
    },
    ruleTitle: {
      type: ['string', 'null'],
      description: "the rule's title (null when the rule is no longer in the catalog)",
    },
    remediation: { type: ['string', 'null'], description: 'what to do about it, from the rule' },
    stale: {
      type: 'boolean',
      description:
        "the item's evidence is older than maxEvidenceAgeDays (from its snapshot's collection time, or last confirmation): a failure it still proves, or a pass it no longer can (then insufficient_evidence, one finding per export)",
    },
  },
} as const satisfies JsonSchema;
