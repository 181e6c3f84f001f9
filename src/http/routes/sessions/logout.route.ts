import { endSession, NO_TENANTS } from '../../../domain/sessions.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { clearSessionCookie } from '../../session-cookie.js';

export default defineRoute({
  method: 'post',
  path: '/v1/session/logout',
  operationId: 'logout',
  summary:
    'End the console session: its row is revoked (on every instance at once) and the cookie cleared. With a bearer token there is nothing to end (204)',
  tag: 'sessions',
  auth: 'token',
  responses: { 204: { description: 'signed out' }, ...errorResponses(401, 403) },
  handler: async ({ res, deps, session, now }) => {
    if (session) await endSession(deps.database.scoped(NO_TENANTS), session.idHash, now);
    clearSessionCookie(res, deps.config);
    return { status: 204, body: null };
  },
});
