import { listReports } from '../../../db/reports.js';
import { toReportDto } from '../../../domain/create-report.js';
import { listQuery, listSchema, pageOf, type ListQuery } from '../../pagination.js';
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
  handler: async ({ deps, tenant, query }) => {
    const rows = await listReports(deps.database.db, tenant.id, query.limit + 1, query.cursor);
    const page = pageOf(rows, query.limit, (r) => r.id);
    return { body: { items: page.items.map((r) => toReportDto(r, tenant.slug)), nextCursor: page.nextCursor } };
  },
});
