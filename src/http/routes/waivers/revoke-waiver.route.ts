import { revokeWaiverById } from '../../../domain/waivers.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { waiverSchema } from './schemas.js';

export default defineRoute({
  method: 'delete',
  path: '/v1/tenants/:tenant/waivers/:id',
  operationId: 'revokeWaiver',
  summary:
    'Revoke an approved waiver, or reject a pending one (the row is kept, with who revoked or rejected it and when)',
  tag: 'waivers',
  auth: 'waivers:write',
  audit: 'waiver.revoke',
  ids: { id: 'waiver' },
  responses: { 200: { description: 'the revoked waiver', schema: waiverSchema }, ...errorResponses(401, 403, 404) },
  handler: async ({ tenant, params, ctx }) => ({
    body: await revokeWaiverById(ctx, tenant, params.id!),
  }),
});
