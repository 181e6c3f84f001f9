import { listTenantPage } from '../../../domain/read-tenants.js';
import { listQuery, listSchema, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses, tenantSchema } from '../../schemas.js';

export default defineRoute<ListQuery>({
  method: 'get',
  path: '/v1/tenants',
  operationId: 'listTenants',
  summary: 'The tenants the token reaches (an MSP slug reaches its clients), newest first',
  tag: 'tenants',
  auth: 'tenants:read',
  query: listQuery,
  responses: {
    200: { description: 'a page of tenants', schema: listSchema(tenantSchema) },
    ...errorResponses(400, 401, 403),
  },
  handler: async ({ principal, query, ctx }) => ({ body: await listTenantPage(ctx.db, principal, query) }),
});
