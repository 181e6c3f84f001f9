import { createAttestation } from '../../../domain/attestations.js';
import { AppError } from '../../../core/errors.js';
import { readWithin } from '../../body-timeout.js';
import { readBody } from '../../ingest/read-body.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { attestationSchema } from './schemas.js';

export default defineRoute({
  method: 'post',
  path: '/v1/tenants/:tenant/attestations',
  operationId: 'createAttestation',
  summary:
    'Attest a manual requirement of a pack: a statement, valid until validUntil (at most a year), with evidence files; the attester is the token subject',
  description:
    'multipart/form-data: one part "attestation" holding the JSON {packId, requirementId, statement, validUntil}, and zero or more "file" parts (PDF, PNG, JPEG, GIF, WebP or UTF-8 text, each at most 10 MiB, at most 20), e.g. `curl -F attestation=\'{…}\' -F file=@policy.pdf`. Without files, the JSON alone as application/json. Only requirements marked manual can be attested (422 otherwise); a supporting check that fails still fails the requirement. Error pointers name the JSON member (/validUntil) or the file (/files/0).',
  tag: 'attestations',
  auth: 'attestations:write',
  audit: 'attestation.create',
  body: {
    raw: true,
    contentTypes: ['multipart/form-data', 'application/json'],
    description: 'the attestation (JSON part "attestation") and its evidence files ("file" parts)',
  },
  responses: {
    201: { description: 'the attestation', schema: attestationSchema },
    ...errorResponses(400, 401, 403, 404, 413, 415, 422),
  },
  handler: async ({ req, deps, tenant, ctx }) => {
    const contentType = req.headers['content-type'];
    if (!contentType) throw new AppError('unsupported_media_type', 'send a Content-Type (multipart/form-data)');
    const body = await readWithin(req, deps.config.bodyTimeout, () => readBody(req, deps.config.maxSnapshotBytes));
    const a = await createAttestation(ctx, tenant, { contentType, body });
    return { status: 201, body: a, headers: { Location: `/v1/tenants/${tenant.slug}/attestations/${a.id}` } };
  },
});
