/**
 * The shipped rule and pack files, read from disk for compileCatalog (the engine itself reads
 * nothing). `RULES_DIR` is the repository's `rules/`, next to `src/` and `dist/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/** One file's text, named as errors show it: `rules/checks/identity/mfa.yaml`. */
export interface RuleFileText {
  file: string;
  text: string;
}

/** `checks/**.yaml` and `packs/*.yaml` under `dir`, each sorted, without conformance cases (`*.cases.yaml`). */
export function readRuleFiles(dir: string = RULES_DIR): { checks: RuleFileText[]; packs: RuleFileText[] } {
  return { checks: read(dir, 'checks'), packs: read(dir, 'packs') };
}

function read(dir: string, sub: string): RuleFileText[] {
  return readdirSync(join(dir, sub), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.cases.yaml'))
    .sort()
    .map((f) => join(dir, sub, f))
    .map((path) => ({ file: join('rules', relative(dir, path)), text: readFileSync(path, 'utf8') }));
}
