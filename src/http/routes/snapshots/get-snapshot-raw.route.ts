import { getSnapshotBytes } from '../../../domain/read-snapshots.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/snapshots/:id/raw',
  operationId: 'getSnapshotRaw',
  summary: 'The raw bytes as received, with their Content-Type (admin only: exports can hold secrets)',
  tag: 'snapshots',
  auth: 'snapshots:raw',
  ids: { id: 'snapshot' },
  responses: {
    200: { description: 'the bytes as received', contentType: 'application/octet-stream' },
    ...errorResponses(401, 403, 404),
  },
  handler: async ({ deps, tenant, params, ctx }) => {
    const raw = await getSnapshotBytes(ctx.db, deps.keyring, tenant.id, params.id!);
    return {
      bytes: raw.bytes,
      contentType: raw.contentType,
      headers: {
        'Content-Disposition': `attachment; filename="snapshot-${params.id}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    };
  },
});
