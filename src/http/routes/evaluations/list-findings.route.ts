import { exportFindings, listFindingPage } from '../../../domain/read-evaluations.js';
import {
  atLeastAsSevere,
  FINDING_SORTS,
  FINDING_STATUSES,
  type FindingSort,
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
  sort?: FindingSort;
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
  summary: "An evaluation's problems (failing, unknown, errored and waived items), one row per rule and item",
  description: [
    "One row per problem — a rule on an item — with every pack it affects in `packs` (each with its own status, waiver and requirements) and the worst of their statuses as the row's (fail, then error, insufficient_evidence, waived): never one row per pack.",
    "`status` and `severity`/`minSeverity` filter on the row's status and severity; `pack` keeps the rows that affect that pack (the row still lists every pack); `rule`, `source` and `snapshot` on what the row is about.",
    "Sorted by `sort`: `severity` (the default: most severe first), `firstSeen` (the longest-standing problems first) or `-firstSeen` (the most recent first); ties are broken by rule, then by fingerprint, so paging with `cursor` (the previous page's `nextCursor`, with the same `sort`) returns every row exactly once.",
    'JSON pages by default. `?format=csv` or `?format=xlsx` downloads every row the filters let through (limit, cursor and sort do not apply: most severe first, then by rule and item) with every pack and requirement it affects, the rule title, remediation and first-seen time: CSV per RFC 4180 in UTF-8 with a byte-order mark, XLSX with a header row, filters and frozen panes.',
  ].join('\n\n'),
  tag: 'evaluations',
  auth: 'evaluations:read',
  ids: { id: 'evaluation' },
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...listQueryProperties,
      cursor: {
        type: 'string',
        pattern: '^[A-Za-z0-9_-]{1,600}$',
        description: 'the nextCursor of the previous page, requested with the same sort (opaque)',
      },
      sort: {
        type: 'string',
        enum: FINDING_SORTS,
        default: 'severity',
        description:
          'severity (default: most severe first), firstSeen (longest-standing first) or -firstSeen (most recent first); ties by rule, then fingerprint',
      },
      status: {
        ...csv(FINDING_STATUSES),
        description: `the row's (worst) status, comma-separated: ${FINDING_STATUSES.join(', ')}`,
      },
      severity: csv(SEVERITIES),
      pack: { type: 'string', maxLength: 100, description: 'only rows that affect this pack' },
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
