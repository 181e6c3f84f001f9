import { listReportPage } from '../../../domain/read-reports.js';
import { listQuery, listSchema, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { reportSchema } from './schemas.js';

export default defineRoute<ListQuery>({
  method: 'get',
  path: '/v1/tenants/:tenant/reports',
  operationId: 'listReports',
  summary: 'Reports, newest first',
  tag: 'reports',
  auth: 'reports:read',
  query: listQuery,
  responses: {
    200: { description: 'a page of reports', schema: listSchema(reportSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ tenant, query, ctx }) => ({ body: await listReportPage(ctx.db, tenant, query) }),
});
