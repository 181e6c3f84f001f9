import { revokeAttestationById } from '../../../domain/attestations.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { attestationSchema } from './schemas.js';

export default defineRoute({
  method: 'delete',
  path: '/v1/tenants/:tenant/attestations/:id',
  operationId: 'revokeAttestation',
  summary:
    'Revoke an attestation (the row and its files are kept, with who revoked it and when; evaluations as of before still see it)',
  tag: 'attestations',
  auth: 'attestations:write',
  audit: 'attestation.revoke',
  ids: { id: 'attestation' },
  responses: {
    200: { description: 'the revoked attestation', schema: attestationSchema },
    ...errorResponses(401, 403, 404),
  },
  handler: async ({ tenant, params, ctx }) => ({
    body: await revokeAttestationById(ctx, tenant, params.id!),
  }),
});
