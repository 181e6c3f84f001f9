import { listAuditPage } from '../../../domain/read-tenants.js';
import { listQuery, listSchema, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

const auditEntrySchema = {
  type: 'object',
  required: ['id', 'at', 'actor', 'action'],
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: 'string', description: 'the token subject' },
    action: { type: 'string' },
    target: { type: ['string', 'null'] },
    requestId: { type: ['string', 'null'] },
    detail: { type: ['object', 'null'] },
    seq: { type: ['integer', 'null'], description: "position in the tenant's hash chain" },
    prevHash: { type: ['string', 'null'], description: 'SHA-256 of the previous entry' },
    hash: { type: ['string', 'null'], description: 'SHA-256 over prevHash and this entry (RFC 8785 canonical JSON)' },
  },
} as const;

export default defineRoute<ListQuery>({
  method: 'get',
  path: '/v1/tenants/:tenant/audit',
  operationId: 'listAudit',
  summary: "The tenant's audit log: who changed what, newest first",
  tag: 'tenants',
  auth: 'tenants:read',
  query: listQuery,
  responses: {
    200: { description: 'a page of audit entries', schema: listSchema(auditEntrySchema) },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ tenant, query, ctx }) => ({ body: await listAuditPage(ctx.db, tenant.id, query) }),
});
