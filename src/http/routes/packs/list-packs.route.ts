import { toPackDto } from '../../../domain/pack-view.js';
import { listQueryProperties, type ListQuery } from '../../pagination.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

/**
 * The shared list query, but the catalogue is no table of UUIDv7 rows: it is paged by pack id
 * (in id order), and the cursor is the last pack id of the previous page.
 */
export default defineRoute<ListQuery>({
  method: 'get',
  path: '/v1/packs',
  operationId: 'listPacks',
  summary: 'The rule packs this service evaluates, in pack id order',
  tag: 'packs',
  auth: 'token',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: listQueryProperties.limit,
      cursor: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9.-]{1,99}$',
        description: 'the nextCursor of the previous page (a pack id)',
      },
    },
  },
  responses: {
    200: {
      description: 'a page of packs',
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: { items: { type: 'array' }, nextCursor: { type: ['string', 'null'] } },
      },
    },
    ...errorResponses(400, 401),
  },
  handler: async ({ deps, query }) => {
    const ids = [...deps.catalog.packs.keys()].sort().filter((id) => query.cursor === undefined || id > query.cursor);
    const page = ids.slice(0, query.limit);
    return {
      body: {
        items: page.map((id) => toPackDto(deps.catalog.packs.get(id)!, deps.catalog, false)),
        nextCursor: ids.length > query.limit ? page[page.length - 1]! : null,
      },
    };
  },
});
