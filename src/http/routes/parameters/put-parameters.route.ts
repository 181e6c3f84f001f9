import { setParameters, type ParameterValues } from '../../../domain/set-parameters.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { parametersSchema } from './schemas.js';

export default defineRoute<Record<string, never>, ParameterValues>({
  method: 'put',
  path: '/v1/tenants/:tenant/parameters',
  operationId: 'putParameters',
  summary: "Replace the tenant's parameter overrides (validated against what the packs declare)",
  tag: 'parameters',
  auth: 'parameters:write',
  audit: 'parameters.replace',
  body: { schema: parametersSchema, example: { 'cis-controls-8.1': { maxInactiveDays: 30 } } },
  responses: {
    200: { description: 'the overrides now in force', schema: parametersSchema },
    ...errorResponses(401, 403, 404, 422),
  },
  handler: async ({ tenant, body, ctx }) => ({
    body: await setParameters(ctx, tenant, body),
  }),
});
