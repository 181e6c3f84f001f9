import { getEvaluationById } from '../../../domain/read-evaluations.js';
import { toEvaluationDto } from '../../../domain/evaluation-view.js';
import { evaluationAsJunit, evaluationAsSarif } from '../../../domain/export-evaluation.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { evaluationSchema } from './schemas.js';

export default defineRoute<{ format: 'json' | 'sarif' | 'junit' }>({
  method: 'get',
  path: '/v1/tenants/:tenant/evaluations/:id',
  operationId: 'getEvaluation',
  summary:
    'One evaluation: scores, requirement and rule states, missing evidence, the diff — or, with ?format=, SARIF 2.1.0 or JUnit XML',
  tag: 'evaluations',
  auth: 'evaluations:read',
  ids: { id: 'evaluation' },
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { format: { enum: ['json', 'sarif', 'junit'], default: 'json' } },
  },
  responses: {
    200: {
      description:
        'the evaluation (format=json), application/sarif+json (format=sarif) or application/xml (format=junit)',
      schema: evaluationSchema,
    },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ deps, tenant, params, query, ctx }) => {
    const db = ctx.db;
    const e = await getEvaluationById(db, tenant.id, params.id!);
    if (query.format === 'sarif')
      return {
        bytes: await evaluationAsSarif(ctx, e, deps.version),
        contentType: 'application/sarif+json',
      };
    if (query.format === 'junit')
      return { bytes: await evaluationAsJunit(db, deps.catalog, e), contentType: 'application/xml' };
    return { body: toEvaluationDto(e) };
  },
});
