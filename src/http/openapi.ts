/**
 * OpenAPI 3.1 built from the RouteSpecs and the very schema objects ajv validates with, so the
 * document cannot drift from what the service enforces. Schemas with a `posture:` $id become
 * components and every `$ref` to them is rewritten to `#/components/schemas/…`.
 */
import { canonicalSchemas, canonicalSharedSchemas } from '../schemas/canonical.js';
import type { JsonSchema } from '../schemas/json-schema.js';
import type { RouteSpec } from './route.js';
import { problemSchema, SLUG_PATTERN } from './schemas.js';

type Obj = Record<string, unknown>;

export function buildOpenApi(routes: readonly RouteSpec[], version: string): Obj {
  const components: Record<string, unknown> = {};
  const conv = (s: JsonSchema | undefined) => (s ? convert(s, components) : undefined);
  for (const s of [...canonicalSharedSchemas, ...Object.values(canonicalSchemas), problemSchema]) conv(s);
  const paths: Record<string, Obj> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[r.method] = operation(r, conv);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Posture API',
      version,
      description:
        'Security-posture and compliance auditing for MSPs and their clients. Errors are RFC 9457 problem+json.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    // either one: a bearer token, or the web console's session cookie (then a change also needs
    // the session's X-CSRF-Token and the service's own Origin)
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'posture_session',
          description:
            "the web console's session (`__Host-posture_session` behind an https POSTURE_PUBLIC_URL), set by signing in with a one-time link; POST, PUT, PATCH and DELETE also need the X-CSRF-Token header from GET /v1/session and a matching Origin",
        },
      },
    },
  };
}

function operation(r: RouteSpec, conv: (s: JsonSchema | undefined) => unknown): Obj {
  const params: Obj[] = [];
  for (const [, name] of r.path.matchAll(/:(\w+)/g)) {
    const isTenant = name === 'tenant';
    params.push({
      name,
      in: 'path',
      required: true,
      description: isTenant ? 'tenant slug' : `${r.ids?.[name!] ?? ''} id`,
      schema: isTenant ? { type: 'string', pattern: SLUG_PATTERN } : { type: 'string', format: 'uuid' },
    });
  }
  const q = r.query as { properties?: Record<string, JsonSchema>; required?: string[] } | undefined;
  for (const [name, schema] of Object.entries(q?.properties ?? {})) {
    params.push({
      name,
      in: 'query',
      required: q?.required?.includes(name) ?? false,
      schema: conv(schema),
      description: schema.description,
    });
  }
  for (const h of r.headers ?? [])
    params.push({ name: h.name, in: 'header', required: false, description: h.description, schema: conv(h.schema) });
  const op: Obj = {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    tags: [r.tag],
    parameters: params,
    responses: Object.fromEntries(
      Object.entries(r.responses).map(([status, s]) => [
        status,
        {
          description: s.description,
          ...(s.schema || s.contentType
            ? {
                content: {
                  [s.contentType ?? 'application/json']: { schema: conv(s.schema) ?? {} },
                  ...Object.fromEntries(
                    (s.alternatives ?? []).map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
                  ),
                },
              }
            : {}),
        },
      ]),
    ),
  };
  if (r.auth === 'none') op.security = [];
  else if (r.auth !== 'token') op['x-required-scope'] = r.auth;
  if (r.body && 'schema' in r.body) {
    op.requestBody = {
      required: r.body.required ?? true,
      content: { 'application/json': { schema: conv(r.body.schema), example: r.body.example } },
    };
  } else if (r.body) {
    op.requestBody = {
      required: true,
      description: r.body.description,
      content: Object.fromEntries(r.body.contentTypes.map((c) => [c, {}])),
    };
  }
  return op;
}

function componentName(id: string): string {
  return id.replace(/^posture:/, '').replace(/[^A-Za-z0-9._-]/g, '.');
}

/** Deep copy with `posture:` schemas moved to components and refs pointed at them. */
function convert(schema: unknown, components: Record<string, unknown>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, components));
  if (schema === null || typeof schema !== 'object') return schema;
  const o = schema as Obj;
  if (typeof o.$id === 'string' && o.$id.startsWith('posture:')) {
    const name = componentName(o.$id);
    if (!(name in components)) {
      components[name] = {}; // reserve first: schemas may refer to themselves
      const { $id: _id, ...rest } = o;
      components[name] = convert(rest, components);
    }
    return { $ref: `#/components/schemas/${name}` };
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('posture:')
        ? `#/components/schemas/${componentName(v)}`
        : convert(v, components);
  }
  return out;
}
