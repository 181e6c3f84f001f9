/**
 * Parameter values: rule default < pack < tenant. A pack or tenant may only set parameters that
 * a rule of that pack declares, with a value of the declared type and bounds.
 */
import { validate, type SchemaProblem } from '../schemas/validator.js';
import type { CompiledRule, Pack, ParamSpec } from './catalog.js';

export function rulesOf(pack: Pack, rules: ReadonlyMap<string, CompiledRule>): CompiledRule[] {
  const ids = new Set(pack.requirements.flatMap((q) => q.rules));
  return [...ids].map((id) => rules.get(id)!);
}

/** name → spec, over every rule of the pack (the first declaration of a name wins). */
export function declaredParameters(pack: Pack, rules: ReadonlyMap<string, CompiledRule>): Map<string, ParamSpec> {
  const out = new Map<string, ParamSpec>();
  for (const rule of rulesOf(pack, rules))
    for (const [name, spec] of Object.entries(rule.parameters)) if (!out.has(name)) out.set(name, spec);
  return out;
}

export function specSchema(spec: ParamSpec): Record<string, unknown> {
  return {
    type: spec.type,
    ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
    ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
    ...(spec.items ? { items: spec.items } : {}),
  };
}

/** Problems (pointers relative to the values object) with a set of values for this pack. */
export function checkPackParameters(
  pack: Pack,
  rules: ReadonlyMap<string, CompiledRule>,
  values: Record<string, unknown>,
): SchemaProblem[] {
  const declared = declaredParameters(pack, rules);
  const problems: SchemaProblem[] = [];
  for (const [name, value] of Object.entries(values)) {
    const spec = declared.get(name);
    if (!spec) {
      problems.push({
        pointer: `/${name}`,
        message: `no rule of ${pack.id} declares it; its parameters are: ${[...declared.keys()].join(', ') || 'none'}`,
      });
      continue;
    }
    problems.push(...validate(specSchema(spec), value, `/${name}`));
  }
  return problems;
}

/** The values one rule runs with in one pack. */
export function effectiveParameters(
  rule: CompiledRule,
  pack: Pack,
  tenant: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(rule.parameters)) {
    out[name] = name in tenant ? tenant[name] : name in pack.parameters ? pack.parameters[name] : spec.default;
  }
  return out;
}
