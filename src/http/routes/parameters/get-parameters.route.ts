import { getParameters } from '../../../domain/read-tenants.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { parametersSchema } from './schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/parameters',
  operationId: 'getParameters',
  summary: "The tenant's parameter overrides per pack",
  tag: 'parameters',
  auth: 'parameters:read',
  responses: { 200: { description: 'the overrides', schema: parametersSchema }, ...errorResponses(401, 403, 404) },
  handler: async ({ tenant, ctx }) => ({ body: await getParameters(ctx.db, tenant.id) }),
});
