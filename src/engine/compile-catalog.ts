/**
 * The rule and pack texts → the checked catalogue. Pure: the texts come in (read from disk by
 * config/rule-files.ts; any text can be compiled again, e.g. the stored rules of an old
 * evaluation). Every file is validated
 * against its JSON Schema, every CEL expression parsed and type-checked, every rule id a pack
 * names and every parameter it overrides resolved. Any problem throws a PackLoadError naming
 * file, line and column with a caret — a broken pack stops start-up instead of producing a
 * spurious FAIL later.
 */
import type { Catalog, CompiledRule, Pack } from './catalog.js';
import { createCelEnvironment } from './cel-env.js';
import { compilePack } from './compile-pack.js';
import { compileRule } from './compile-rule.js';
import { parseFile, type RuleFile } from './parsed-file.js';
import { PackLoadError } from './yaml-source.js';

export type { RuleFile } from './parsed-file.js';

/** Rule files (`rules/checks/**`) and pack files (`rules/packs/*`), each list in load order. */
export interface CatalogFiles {
  checks: readonly RuleFile[];
  packs: readonly RuleFile[];
}

export function compileCatalog(files: CatalogFiles): Catalog {
  const env = createCelEnvironment();
  const rules = new Map<string, CompiledRule>();
  for (const f of files.checks) {
    const rule = compileRule(env, parseFile(f));
    if (rules.has(rule.id))
      throw new PackLoadError(`${rule.file}: rule id "${rule.id}" is also defined in ${rules.get(rule.id)!.file}`);
    rules.set(rule.id, rule);
  }
  const packs = new Map<string, Pack>();
  for (const f of files.packs) {
    const pack = compilePack(parseFile(f), rules);
    if (packs.has(pack.id))
      throw new PackLoadError(`${pack.file}: pack id "${pack.id}" is also defined in ${packs.get(pack.id)!.file}`);
    packs.set(pack.id, pack);
  }
  return { rules, packs };
}
