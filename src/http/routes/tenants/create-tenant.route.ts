import { createTenant, type CreateTenantInput } from '../../../domain/create-tenant.js';
import { defineRoute } from '../../route.js';
import { errorResponses, externalRefsSchema, packsSchema, SLUG_PATTERN, tenantSchema } from '../../schemas.js';

export default defineRoute<Record<string, never>, CreateTenantInput>({
  method: 'post',
  path: '/v1/tenants',
  operationId: 'createTenant',
  summary: 'Create a tenant: a client of your MSP (give parent), or a top-level MSP (deployment admins)',
  tag: 'tenants',
  auth: 'tenants:write',
  bodyRefs: { parent: 'tenant' },
  audit: 'tenant.create',
  body: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['slug', 'name', 'kind'],
      properties: {
        slug: {
          type: 'string',
          pattern: SLUG_PATTERN,
          description: 'lower-case letters, digits and inner hyphens, at most 63',
        },
        name: { type: 'string', minLength: 1, maxLength: 200 },
        kind: { enum: ['msp', 'client'] },
        parent: { type: 'string', pattern: SLUG_PATTERN, description: "the MSP's slug" },
        externalRefs: externalRefsSchema,
        packs: {
          ...packsSchema,
          description:
            'the packs that run by default; absent: hipaa-security-rule, pci-dss-4.0.1 and cis-controls-8.1 for a client, msp-technician-hygiene only for an MSP (client frameworks are opt-in for an MSP)',
        },
      },
    },
    example: {
      slug: 'riverside-clinic',
      name: 'Riverside Clinic',
      kind: 'client',
      parent: 'northwind-msp',
      externalRefs: { ninjaone: '42' },
    },
  },
  responses: { 201: { description: 'created', schema: tenantSchema }, ...errorResponses(401, 403, 404, 409, 422) },
  handler: async ({ deps, body, ctx }) => {
    const tenant = await createTenant(ctx, body, deps.knownPacks);
    return { status: 201, body: tenant, headers: { Location: `/v1/tenants/${tenant.slug}` } };
  },
});
