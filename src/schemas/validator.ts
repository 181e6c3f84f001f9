/**
 * One ajv (draft 2020-12) for the whole process: every request body, vendor part, canonical
 * document, rule pack and the configuration are validated with schemas compiled here once, and
 * the same schema objects feed the OpenAPI document.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { canonicalSchemas, canonicalSharedSchemas } from './canonical.js';
import type { JsonSchema } from './json-schema.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export interface SchemaProblem {
  pointer: string;
  message: string;
}

const ajv = new Ajv2020({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  coerceTypes: false,
});
addFormats(ajv);
for (const s of [...canonicalSharedSchemas, ...Object.values(canonicalSchemas)]) ajv.addSchema(s as object);

const cache = new WeakMap<object, ValidateFunction>();

/** Compile (once per schema object) and return the validator. */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    const id = schema.$id as string | undefined;
    fn = id ? ajv.getSchema(id) : undefined;
    if (!fn) {
      if (id) ajv.addSchema(hoist(schema, true) as object);
      fn = id ? ajv.getSchema(id)! : ajv.compile(hoist(schema, true) as object);
    }
    cache.set(schema, fn);
  }
  return fn;
}

/**
 * Schemas are embedded by value where they are reused (a list of tenants holds the tenant
 * schema itself, which keeps them readable and the OpenAPI document self-contained). ajv
 * refuses one `$id` registered twice, so nested `$id` schemas are registered once and
 * replaced by a `$ref` in the copy that is compiled.
 */
function hoist(node: unknown, root = false): unknown {
  if (Array.isArray(node)) return node.map((n) => hoist(n));
  if (node === null || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (!root && typeof o.$id === 'string') {
    if (!ajv.getSchema(o.$id)) ajv.addSchema(hoist(o, true) as object);
    return { $ref: o.$id };
  }
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      k === 'enum' || k === 'const' || k === 'default' || k === 'examples' ? v : hoist(v),
    ]),
  );
}

const MAX_PROBLEMS = 50;

/**
 * Validate and return the problems (at most 50), each with a JSON Pointer into the instance that
 * names the offending member itself (a missing or unexpected property is named in the pointer).
 */
export function validate(schema: JsonSchema, value: unknown, prefix = ''): SchemaProblem[] {
  const fn = compileSchema(schema);
  if (fn(value)) return [];
  return toProblems(fn.errors ?? [], prefix);
}

export function toProblems(errors: readonly ErrorObject[], prefix = ''): SchemaProblem[] {
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    let pointer = prefix + e.instancePath;
    let message = e.message ?? 'is invalid';
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') pointer += '/' + escapeToken(String(params.missingProperty));
    if (e.keyword === 'additionalProperties') {
      pointer += '/' + escapeToken(String(params.additionalProperty));
      message = 'is not allowed here';
    }
    if (e.keyword === 'enum')
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    // anyOf/oneOf repeat their branches' errors; keep the first per pointer
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const key = pointer + '\u0000' + message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, message });
    if (out.length >= MAX_PROBLEMS) break;
  }
  return out.length > 0 ? out : [{ pointer: prefix || '', message: 'is invalid' }];
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

// Query strings arrive as strings: a second ajv coerces them to the declared types and fills
// declared defaults, so handlers receive typed values.
const ajvQuery = new Ajv2020({
  allErrors: true,
  strict: true,
  allowUnionTypes: true,
  coerceTypes: 'array',
  useDefaults: true,
});
addFormats(ajvQuery);
const queryCache = new WeakMap<object, ValidateFunction>();

/** Validate (and coerce in place) a query object; returns the problems with pointers like `/limit`. */
export function validateQuery(schema: JsonSchema, value: Record<string, unknown>): SchemaProblem[] {
  let fn = queryCache.get(schema);
  if (!fn) {
    fn = ajvQuery.compile(schema as object);
    queryCache.set(schema, fn);
  }
  return fn(value) ? [] : toProblems(fn.errors ?? []);
}
