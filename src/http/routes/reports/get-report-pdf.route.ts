import { getReportBytes } from '../../../domain/read-reports.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/reports/:id/pdf',
  operationId: 'getReportPdf',
  summary: 'The signed PDF, byte for byte as stored',
  tag: 'reports',
  auth: 'reports:read',
  ids: { id: 'report' },
  responses: { 200: { description: 'the PDF', contentType: 'application/pdf' }, ...errorResponses(401, 403, 404) },
  handler: async ({ tenant, params, ctx }) => ({
    bytes: await getReportBytes(ctx.db, tenant.id, params.id!),
    contentType: 'application/pdf',
    headers: {
      'Content-Disposition': `attachment; filename="posture-report-${tenant.slug}-${params.id}.pdf"`,
      'Cache-Control': 'private, no-store',
    },
  }),
});
