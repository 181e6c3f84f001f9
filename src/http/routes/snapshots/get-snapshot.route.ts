import { getSnapshotById } from '../../../domain/read-snapshots.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { snapshotSchema } from './schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/snapshots/:id',
  operationId: 'getSnapshot',
  summary: 'One snapshot with its canonical document',
  tag: 'snapshots',
  auth: 'snapshots:read',
  ids: { id: 'snapshot' },
  responses: { 200: { description: 'the snapshot', schema: snapshotSchema }, ...errorResponses(401, 403, 404) },
  handler: async ({ tenant, params, ctx }) => ({
    body: await getSnapshotById(ctx.db, tenant.id, params.id!),
  }),
});
