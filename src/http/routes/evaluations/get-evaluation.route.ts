import { getEvaluation } from '../../../db/evaluations.js';
import { toEvaluationDto } from '../../../domain/evaluation-view.js';
import { AppError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { evaluationSchema } from './schemas.js';

export default defineRoute<{ format?: 'json' }>({
  method: 'get',
  path: '/v1/tenants/:tenant/evaluations/:id',
  operationId: 'getEvaluation',
  summary: 'One evaluation: scores, requirement and rule states, missing evidence, the diff',
  tag: 'evaluations',
  auth: 'evaluations:read',
  ids: { id: 'evaluation' },
  query: { type: 'object', additionalProperties: false, properties: { format: { enum: ['json'], default: 'json' } } },
  responses: { 200: { description: 'the evaluation', schema: evaluationSchema }, ...errorResponses(400, 401, 403, 404) },
  handler: async ({ deps, tenant, params }) => {
    const e = await getEvaluation(deps.database.db, tenant.id, params.id!);
    if (!e) throw new AppError('evaluation_not_found', `no evaluation "${params.id}"`);
    return { body: toEvaluationDto(e) };
  },
});
