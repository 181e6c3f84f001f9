import { toPackDto } from '../../../domain/pack-view.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/packs',
  operationId: 'listPacks',
  summary: 'The rule packs this service evaluates',
  tag: 'packs',
  auth: 'token',
  responses: {
    200: { description: 'the packs', schema: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array' }, nextCursor: { type: 'null' } } } },
    ...errorResponses(401),
  },
  handler: async ({ deps }) => ({ body: { items: [...deps.catalog.packs.values()].map((p) => toPackDto(p, deps.catalog, false)), nextCursor: null } }),
});
