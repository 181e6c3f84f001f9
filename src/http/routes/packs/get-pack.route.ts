import { toPackDto } from '../../../domain/pack-view.js';
import { AppError } from '../../../core/errors.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/packs/:pack',
  operationId: 'getPack',
  summary: 'One pack: its requirements with citations, the rules behind them (with their CEL), its parameters',
  tag: 'packs',
  auth: 'token',
  responses: {
    200: {
      description: 'the pack',
      schema: { type: 'object', required: ['id', 'version', 'title', 'requirements', 'rules', 'parameters'] },
    },
    ...errorResponses(401, 404),
  },
  handler: async ({ deps, params }) => {
    const pack = deps.catalog.packs.get(params.pack!);
    if (!pack) throw new AppError('pack_not_found', `no pack "${params.pack}"`);
    return { body: toPackDto(pack, deps.catalog, true) };
  },
});
