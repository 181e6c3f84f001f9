import { removeTenantLogo } from '../../../domain/tenant-logo.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

export default defineRoute({
  method: 'delete',
  path: '/v1/tenants/:tenant/logo',
  operationId: 'deleteTenantLogo',
  summary: "Remove the tenant's report logo (404 when it has none)",
  tag: 'tenants',
  auth: 'tenants:write',
  audit: 'tenant.logo.remove',
  responses: { 204: { description: 'removed' }, ...errorResponses(401, 403, 404) },
  handler: async ({ tenant, ctx }) => {
    await removeTenantLogo(ctx, tenant);
    return { status: 204, body: null };
  },
});
