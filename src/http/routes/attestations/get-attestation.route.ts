import { getAttestationById } from '../../../domain/read-attestations.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { attestationSchema } from './schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/attestations/:id',
  operationId: 'getAttestation',
  summary: 'One attestation, with its files (name, type, size, SHA-256)',
  tag: 'attestations',
  auth: 'attestations:read',
  ids: { id: 'attestation' },
  responses: {
    200: { description: 'the attestation', schema: attestationSchema },
    ...errorResponses(401, 403, 404),
  },
  handler: async ({ tenant, params, now, ctx }) => ({
    body: await getAttestationById(ctx.db, tenant.id, params.id!, now),
  }),
});
