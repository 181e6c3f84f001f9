import { getAttestationFile } from '../../../domain/read-attestations.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/tenants/:tenant/attestations/:id/files/:idx',
  operationId: 'getAttestationFile',
  summary:
    "One evidence file of an attestation (idx from its files list), the bytes as uploaded: their SHA-256 is the one the attestation and the report's manifest list",
  tag: 'attestations',
  auth: 'attestations:read',
  ids: { id: 'attestation' },
  responses: {
    200: { description: 'the file as uploaded, with the type detected then', contentType: 'application/octet-stream' },
    ...errorResponses(401, 403, 404),
  },
  handler: async ({ deps, tenant, params, ctx }) => {
    const file = await getAttestationFile(ctx.db, deps.keyring, tenant.id, params.id!, params.idx!);
    return {
      bytes: file.bytes,
      contentType: file.contentType,
      headers: {
        // an ASCII fallback name, and the uploaded one (RFC 6266 / 8187)
        'Content-Disposition': `attachment; filename="attestation-${params.id}-${file.idx}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    };
  },
});
