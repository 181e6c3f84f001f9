import { verifyReport } from '../../../domain/verify-report.js';
import { AppError } from '../../../core/errors.js';
import { readWithin } from '../../body-timeout.js';
import { readBody } from '../../ingest/read-body.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { verdictSchema } from './schemas.js';

export default defineRoute({
  method: 'post',
  path: '/v1/reports/verify',
  operationId: 'verifyReport',
  summary:
    'Check a report PDF: signed by a certificate this service used, covering the whole file, stored by this service',
  tag: 'reports',
  auth: 'none',
  body: { raw: true, contentTypes: ['application/pdf', 'application/octet-stream'], description: 'the PDF' },
  responses: {
    200: { description: 'the verdict (valid or not, with the reasons)', schema: verdictSchema },
    ...errorResponses(400, 413, 415),
  },
  handler: async ({ req, deps }) => {
    if (!req.is(['application/pdf', 'application/octet-stream']))
      throw new AppError('unsupported_media_type', 'send the PDF as application/pdf');
    const pdf = await readWithin(req, deps.config.bodyTimeout, () => readBody(req, deps.config.maxSnapshotBytes));
    if (pdf.length === 0) throw new AppError('bad_request', 'the body is empty: send the PDF');
    return { body: await verifyReport(deps.database.system('public report verification'), pdf) };
  },
});
