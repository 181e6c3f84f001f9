import { getWaiverById } from '../../../domain/read-waivers.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { waiverSchema } from './schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/waivers/:id',
  operationId: 'getWaiver',
  summary: 'One waiver',
  tag: 'waivers',
  auth: 'waivers:read',
  ids: { id: 'waiver' },
  responses: { 200: { description: 'the waiver', schema: waiverSchema }, ...errorResponses(401, 403, 404) },
  handler: async ({ tenant, params, now, ctx }) => ({
    body: await getWaiverById(ctx.db, tenant.id, params.id!, now),
  }),
});
