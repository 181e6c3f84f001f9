/**
 * The console's only way to the service: the public /v1 API, through a client typed from the
 * service's own OpenAPI document (generated at build into console/generated). Signed in by the
 * session cookie; every state-changing request carries the session's CSRF token.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../generated/openapi';

export type Session = components['schemas']['http.session'];
export type Tenant = components['schemas']['http.tenant'];
export type Evaluation = components['schemas']['http.evaluation'];
export type Finding = components['schemas']['http.finding'];

let csrfToken: string | undefined;

/** Remembered from GET /v1/session, sent as X-CSRF-Token on every POST, PUT, PATCH and DELETE. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD'].includes(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

/** A problem document's detail, or the status, for showing to people. */
export function problemText(error: unknown, response: Response): string {
  const detail = (error as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail : `the service answered ${response.status}`;
}
