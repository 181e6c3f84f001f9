/** A rule or pack file's text, parsed with its positions (for errors) and hashed (for evaluations). */
import { createHash } from 'node:crypto';
import { parseYaml, type YamlSource } from './yaml-source.js';

/** One file's text and the name errors give it (`rules/checks/identity/mfa.yaml`). */
export interface RuleFile {
  file: string;
  text: string;
}

export interface ParsedFile {
  src: YamlSource;
  value: Record<string, unknown>;
  /** SHA-256 of the file's text (UTF-8): the hash an evaluation records */
  sha256: string;
}

export function parseFile(f: RuleFile): ParsedFile {
  const src = parseYaml(f.file, f.text);
  return {
    src,
    value: src.doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>,
    sha256: createHash('sha256').update(f.text, 'utf8').digest('hex'),
  };
}
