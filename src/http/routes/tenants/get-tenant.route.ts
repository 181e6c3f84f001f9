import { toTenantDto } from '../../../domain/tenant-view.js';
import { defineRoute } from '../../route.js';
import { errorResponses, tenantSchema } from '../../schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant',
  operationId: 'getTenant',
  summary: 'One tenant',
  tag: 'tenants',
  auth: 'tenants:read',
  responses: { 200: { description: 'the tenant', schema: tenantSchema }, ...errorResponses(401, 403, 404) },
  handler: async ({ tenant }) => ({ body: toTenantDto(tenant) }),
});
