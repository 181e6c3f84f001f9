import { listWaiverPage } from '../../../domain/read-waivers.js';
import { listQuery, listSchema, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { waiverSchema } from './schemas.js';

export default defineRoute<ListQuery>({
  method: 'get',
  path: '/v1/tenants/:tenant/waivers',
  operationId: 'listWaivers',
  summary: 'Waivers (revoked and expired ones included), newest first',
  tag: 'waivers',
  auth: 'waivers:read',
  query: listQuery,
  responses: {
    200: { description: 'a page of waivers', schema: listSchema(waiverSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ tenant, query, now, ctx }) => ({
    body: await listWaiverPage(ctx.db, tenant.id, query, now),
  }),
});
