/** The loaded, checked rule and pack catalogue the evaluator runs on. */
import type { Severity, SnapshotKind } from '../core/vocabulary.js';

export type { Severity } from '../core/vocabulary.js';

export interface ParamSpec {
  type: 'integer' | 'number' | 'string' | 'boolean' | 'array' | 'object';
  default: unknown;
  description: string;
  minimum?: number;
  maximum?: number;
  items?: Record<string, unknown>;
}

/** What a rule assumes for one field of its `where` when the export does not state it (absent or `unknown`). */
export interface Assumption {
  /** the field, as written (`status`, `mfa.bypass`) */
  field: string;
  path: string[];
  value: string | number | boolean;
  /** which export (part) would settle it, by source; `*` for any other source */
  settledBy: Readonly<Record<string, string>>;
}

export type CelProgram = (ctx: Record<string, unknown>) => unknown;

export interface CompiledRule {
  id: string;
  title: string;
  kind: SnapshotKind;
  each: string;
  severity: Severity;
  message: string;
  rationale: string;
  remediation: string;
  evidence?: string;
  appliesTo?: ReadonlySet<string>;
  /** fields of `where` judged by assumption when the export does not state them (empty: none) */
  assume: readonly Assumption[];
  parameters: Record<string, ParamSpec>;
  where?: CelProgram;
  assert: CelProgram;
  /** run for failing items only: a map for the finding's evidence and message (rule file `details`) */
  details?: CelProgram;
  wherePaths: string[][];
  /** the expressions read `deviceRules` (then the collection needs its per-device rule index) */
  readsDeviceRules: boolean;
  assertPaths: string[][];
  /** repository-relative path and SHA-256 of the YAML file */
  file: string;
  sha256: string;
  /** the YAML as written, for GET /v1/packs */
  source: { where?: string; assert: string; details?: string };
}

export interface Requirement {
  id: string;
  title: string;
  citation: string;
  family: string;
  rationale: string;
  rules: string[];
  manual: boolean;
  informational: boolean;
}

export interface Pack {
  id: string;
  version: string;
  title: string;
  description?: string;
  source?: string;
  parameters: Record<string, unknown>;
  requirements: Requirement[];
  file: string;
  sha256: string;
}

export interface Catalog {
  rules: ReadonlyMap<string, CompiledRule>;
  packs: ReadonlyMap<string, Pack>;
}
