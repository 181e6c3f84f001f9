/**
 * One rule, one item: the honest result state. A field the rule reads that is absent (CEL
 * `no_such_key`) or `unknown` makes the item insufficient evidence, never pass or fail; a rule
 * that breaks otherwise is `error`; `where` false is not applicable.
 */
import type { CompiledRule, CelProgram } from './catalog.js';
import type { Judged } from './collections.js';
import { valueAt } from './expressions.js';

export type ItemState = 'pass' | 'fail' | 'insufficient_evidence' | 'not_applicable' | 'error';

export interface Verdict {
  state: ItemState;
  /** why it is insufficient evidence or an error */
  reason?: string;
}

const PASS: Verdict = { state: 'pass' };
const FAIL: Verdict = { state: 'fail' };
const NA: Verdict = { state: 'not_applicable' };

type Outcome = { value: unknown } | { missing: string } | { error: string };

function run(program: CelProgram, ctx: Record<string, unknown>): Outcome {
  try {
    return { value: program(ctx) };
  } catch (err) {
    const e = err as { code?: string; summary?: string; message?: string };
    if (e.code === 'no_such_key') return { missing: (e.summary ?? '').replace(/^No such key: /, '') };
    return { error: e.summary ?? e.message ?? 'the expression failed' };
  }
}

function unknownField(item: unknown, paths: readonly string[][]): string | undefined {
  for (const p of paths) if (valueAt(item, p) === 'unknown') return p.join('.');
  return undefined;
}

export function judge(rule: CompiledRule, params: Record<string, unknown>, j: Judged, asOf: Date): Verdict {
  const item = j.item;
  if (rule.appliesTo && !rule.appliesTo.has(String(item.source ?? j.snapshot.source))) return NA;
  const ctx = { item, doc: j.doc, params, asOf };
  if (rule.where) {
    const w = run(rule.where, ctx);
    if ('missing' in w) return { state: 'insufficient_evidence', reason: `${w.missing} is absent` };
    if ('error' in w) return { state: 'error', reason: w.error };
    if (w.value !== true && w.value !== false) return { state: 'error', reason: 'where did not give true or false' };
    if (!w.value) {
      const unknown = unknownField(item, rule.wherePaths);
      return unknown ? { state: 'insufficient_evidence', reason: `${unknown} is unknown` } : NA;
    }
  }
  const a = run(rule.assert, ctx);
  if ('missing' in a) return { state: 'insufficient_evidence', reason: `${a.missing} is absent` };
  if ('error' in a) return { state: 'error', reason: a.error };
  if (a.value !== true && a.value !== false) return { state: 'error', reason: 'assert did not give true or false' };
  const unknown = unknownField(item, rule.wherePaths) ?? unknownField(item, rule.assertPaths);
  if (unknown) return { state: 'insufficient_evidence', reason: `${unknown} is unknown` };
  return a.value ? PASS : FAIL;
}

/** The fields the rule read, as a nested object: a finding's evidence. */
export function evidenceOf(rule: CompiledRule, item: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of [...rule.wherePaths, ...rule.assertPaths]) {
    const v = valueAt(item, path);
    if (v === undefined) continue;
    let o = out;
    path.slice(0, -1).forEach((k) => (o = (o[k] ??= {}) as Record<string, unknown>));
    o[path[path.length - 1]!] = v;
  }
  return out;
}
