/**
 * One rule, one item: the honest result state. A field the rule reads that is absent (CEL
 * `no_such_key`) or `unknown` makes the item insufficient evidence, never pass or fail; a rule
 * that breaks otherwise is `error`; `where` false is not applicable.
 */
import type { CompiledRule, CelProgram } from './catalog.js';
import type { Judged } from './collections.js';
import { valueAt } from './expressions.js';

import type { ItemState } from '../core/vocabulary.js';

export type { ItemState } from '../core/vocabulary.js';

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
    if (e.code === 'no_such_key') return { missing: `${(e.summary ?? '').replace(/^No such key: /, '')} is absent` };
    if (e.code === 'insufficient_evidence') return { missing: e.summary ?? 'cannot be judged' };
    // deviceRules is the one variable an item can lack: its document carries no rules list
    if (e.code === 'unknown_variable') return { missing: 'rules is absent' };
    return { error: e.summary ?? e.message ?? 'the expression failed' };
  }
}

function unknownField(item: unknown, paths: readonly string[][]): string | undefined {
  for (const p of paths) if (valueAt(item, p) === 'unknown') return p.join('.');
  return undefined;
}

/**
 * An `unknown` value decides nothing by itself: when a read field is `unknown`, the rule runs
 * again with those fields hidden (as if absent). If the outcome still stands — `false && …`, a
 * `where` already false on another field — it is kept; if it needed them, the item is
 * insufficient evidence.
 */
export function judge(rule: CompiledRule, params: Record<string, unknown>, j: Judged, asOf: Date): Verdict {
  const item = j.item;
  if (rule.appliesTo && !rule.appliesTo.has(String(item.source ?? j.snapshot.source))) return NA;
  const ctx = { item, doc: j.doc, params, asOf, deviceRules: j.deviceRules };
  const verdict = decide(rule, ctx);
  if (verdict.state === 'insufficient_evidence' || verdict.state === 'error') return verdict;
  const unknown = unknownField(item, rule.wherePaths) ?? unknownField(item, rule.assertPaths);
  if (!unknown) return verdict;
  const again = decide(rule, { ...ctx, item: hideUnknown(item) });
  return again.state === 'insufficient_evidence'
    ? { state: 'insufficient_evidence', reason: `${unknown} is unknown` }
    : again;
}

type Context = {
  item: unknown;
  doc: unknown;
  params: Record<string, unknown>;
  asOf: Date;
  deviceRules: readonly unknown[] | undefined;
};

function decide(rule: CompiledRule, ctx: Context): Verdict {
  if (rule.where) {
    const w = run(rule.where, ctx);
    if ('missing' in w) return { state: 'insufficient_evidence', reason: w.missing };
    if ('error' in w) return { state: 'error', reason: w.error };
    if (w.value !== true && w.value !== false) return { state: 'error', reason: 'where did not give true or false' };
    if (!w.value) return NA;
  }
  const a = run(rule.assert, ctx);
  if ('missing' in a) return { state: 'insufficient_evidence', reason: a.missing };
  if ('error' in a) return { state: 'error', reason: a.error };
  if (a.value !== true && a.value !== false) return { state: 'error', reason: 'assert did not give true or false' };
  return a.value ? PASS : FAIL;
}

/** A view of the item in which every `unknown` value is absent (CEL then reports no_such_key). */
function hideUnknown(o: unknown): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return o;
  const t = o as Record<string | symbol, unknown>;
  return new Proxy(t, {
    get: (target, k) => (target[k] === 'unknown' ? undefined : hideUnknown(target[k])),
    has: (target, k) => k in target && target[k] !== 'unknown',
    ownKeys: (target) => Reflect.ownKeys(target).filter((k) => target[k] !== 'unknown'),
    getOwnPropertyDescriptor: (target, k) =>
      target[k] === 'unknown' ? undefined : Reflect.getOwnPropertyDescriptor(target, k),
  });
}

/** The fields the rule read, as a nested object: a finding's evidence. */
export function evidenceOf(rule: CompiledRule, item: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of [...rule.wherePaths, ...rule.assertPaths]) {
    const v = valueAt(item, path);
    if (v === undefined) continue;
    let o = out;
    for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    o[path[path.length - 1]!] = v;
  }
  return out;
}

/**
 * The rule's `details` for a failing item: a map for the finding's evidence and message, or
 * undefined (no `details`, or it broke — a finding never fails to appear for want of details).
 */
export function detailsOf(
  rule: CompiledRule,
  params: Record<string, unknown>,
  j: Judged,
  asOf: Date,
): Record<string, unknown> | undefined {
  if (!rule.details) return undefined;
  const out = run(rule.details, { item: j.item, doc: j.doc, params, asOf, deviceRules: j.deviceRules });
  if (!('value' in out)) return undefined;
  const v = out.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map)
    ? (v as Record<string, unknown>)
    : undefined;
}
