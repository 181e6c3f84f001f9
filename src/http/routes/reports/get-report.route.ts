import { getReport } from '../../../db/reports.js';
import { toReportDto } from '../../../domain/create-report.js';
import { AppError } from '../../errors.js';
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
  handler: async ({ deps, tenant, params }) => {
    const r = await getReport(deps.database.db, tenant.id, params.id!);
    if (!r) throw new AppError('report_not_found', `no report "${params.id}"`);
    return { body: toReportDto(r, tenant.slug) };
  },
});
