/**
 * Checks a response against what its RouteSpec declares: the status is one it lists, and the body
 * validates against the declared schema. Every integration test that calls `expectContract`
 * keeps the OpenAPI document honest.
 */
import type { Response } from 'supertest';
import { ROUTES } from '../../src/http/routes/index.js';
import type { RouteSpec } from '../../src/http/route.js';
import { validate } from '../../src/schemas/validator.js';

function matches(route: RouteSpec, method: string, path: string): boolean {
  if (route.method !== method.toLowerCase()) return false;
  const re = new RegExp('^' + route.path.replace(/:\w+/g, '[^/]+') + '$');
  return re.test(path);
}

export function routeFor(method: string, path: string): RouteSpec {
  const route = ROUTES.find((r) => matches(r, method, path.split('?')[0]!));
  if (!route) throw new Error(`no route declares ${method} ${path}`);
  return route;
}

export function expectContract(res: Response, method: string, path: string): void {
  const route = routeFor(method, path);
  const spec = route.responses[res.status];
  if (!spec)
    throw new Error(
      `${method} ${path} answered ${res.status}, which ${route.operationId} does not declare: ${res.text.slice(0, 300)}`,
    );
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!;
  const alternative = (spec.alternatives ?? []).find((t) => t.split(';')[0] === type);
  if (alternative) return;
  if (spec.schema && (spec.contentType ?? 'application/json').includes('json')) {
    const problems = validate(spec.schema, res.body);
    if (problems.length > 0)
      throw new Error(`${route.operationId} ${res.status} body breaks its schema: ${JSON.stringify(problems)}`);
  }
}
