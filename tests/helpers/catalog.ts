/** The catalogue as the entry points build it: the rule files read from disk, then compiled. */
import { RULES_DIR, readRuleFiles } from '../../src/config/rule-files.js';
import type { Catalog } from '../../src/engine/catalog.js';
import { compileCatalog } from '../../src/engine/compile-catalog.js';

export { RULES_DIR };

export function loadCatalog(dir: string = RULES_DIR): Catalog {
  return compileCatalog(readRuleFiles(dir));
}
