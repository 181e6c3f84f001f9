import { readOverview } from '../../../domain/read-overview.js';
import { AppError } from '../../../core/errors.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { overviewSchema } from './overview-schema.js';

interface OverviewQuery {
  limit: number;
  pack?: string;
}

export default defineRoute<OverviewQuery>({
  method: 'get',
  path: '/v1/tenants/:tenant/overview',
  operationId: 'getOverview',
  summary:
    'An MSP and every client it reaches in one answer: scores per pack, open findings, new since last week, evidence age, expiring items',
  description:
    "Per tenant (the MSP first, then its clients by slug) and per pack: the three figures of the latest evaluation as of now, open (failing) findings by severity, `newSinceLastWeek` (failing now and not failing in the latest evaluation at or before now − 7 days, by fingerprint; with no evaluation that old, every failing finding), and the last `limit` evaluations' figures, oldest first. Per tenant: the oldest collection time among the latest snapshot of each source and instance, by kind, and the approved waivers and attestations expiring within 30 days. For a client's slug, that client alone. Needs tenants:read and evaluations:read.",
  tag: 'tenants',
  auth: 'evaluations:read',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: {
        type: 'integer',
        minimum: 1,
        maximum: 50,
        default: 12,
        description: 'evaluations per pack in each series (default 12, at most 50)',
      },
      pack: { type: 'string', minLength: 1, maxLength: 100, description: 'only this pack' },
    },
  },
  responses: { 200: { description: 'the overview', schema: overviewSchema }, ...errorResponses(400, 401, 403, 404) },
  handler: async ({ deps, tenant, principal, query, ctx }) => {
    if (!principal.scopes.has('tenants:read')) throw new AppError('forbidden', 'this needs the tenants:read scope');
    if (query.pack !== undefined && !deps.knownPacks.includes(query.pack))
      throw new AppError('invalid_query', `invalid query parameter: pack "${query.pack}" is not a known pack`, [
        { pointer: '/pack', message: `must be one of ${deps.knownPacks.join(', ')}`, in: 'query' },
      ]);
    return {
      body: await readOverview(ctx.db, {
        tenant,
        now: ctx.now,
        knownPacks: deps.knownPacks,
        limit: query.limit,
        pack: query.pack,
      }),
    };
  },
});
