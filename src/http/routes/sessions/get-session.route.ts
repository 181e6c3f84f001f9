import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { sessionSchema } from './schemas.js';

export default defineRoute({
  method: 'get',
  path: '/v1/session',
  operationId: 'getSession',
  summary:
    'Who am I: subject, reach and scopes of the session cookie or bearer token; for a session also its role, expiry and the CSRF token',
  tag: 'sessions',
  auth: 'token',
  responses: { 200: { description: 'the caller', schema: sessionSchema }, ...errorResponses(401) },
  handler: async ({ principal, session }) => {
    const who = {
      sub: principal.sub,
      ...(principal.name ? { name: principal.name } : {}),
      ...(principal.email ? { email: principal.email } : {}),
      tenants: [...principal.tenants],
      scopes: [...principal.scopes].sort(),
    };
    if (!session) return { body: { ...who, via: 'bearer' } };
    const { role, expiresAt, csrfToken } = session;
    return { body: { ...who, via: 'session', role, expiresAt: expiresAt.toISOString(), csrfToken } };
  },
});
