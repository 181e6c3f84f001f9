import { listAttestationPage } from '../../../domain/read-attestations.js';
import { listQuery, listSchema, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { attestationSchema } from './schemas.js';

export default defineRoute<ListQuery>({
  method: 'get',
  path: '/v1/tenants/:tenant/attestations',
  operationId: 'listAttestations',
  summary: 'Attestations (revoked and expired ones included), newest first',
  tag: 'attestations',
  auth: 'attestations:read',
  query: listQuery,
  responses: {
    200: { description: 'a page of attestations', schema: listSchema(attestationSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ tenant, query, now, ctx }) => ({
    body: await listAttestationPage(ctx.db, tenant.id, query, now),
  }),
});
