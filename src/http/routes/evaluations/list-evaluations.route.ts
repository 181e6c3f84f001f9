import { listEvaluationPage } from '../../../domain/read-evaluations.js';
import { listQuery, listSchema, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { evaluationSchema } from './schemas.js';

export default defineRoute<ListQuery>({
  method: 'get',
  path: '/v1/tenants/:tenant/evaluations',
  operationId: 'listEvaluations',
  summary: 'Evaluations, newest first (summaries)',
  tag: 'evaluations',
  auth: 'evaluations:read',
  query: listQuery,
  responses: {
    200: { description: 'a page of evaluations', schema: listSchema(evaluationSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ tenant, query, ctx }) => ({ body: await listEvaluationPage(ctx.db, tenant.id, query) }),
});
