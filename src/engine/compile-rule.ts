/** One rule file → a CompiledRule: schema, collection, parameter defaults, and its CEL checked. */
import type { Environment } from '@marcbachmann/cel-js';
import { validate } from '../schemas/validator.js';
import type { SnapshotKind } from '../schemas/canonical.js';
import type { Assumption, CelProgram, CompiledRule, ParamSpec, Severity } from './catalog.js';
import type { ParsedFile } from './parsed-file.js';
import { hasDeviceRules } from './device-rules.js';
import { itemPaths, variableAt } from './expressions.js';
import { COLLECTIONS, ruleFileSchema } from './rule-schema.js';
import { expressionOffset, located, PackLoadError, pointerError, type YamlSource } from './yaml-source.js';

/**
 * Every rule's implicit parameter: how old (in days, from the snapshot's collection time or its
 * last confirmation) evidence may be and still prove a pass. Packs and tenants set it like any
 * other parameter; a rule may declare its own default.
 */
export const EVIDENCE_AGE_PARAMETER = 'maxEvidenceAgeDays';
export const EVIDENCE_AGE_SPEC: ParamSpec = {
  type: 'integer',
  default: 30,
  minimum: 1,
  maximum: 3650,
  description:
    'Days after its collection (or its last confirmation by a re-post) that an export still proves a pass; older evidence can prove a failure (stale) but makes what would pass insufficient evidence.',
};

export function compileRule(env: Environment, r: ParsedFile): CompiledRule {
  const problem = validate(ruleFileSchema, r.value)[0];
  if (problem) throw pointerError(r.src, problem.pointer, problem.message);
  const v = r.value as Record<string, string> & {
    parameters?: Record<string, ParamSpec>;
    appliesTo?: string[];
    assume?: Record<string, { value: Assumption['value']; settledBy: string | Record<string, string> }>;
  };
  const kind = v.kind as SnapshotKind;
  if (!(COLLECTIONS[kind] as readonly string[]).includes(v.each!)) {
    throw pointerError(r.src, '/each', `must be one of ${COLLECTIONS[kind].join(', ')} for kind ${kind}`);
  }
  checkDefaults(r.src, v.parameters ?? {});
  const scope = { src: r.src, deviceRules: hasDeviceRules(kind, v.each!) };
  const where = v.where ? compile(env, scope, '/where', v.where) : undefined;
  const assert = compile(env, scope, '/assert', v.assert!);
  const details = v.details ? compile(env, scope, '/details', v.details) : undefined;
  const assume = assumptions(r.src, v.assume ?? {}, where?.paths ?? []);
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
    assume,
    parameters: { [EVIDENCE_AGE_PARAMETER]: EVIDENCE_AGE_SPEC, ...v.parameters },
    where: where?.program,
    assert: assert.program,
    details: details?.program,
    wherePaths: where?.paths ?? [],
    assertPaths: assert.paths,
    readsDeviceRules:
      (where?.readsDeviceRules ?? false) || assert.readsDeviceRules || (details?.readsDeviceRules ?? false),
    file: r.src.file,
    sha256: r.sha256,
    source: { where: v.where, assert: v.assert!, ...(v.details ? { details: v.details } : {}) },
  };
}

/** `assume`: only fields `where` reads (a leaf it reads, or a prefix of one, is not enough: the exact path). */
function assumptions(
  src: YamlSource,
  declared: Record<string, { value: Assumption['value']; settledBy: string | Record<string, string> }>,
  wherePaths: readonly string[][],
): Assumption[] {
  const read = new Set(wherePaths.map((p) => p.join('.')));
  return Object.entries(declared).map(([field, a]) => {
    if (!read.has(field))
      throw pointerError(
        src,
        `/assume/${field}`,
        `only a field that \`where\` reads can be assumed; it reads: ${[...read].join(', ') || 'nothing of the item'}`,
      );
    return {
      field,
      path: field.split('.'),
      value: a.value,
      settledBy: typeof a.settledBy === 'string' ? { '*': a.settledBy } : a.settledBy,
    };
  });
}

function checkDefaults(src: YamlSource, parameters: Record<string, ParamSpec>): void {
  for (const [name, spec] of Object.entries(parameters)) {
    const bad = validate(
      { type: spec.type === 'integer' ? 'integer' : spec.type, ...(spec.items ? { items: spec.items } : {}) },
      spec.default,
    )[0];
    if (bad) throw pointerError(src, `/parameters/${name}/default`, `must be of type ${spec.type}`);
  }
}

function compile(
  env: Environment,
  scope: { src: YamlSource; deviceRules: boolean },
  pointer: string,
  expression: string,
): { program: CelProgram; paths: string[][]; readsDeviceRules: boolean } {
  const { src } = scope;
  const checked = env.check(expression);
  if (!checked.valid) {
    const err = checked.error as Error & { range?: { start: number }; summary?: string };
    const at = expressionOffset(src, pointer, err.range?.start ?? 0);
    throw new PackLoadError(located(src, at, `${pointer.slice(1)}: ${err.summary ?? err.message}`));
  }
  const parsed = env.parse(expression) as unknown as CelProgram & { ast: unknown };
  const reads = variableAt(parsed.ast, 'deviceRules');
  if (reads !== undefined && !scope.deviceRules) {
    const at = expressionOffset(src, pointer, reads);
    throw new PackLoadError(
      located(src, at, `${pointer.slice(1)}: deviceRules exists only in rules over firewall devices`),
    );
  }
  return { program: parsed, paths: itemPaths(parsed.ast), readsDeviceRules: reads !== undefined };
}
