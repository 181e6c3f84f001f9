import { AppError } from '../../../core/errors.js';
import { checkLogoContentType, LOGO_MAX_BYTES, setTenantLogo } from '../../../domain/tenant-logo.js';
import { readWithin } from '../../body-timeout.js';
import { readBody } from '../../ingest/read-body.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

export default defineRoute({
  method: 'put',
  path: '/v1/tenants/:tenant/logo',
  operationId: 'putTenantLogo',
  summary: "Set the logo printed on the cover of the reports this tenant prepares (an MSP's: its clients' too)",
  description: `PNG or JPEG, recognised by its first bytes, at most ${LOGO_MAX_BYTES} bytes. Over that: 413; another Content-Type: 415; bytes that are not a readable PNG or JPEG, or not the declared type: 422.`,
  tag: 'tenants',
  auth: 'tenants:write',
  audit: 'tenant.logo.set',
  body: { raw: true, contentTypes: ['image/png', 'image/jpeg', 'application/octet-stream'], description: 'the image' },
  responses: {
    200: {
      description: 'stored',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['mediaType', 'size', 'sha256', 'width', 'height'],
        properties: {
          mediaType: { type: 'string', enum: ['image/png', 'image/jpeg'] },
          size: { type: 'integer' },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          width: { type: 'integer' },
          height: { type: 'integer' },
        },
      },
    },
    ...errorResponses(401, 403, 404, 413, 415, 422),
  },
  handler: async ({ req, deps, tenant, ctx }) => {
    const contentType = checkLogoContentType(req.headers['content-type']);
    const bytes = await readWithin(req, deps.config.bodyTimeout, () => readBody(req, LOGO_MAX_BYTES)).catch(
      (err: unknown) => {
        if (err instanceof AppError && err.code === 'payload_too_large')
          throw new AppError('payload_too_large', `a logo is at most ${LOGO_MAX_BYTES} bytes (512 KB)`);
        throw err;
      },
    );
    return { body: await setTenantLogo(ctx, tenant, { contentType, bytes }) };
  },
});
