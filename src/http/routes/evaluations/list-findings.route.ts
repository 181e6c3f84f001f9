import { getEvaluation, listFindings } from '../../../db/evaluations.js';
import { toFindingDto } from '../../../domain/evaluation-view.js';
import { AppError } from '../../errors.js';
import { listQueryProperties, listSchema, pageOf, type ListQuery } from '../../pagination.js';
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
const csv = (values: string[]) => ({
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
      status: csv(['fail', 'insufficient_evidence', 'error', 'waived']),
      severity: csv(['critical', 'high', 'medium', 'low', 'info']),
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
  handler: async ({ deps, tenant, params, query }) => {
    const db = deps.database.db;
    if (!(await getEvaluation(db, tenant.id, params.id!)))
      throw new AppError('evaluation_not_found', `no evaluation "${params.id}"`);
    const filter = { ...query, status: query.status?.split(','), severity: query.severity?.split(',') };
    const rows = await listFindings(db, tenant.id, params.id!, filter, query.limit + 1, query.cursor);
    const page = pageOf(rows, query.limit, (f) => f.id);
    return { body: { items: page.items.map(toFindingDto), nextCursor: page.nextCursor } };
  },
});
