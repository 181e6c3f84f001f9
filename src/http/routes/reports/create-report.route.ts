import { createReport, toReportDto, type CreateReportInput } from '../../../domain/create-report.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { reportSchema } from './schemas.js';

export default defineRoute<Record<string, never>, CreateReportInput>({
  method: 'post',
  path: '/v1/tenants/:tenant/reports',
  operationId: 'createReport',
  summary: 'Render and sign a PDF compliance report of an evaluation (default: a fresh one)',
  tag: 'reports',
  auth: 'reports:write',
  audit: 'report.create',
  bodyRefs: { evaluationId: 'evaluation' },
  body: {
    required: false,
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        packs: { type: 'array', items: { type: 'string', maxLength: 100 }, minItems: 1, uniqueItems: true },
        evaluationId: { type: 'string', format: 'uuid' },
      },
    },
    example: { packs: ['hipaa-security-rule'], evaluationId: '01a21700-0000-7000-8000-000000000000' },
  },
  responses: {
    201: { description: 'the stored report', schema: reportSchema },
    ...errorResponses(401, 403, 404, 413, 422, 503),
  },
  handler: async ({ tenant, body, ctx }) => {
    const r = await createReport(ctx, tenant, body);
    return {
      status: 201,
      body: toReportDto(r, tenant.slug),
      headers: { Location: `/v1/tenants/${tenant.slug}/reports/${r.id}` },
    };
  },
});
