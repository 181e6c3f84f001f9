import { getTenantLogo } from '../../../domain/tenant-logo.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/logo',
  operationId: 'getTenantLogo',
  summary: "The tenant's report logo, as stored (404 when it has none)",
  tag: 'tenants',
  auth: 'tenants:read',
  responses: {
    200: { description: 'the image', contentType: 'image/png', alternatives: ['image/jpeg'] },
    ...errorResponses(401, 403, 404),
  },
  handler: async ({ tenant, ctx }) => {
    const logo = await getTenantLogo(ctx, tenant);
    return { bytes: logo.bytes, contentType: logo.mediaType, headers: { 'X-Content-Type-Options': 'nosniff' } };
  },
});
