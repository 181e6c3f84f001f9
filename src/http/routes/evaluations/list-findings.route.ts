import { exportFindings, listFindingPage } from '../../../domain/read-evaluations.js';
import {
  atLeastAsSevere,
  FINDING_STATUSES,
  type FindingStatus,
  SEVERITIES,
  type Severity,
} from '../../../core/vocabulary.js';
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
  format?: 'json' | 'csv' | 'xlsx';
  minSeverity?: Severity;
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
  description:
    'JSON pages by default. `?format=csv` or `?format=xlsx` downloads every finding the filters let through (limit and cursor do not apply) as one row per rule and item, naming every pack and requirement it affects, with the rule title and remediation: CSV per RFC 4180 in UTF-8 with a byte-order mark, XLSX with a header row, filters and frozen panes.',
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
      format: { type: 'string', enum: ['json', 'csv', 'xlsx'], description: 'json (pages, default), csv or xlsx' },
      minSeverity: {
        type: 'string',
        enum: SEVERITIES,
        description: 'only findings at least this severe (with `severity`, both apply)',
      },
    },
  },
  responses: {
    200: {
      description: 'a page of findings (or, with ?format=csv|xlsx, the download)',
      schema: listSchema(findingSchema),
      alternatives: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    },
    ...errorResponses(400, 401, 403, 404),
  },
  handler: async ({ tenant, params, query, ctx }) => {
    // the query schema let only listed values through
    const status = query.status?.split(',') as FindingStatus[] | undefined;
    const filter = {
      ...query,
      status,
      severity: atLeast(query.severity?.split(',') as Severity[] | undefined, query.minSeverity),
    };
    if (query.format === 'csv' || query.format === 'xlsx') {
      const file = await exportFindings(ctx.db, ctx.catalog, tenant.id, params.id!, filter, query.format);
      return {
        bytes: file.bytes,
        contentType: file.contentType,
        headers: {
          'Content-Disposition': `attachment; filename="posture-findings-${tenant.slug}-${params.id}.${file.extension}"`,
        },
      };
    }
    return { body: await listFindingPage(ctx.db, ctx.catalog, tenant.id, params.id!, filter, query) };
  },
});

/** The severities `severity` lists (all when absent), narrowed to those at least `min`. */
function atLeast(listed: Severity[] | undefined, min: Severity | undefined): Severity[] | undefined {
  if (min === undefined) return listed;
  return (listed ?? [...SEVERITIES]).filter((s) => atLeastAsSevere(s, min));
}
