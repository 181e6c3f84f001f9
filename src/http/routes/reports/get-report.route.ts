import { getReportById } from '../../../domain/read-reports.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { reportSchema } from './schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/reports/:id',
  operationId: 'getReport',
  summary: "A report's metadata",
  tag: 'reports',
  auth: 'reports:read',
  ids: { id: 'report' },
  responses: { 200: { description: 'the report', schema: reportSchema }, ...errorResponses(401, 403, 404) },
  handler: async ({ tenant, params, ctx }) => ({ body: await getReportById(ctx.db, tenant, params.id!) }),
});
