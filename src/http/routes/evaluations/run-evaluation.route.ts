import { runEvaluation } from '../../../domain/run-evaluation.js';
import { toEvaluationDto } from '../../../domain/evaluation-view.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { evaluationSchema } from './schemas.js';

export default defineRoute<Record<string, never>, { packs?: string[]; asOf?: string }>({
  method: 'post',
  path: '/v1/tenants/:tenant/evaluations',
  operationId: 'runEvaluation',
  summary: "Evaluate the tenant's packs (or the ones given) against its latest snapshots at asOf (default now)",
  tag: 'evaluations',
  auth: 'evaluations:write',
  audit: 'evaluation.create',
  body: {
    required: false,
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        packs: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
        asOf: {
          type: 'string',
          format: 'date-time',
          description:
            'judge the snapshots received at or before this time, and clock-dependent rules and waivers, as of it',
        },
      },
    },
    example: { packs: ['hipaa-security-rule'], asOf: '2026-11-01T00:00:00Z' },
  },
  responses: {
    201: { description: 'the evaluation', schema: evaluationSchema },
    ...errorResponses(400, 401, 403, 404, 413, 422, 503),
  },
  handler: async ({ tenant, body, ctx }) => {
    const e = await runEvaluation(ctx, {
      tenant,
      packs: body.packs,
      asOf: body.asOf ? new Date(body.asOf) : undefined,
      trigger: 'api',
    });
    return {
      status: 201,
      body: toEvaluationDto(e),
      headers: { Location: `/v1/tenants/${tenant.slug}/evaluations/${e.id}` },
    };
  },
});
