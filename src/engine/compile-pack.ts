/** One pack file → a Pack: schema, requirement ids unique, every named rule and parameter resolved. */
import { validate } from '../schemas/validator.js';
import type { CompiledRule, Pack } from './catalog.js';
import type { ParsedFile } from './parsed-file.js';
import { checkPackParameters } from './parameters.js';
import { packFileSchema } from './rule-schema.js';
import { pointerError } from './yaml-source.js';

type RequirementText = Partial<Pack['requirements'][number]> & { id: string };

export function compilePack(r: ParsedFile, rules: ReadonlyMap<string, CompiledRule>): Pack {
  const problem = validate(packFileSchema, r.value)[0];
  if (problem) throw pointerError(r.src, problem.pointer, problem.message);
  const v = r.value as unknown as Omit<Pack, 'file' | 'sha256' | 'requirements'> & {
    requirements: RequirementText[];
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
    return requirement(q);
  });
  const pack: Pack = { ...v, parameters: v.parameters ?? {}, requirements, file: r.src.file, sha256: r.sha256 };
  const bad = checkPackParameters(pack, rules, pack.parameters)[0];
  if (bad) throw pointerError(r.src, `/parameters${bad.pointer}`, bad.message);
  return pack;
}

function requirement(q: RequirementText): Pack['requirements'][number] {
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
}
