import { verifyAuditChain } from '../../../domain/verify-audit.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

const verdictSchema = {
  type: 'object',
  required: ['intact', 'rows', 'head', 'brokenAt'],
  properties: {
    intact: { type: 'boolean' },
    rows: { type: 'integer', description: 'rows checked (up to the break, if any)' },
    head: {
      type: ['object', 'null'],
      description: 'the last row of an intact chain: record it to detect later that rows were cut off the end',
      properties: { seq: { type: 'integer' }, hash: { type: 'string' } },
    },
    brokenAt: {
      type: ['object', 'null'],
      properties: {
        seq: { type: 'integer' },
        id: { type: 'string' },
        reason: { enum: ['content_altered', 'link_broken', 'row_missing'] },
      },
    },
  },
} as const;

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/audit/verify',
  operationId: 'verifyAudit',
  summary: "Check the tenant's audit log hash chain: intact, or where it breaks",
  tag: 'tenants',
  auth: 'tenants:read',
  responses: {
    200: { description: 'the verdict', schema: verdictSchema },
    ...errorResponses(401, 403, 404),
  },
  handler: async ({ tenant, ctx }) => ({ body: await verifyAuditChain(ctx.db, tenant.id) }),
});
