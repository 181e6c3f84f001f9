import { listFindingPage } from '../../../domain/read-evaluations.js';
import { FINDING_STATUSES, type FindingStatus, SEVERITIES, type Severity } from '../../../core/vocabulary.js';
import { listQueryProperties, listSchema, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { findingSchema } from './schemas.js';

type Query = ListQuery & {
  status?: string;
  severity?: string;
  pack?: string;
  rule?: string;
  source?: string;
  snapshot?: string;
};
const csv = (values: readonly string[]) => ({
  type: 'string',
  pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`,
  description: `comma-separated: ${values.join(', ')}`,
});

export default defineRoute<Query>({
  method: 'get',
  path: '/v1/tenants/:tenant/evaluations/:id/findings',
  operationId: 'listFindings',
  summary: "An evaluation's findings (failing, unknown, errored and waived items), filtered",
  tag: 'evaluations',
  auth: 'evaluations:read',
  ids: { id: 'evaluation' },
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...listQueryProperties,
      status: csv(FINDING_STATUSES),
      severity: csv(SEVERITIES),
      pack: { type: 'string', maxLength: 100 },
      rule: { type: 'string', maxLength: 100 },
      source: { type: 'string', maxLength: 40 },
      snapshot: { ...listQueryProperties.cursor, description: 'only findings on items of this snapshot' },
    },
  },
  responses: {
    200: { description: 'a page of findings', schema: listSchema(findingSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ tenant, params, query, ctx }) => {
    // the query schema let only listed values through
    const status = query.status?.split(',') as FindingStatus[] | undefined;
    const filter = { ...query, status, severity: query.severity?.split(',') as Severity[] | undefined };
    return { body: await listFindingPage(ctx.db, tenant.id, params.id!, filter, query) };
  },
});
