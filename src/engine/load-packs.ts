/**
 * Load rules/checks/**.yaml and rules/packs/*.yaml: validate each file against its JSON Schema,
 * parse and type-check every CEL expression, resolve every rule id a pack names and every
 * parameter it overrides. Any problem throws a PackLoadError naming file, line and column with a
 * caret — a broken pack stops start-up instead of producing a spurious FAIL later.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import type { Environment } from '@marcbachmann/cel-js';
import { validate } from '../schemas/validator.js';
import type { SnapshotKind } from '../schemas/canonical.js';
import type { Catalog, CelProgram, CompiledRule, Pack, ParamSpec, Severity } from './catalog.js';
import { createCelEnvironment } from './cel-env.js';
import { itemPaths } from './expressions.js';
import { checkPackParameters } from './parameters.js';
import { COLLECTIONS, packFileSchema, ruleFileSchema } from './rule-schema.js';
import { expressionOffset, located, PackLoadError, parseYaml, pointerError, type YamlSource } from './yaml-source.js';

export const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/** Every `.yaml` under dir, sorted, skipping conformance case files (`*.cases.yaml`). */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.cases.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

export function loadCatalog(dir: string = RULES_DIR): Catalog {
  const env = createCelEnvironment();
  const rules = new Map<string, CompiledRule>();
  for (const path of yamlFiles(join(dir, 'checks'))) {
    const rule = loadRule(env, read(dir, path));
    if (rules.has(rule.id))
      throw new PackLoadError(`${rule.file}: rule id "${rule.id}" is also defined in ${rules.get(rule.id)!.file}`);
    rules.set(rule.id, rule);
  }
  const packs = new Map<string, Pack>();
  for (const path of yamlFiles(join(dir, 'packs'))) {
    const pack = loadPack(read(dir, path), rules);
    if (packs.has(pack.id))
      throw new PackLoadError(`${pack.file}: pack id "${pack.id}" is also defined in ${packs.get(pack.id)!.file}`);
    packs.set(pack.id, pack);
  }
  return { rules, packs };
}

interface Read {
  src: YamlSource;
  value: Record<string, unknown>;
  sha256: string;
}

function read(dir: string, path: string): Read {
  const bytes = readFileSync(path);
  const src = parseYaml(join('rules', relative(dir, path)), bytes.toString('utf8'));
  return {
    src,
    value: src.doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

function checkSchema(r: Read, schema: typeof ruleFileSchema | typeof packFileSchema): void {
  const problem = validate(schema, r.value)[0];
  if (problem) throw pointerError(r.src, problem.pointer, problem.message);
}

function loadRule(env: Environment, r: Read): CompiledRule {
  checkSchema(r, ruleFileSchema);
  const v = r.value as Record<string, string> & { parameters?: Record<string, ParamSpec>; appliesTo?: string[] };
  const kind = v.kind as SnapshotKind;
  if (!(COLLECTIONS[kind] as readonly string[]).includes(v.each!)) {
    throw pointerError(r.src, '/each', `must be one of ${COLLECTIONS[kind].join(', ')} for kind ${kind}`);
  }
  for (const [name, spec] of Object.entries(v.parameters ?? {})) {
    const bad = validate(
      { type: spec.type === 'integer' ? 'integer' : spec.type, ...(spec.items ? { items: spec.items } : {}) },
      spec.default,
    )[0];
    if (bad) throw pointerError(r.src, `/parameters/${name}/default`, `must be of type ${spec.type}`);
  }
  const where = v.where ? compile(env, r.src, '/where', v.where) : undefined;
  const assert = compile(env, r.src, '/assert', v.assert!);
  return {
    id: v.id!,
    title: v.title!,
    kind,
    each: v.each!,
    severity: v.severity as Severity,
    message: v.message!,
    rationale: v.rationale!,
    remediation: v.remediation!,
    evidence: v.evidence,
    appliesTo: v.appliesTo ? new Set(v.appliesTo) : undefined,
    parameters: v.parameters ?? {},
    where: where?.program,
    assert: assert.program,
    wherePaths: where?.paths ?? [],
    assertPaths: assert.paths,
    file: r.src.file,
    sha256: r.sha256,
    source: { where: v.where, assert: v.assert! },
  };
}

function compile(
  env: Environment,
  src: YamlSource,
  pointer: string,
  expression: string,
): { program: CelProgram; paths: string[][] } {
  const checked = env.check(expression);
  if (!checked.valid) {
    const err = checked.error as Error & { range?: { start: number }; summary?: string };
    throw new PackLoadError(
      located(
        src,
        expressionOffset(src, pointer, err.range?.start ?? 0),
        `${pointer.slice(1)}: ${err.summary ?? err.message}`,
      ),
    );
  }
  const parsed = env.parse(expression) as unknown as CelProgram & { ast: unknown };
  return { program: parsed, paths: itemPaths(parsed.ast) };
}

function loadPack(r: Read, rules: ReadonlyMap<string, CompiledRule>): Pack {
  checkSchema(r, packFileSchema);
  const v = r.value as unknown as Omit<Pack, 'file' | 'sha256' | 'requirements'> & {
    requirements: (Partial<Pack['requirements'][number]> & { id: string })[];
  };
  const seen = new Set<string>();
  const requirements = v.requirements.map((q, i) => {
    if (seen.has(q.id)) throw pointerError(r.src, `/requirements/${i}/id`, `duplicates requirement "${q.id}"`);
    seen.add(q.id);
    (q.rules ?? []).forEach((id, j) => {
      if (!rules.has(id))
        throw pointerError(
          r.src,
          `/requirements/${i}/rules/${j}`,
          `names no rule: there is no rule "${id}" in rules/checks`,
        );
    });
    return {
      id: q.id,
      title: q.title!,
      citation: q.citation!,
      rationale: q.rationale!,
      rules: q.rules ?? [],
      family: q.family ?? q.id.split(/[.(]/)[0]!,
      manual: q.manual === true,
      informational: q.informational === true,
    };
  });
  const pack: Pack = { ...v, parameters: v.parameters ?? {}, requirements, file: r.src.file, sha256: r.sha256 };
  const problem = checkPackParameters(pack, rules, pack.parameters)[0];
  if (problem) throw pointerError(r.src, `/parameters${problem.pointer}`, problem.message);
  return pack;
}
