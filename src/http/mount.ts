/**
 * Turns RouteSpecs into express handlers. The order of checks is the contract's and lives only
 * here: no or bad token → 401; too many requests for the token's subject → 429; tenant (or
 * object id, in the path or the body) outside the token → 404; scope missing → 403; then the
 * query and body are validated and the handler runs. Routes that need no token pass the public
 * rate limit first.
 */
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { TenantView } from '../db/tenants.js';
import { checkReferences, type Reference } from '../domain/check-references.js';
import { findReachableTenant } from '../domain/read-tenants.js';
import { resolveReach } from '../domain/resolve-reach.js';
import { JsonSyntaxError, parseJsonLocated } from '../core/json.js';
import { validate, validateQuery } from '../schemas/validator.js';
import type { AppDeps } from './deps.js';
import { AppError } from '../core/errors.js';
import { readWithin } from './body-timeout.js';
import { type Authenticators, authenticate, type Caller } from './middleware/authenticate.js';
import { findSession, NO_TENANTS } from '../domain/sessions.js';
import { limitSubject, type RateLimiters } from './rate-limits.js';
import type { Reply, RouteSpec } from './route.js';
import type {} from 'pino-http'; // adds req.id

const ANONYMOUS: Caller = { principal: { sub: 'anonymous', tenants: [], scopes: new Set() } };

export function mountRoutes(app: Express, routes: readonly RouteSpec[], deps: AppDeps, limiters: RateLimiters): void {
  const auth: Authenticators = {
    verifyToken: deps.verifyToken,
    findSession: (secret) => findSession(deps.database.scoped(NO_TENANTS), secret, deps.now()),
    config: deps.config,
  };
  for (const route of routes) {
    const before = route.auth === 'none' ? [limiters.public] : [];
    app[route.method](route.path, ...before, handlerFor(route, deps, limiters, auth));
  }
}

function handlerFor(route: RouteSpec, deps: AppDeps, limiters: RateLimiters, auth: Authenticators): RequestHandler {
  const readBody = express.raw({ type: () => true, limit: deps.config.maxBodyBytes });
  const jsonBody = route.body && 'schema' in route.body ? route.body : undefined;
  return async (req, res) => {
    res.locals.route = route.path;
    // every answer of an authenticated route (its problems too) holds tenant data or says who may see it
    if (route.auth !== 'none') res.setHeader('Cache-Control', 'no-store');
    const params = req.params as Record<string, string>;
    const caller = route.auth === 'none' ? ANONYMOUS : await authenticate(req, auth);
    const authenticated = caller.principal;
    if (route.auth !== 'none') await limitSubject(limiters, req, res, authenticated.sub);
    const system = (reason: string) => deps.database.system(reason);
    // every database read and write of this request sees only the tenants the token reaches
    const db = deps.database.scoped(await resolveReach(system, authenticated));
    const principal = deps.appTenancyChecks === false ? { ...authenticated, tenants: ['*'] } : authenticated;
    const tenant = params.tenant === undefined ? undefined : await findReachableTenant(db, principal, params.tenant);
    if (jsonBody) {
      await readWithin(
        req,
        deps.config.bodyTimeout,
        () =>
          new Promise<void>((resolve, reject) =>
            readBody(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
          ),
      );
    }
    await checkReferences(db, principal, tenant, referencesOf(route, params, req));
    if (route.auth !== 'none' && route.auth !== 'token' && !principal.scopes.has(route.auth)) {
      throw new AppError('forbidden', `this needs the ${route.auth} scope`);
    }
    const query = parseQuery(route, req);
    const body = jsonBody ? parseJsonBody(req, jsonBody.schema, jsonBody.required ?? true) : undefined;
    const requestId = String(req.id);
    const now = deps.now();
    const { catalog, signer, keyring, work } = deps;
    const ctx = { db, system, principal, requestId, now, catalog, signer, keyring, work };
    const reply = await route.handler({
      req,
      res,
      deps,
      principal,
      tenant: tenant as TenantView,
      params,
      query,
      body,
      requestId,
      now,
      ctx,
      session: caller.session,
    });
    send(res, reply);
  };
}

/** The objects a request names in its path and (when its JSON body parses) its body. */
function referencesOf(route: RouteSpec, params: Record<string, string>, req: Request): Reference[] {
  const inPath = Object.entries(route.ids ?? {}).map(([name, type]) => ({ type, value: params[name] }));
  if (!route.bodyRefs) return inPath as Reference[];
  let body: unknown;
  try {
    body = Buffer.isBuffer(req.body) && req.body.length > 0 ? JSON.parse(req.body.toString('utf8')) : undefined;
  } catch {
    body = undefined; // a malformed body is refused after the scope check, with its location
  }
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const inBody = Object.entries(route.bodyRefs).map(([field, type]) => ({
    type,
    value: fields[field],
    at: { pointer: `/${field}`, message: `no such ${type}` },
  }));
  return [...inPath, ...inBody] as Reference[];
}

function parseQuery(route: RouteSpec, req: Request): Record<string, unknown> {
  const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  if (!route.query) {
    if (Object.keys(query).length > 0) throw new AppError('invalid_query', 'this endpoint takes no query parameters');
    return query;
  }
  const problems = validateQuery(route.query, query);
  if (problems.length > 0) {
    throw new AppError(
      'invalid_query',
      `invalid query parameter: ${problems[0]!.pointer.slice(1) || '?'} ${problems[0]!.message}`,
      problems.map((p) => ({ ...p, in: 'query' as const })),
    );
  }
  return query;
}

function parseJsonBody(req: Request, schema: RouteSpec['query'] & object, required: boolean): unknown {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (raw.length === 0) {
    if (!required) return {};
    throw new AppError('validation_failed', 'a JSON body is required', [{ pointer: '', message: 'is required' }]);
  }
  if (!req.is(['application/json', 'application/*+json'])) {
    throw new AppError('unsupported_media_type', 'send the body as application/json');
  }
  let body: unknown;
  try {
    body = parseJsonLocated(raw.toString('utf8'));
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new AppError('malformed_json', err.message, [{ pointer: err.pointer, line: err.line, message: err.message }]);
  }
  const problems = validate(schema, body);
  if (problems.length > 0)
    throw new AppError('validation_failed', `${problems[0]!.pointer || '/'} ${problems[0]!.message}`, problems);
  return body;
}

function send(res: Response, reply: Reply): void {
  res.status(reply.status ?? 200);
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if ('bytes' in reply) {
    // Exactly the bytes and the Content-Type given: no charset added, no ETag rewriting.
    const bytes =
      typeof reply.bytes === 'string'
        ? Buffer.from(reply.bytes, 'utf8')
        : Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
    res.setHeader('Content-Type', reply.contentType);
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  } else if (reply.status === 204) {
    res.end();
  } else {
    res.json(reply.body);
  }
}
