import { getSnapshot } from '../../../db/snapshots.js';
import { toSnapshotDto } from '../../../domain/snapshot-view.js';
import { AppError } from '../../errors.js';
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
  handler: async ({ deps, tenant, params }) => {
    const s = await getSnapshot(deps.database.db, tenant.id, params.id!);
    if (!s) throw new AppError('snapshot_not_found', `no snapshot "${params.id}"`);
    return { body: toSnapshotDto(s, true) };
  },
});
