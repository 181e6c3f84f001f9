import { updateTenant, type UpdateTenantInput } from '../../../domain/update-tenant.js';
import { defineRoute } from '../../route.js';
import { errorResponses, externalRefsSchema, packsSchema, tenantSchema } from '../../schemas.js';

export default defineRoute<Record<string, never>, UpdateTenantInput>({
  method: 'patch',
  path: '/v1/tenants/:tenant',
  operationId: 'updateTenant',
  summary: "Change a tenant's name, external references (replaced whole) or default packs",
  tag: 'tenants',
  auth: 'tenants:write',
  audit: 'tenant.update',
  body: {
    schema: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200 },
        externalRefs: externalRefsSchema,
        packs: packsSchema,
      },
    },
    example: { name: 'Riverside Family Clinic', packs: ['hipaa-security-rule'] },
  },
  responses: {
    200: { description: 'the updated tenant', schema: tenantSchema },
    ...errorResponses(401, 403, 404, 409, 422),
  },
  handler: async ({ deps, tenant, body, ctx }) => ({
    body: await updateTenant(ctx, tenant, body, deps.knownPacks),
  }),
});
