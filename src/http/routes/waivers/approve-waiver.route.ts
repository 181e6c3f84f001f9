import { approveWaiverById } from '../../../domain/waivers.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { waiverSchema } from './schemas.js';

export default defineRoute({
  method: 'post',
  path: '/v1/tenants/:tenant/waivers/:id/approve',
  operationId: 'approveWaiver',
  summary:
    'Approve a pending waiver: by a subject other than its requester, with waivers:approve; it applies from now on (403 same_person, 409 waiver_not_pending)',
  tag: 'waivers',
  auth: 'waivers:approve',
  audit: 'waiver.approve',
  ids: { id: 'waiver' },
  responses: {
    200: { description: 'the approved waiver', schema: waiverSchema },
    ...errorResponses(401, 403, 404, 409),
  },
  handler: async ({ tenant, params, ctx }) => ({
    body: await approveWaiverById(ctx, tenant, params.id!),
  }),
});
