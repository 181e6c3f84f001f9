import { SNAPSHOT_KINDS, type SnapshotKind } from '../../../core/vocabulary.js';
import { listSnapshotPage } from '../../../domain/read-snapshots.js';
import { listQueryProperties, listSchema, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { snapshotSchema } from './schemas.js';

export default defineRoute<ListQuery & { source?: string; kind?: SnapshotKind; instance?: string }>({
  method: 'get',
  path: '/v1/tenants/:tenant/snapshots',
  operationId: 'listSnapshots',
  summary: 'Snapshots, newest first (without their documents)',
  tag: 'snapshots',
  auth: 'snapshots:read',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...listQueryProperties,
      source: { type: 'string', maxLength: 40 },
      kind: { enum: SNAPSHOT_KINDS },
      instance: { type: 'string', maxLength: 128 },
    },
  },
  responses: {
    200: { description: 'a page of snapshots', schema: listSchema(snapshotSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ tenant, query, ctx }) => ({
    body: await listSnapshotPage(ctx.db, tenant.id, query, query),
  }),
});
