/**
 * One rule, one item: the honest result state. A field the rule reads that is absent (CEL
 * `no_such_key`) or `unknown` makes the item insufficient evidence, never pass or fail; a rule
 * that breaks otherwise is `error`; `where` false is not applicable.
 */
import type { Assumption, CompiledRule, CelProgram } from './catalog.js';
import type { Judged, SnapshotInput } from './collections.js';
import { valueAt } from './expressions.js';

import type { ItemState } from '../core/vocabulary.js';

export type { ItemState } from '../core/vocabulary.js';

export interface Verdict {
  state: ItemState;
  /** why it is insufficient evidence or an error */
  reason?: string;
  /** fields judged by assumption (the rule's `assume`, the item's own `assumed`); absent: none */
  assumed?: string[];
  /** the evidence is older than maxEvidenceAgeDays (see applyFreshness) */
  stale?: boolean;
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
 * insufficient evidence — unless the rule assumes a value for the fields that were not stated
 * (`assume`): then the item is judged on that assumption, and says so (`assumed`).
 * Clock-dependent rules read `collectedAt`: the item's own snapshot's collection time.
 */
export function judge(rule: CompiledRule, params: Record<string, unknown>, j: Judged, asOf: Date): Verdict {
  const item = j.item;
  if (rule.appliesTo && !rule.appliesTo.has(String(item.source ?? j.snapshot.source))) return NA;
  const ctx = {
    item,
    doc: j.doc,
    params,
    asOf,
    collectedAt: j.snapshot.collectedAt ?? asOf,
    deviceRules: j.deviceRules,
  };
  let verdict = judgeAsStated(rule, ctx);
  if (verdict.state === 'insufficient_evidence' && rule.assume.length > 0) verdict = judgeAssuming(rule, ctx, verdict);
  const own = ownAssumptions(item);
  if (own.length === 0 || verdict.state === 'not_applicable') return verdict;
  return { ...verdict, assumed: [...new Set([...(verdict.assumed ?? []), ...own])] };
}

function judgeAsStated(rule: CompiledRule, ctx: Context): Verdict {
  const verdict = decide(rule, ctx);
  if (verdict.state === 'insufficient_evidence' || verdict.state === 'error') return verdict;
  const unknown = unknownField(ctx.item, rule.wherePaths) ?? unknownField(ctx.item, rule.assertPaths);
  if (!unknown) return verdict;
  const again = decide(rule, { ...ctx, item: hideUnknown(ctx.item) });
  return again.state === 'insufficient_evidence'
    ? { state: 'insufficient_evidence', reason: `${unknown} is unknown` }
    : again;
}

/**
 * The item could not be judged as stated: fill in the rule's assumed values for the fields the
 * export leaves absent or `unknown`, and judge again. Only a pass, fail or not-applicable on that
 * basis replaces the verdict; when something else is still missing, the item stays insufficient
 * evidence and its reason names both.
 */
function judgeAssuming(rule: CompiledRule, ctx: Context, stated: Verdict): Verdict {
  const silent = rule.assume.filter((a) => {
    const v = valueAt(ctx.item, a.path);
    return v === undefined || v === 'unknown';
  });
  if (silent.length === 0) return stated;
  let item = ctx.item;
  for (const a of silent) item = withValue(item, a.path, a.value);
  const again = judgeAsStated(rule, { ...ctx, item });
  if (again.state === 'error') return stated;
  // still not enough: say what else is missing (the assumption alone would not have settled it)
  if (again.state === 'insufficient_evidence')
    return again.reason && again.reason !== stated.reason
      ? { ...stated, reason: `${stated.reason}, and ${again.reason}` }
      : stated;
  return { ...again, assumed: silent.map((a) => a.field) };
}

/** A copy of `o` with `value` at `path` (the objects along the path copied, the rest shared). */
function withValue(o: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const base = o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
  return { ...base, [path[0]!]: withValue(base[path[0]!], path.slice(1), value) };
}

/** The item's own `assumed` (an adapter inferred those fields): strings only. */
function ownAssumptions(item: Record<string, unknown>): string[] {
  const a = item.assumed;
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

/** What the finding of an item judged on assumptions says about them, naming what would settle each. */
export function assumptionNote(rule: CompiledRule, source: string, assumed: readonly string[]): string {
  if (assumed.length === 0) return '';
  const byField = new Map<string, Assumption>(rule.assume.map((a) => [a.field, a]));
  const parts = assumed.map((field) => {
    const a = byField.get(field);
    if (!a) return `${field} (inferred by the ${source} adapter: the export does not state it)`;
    return `${field} = ${JSON.stringify(a.value)} (the ${source} export does not state it; ${a.settledBy[source] ?? a.settledBy['*']} would settle it)`;
  });
  return ` — judged assuming ${parts.join('; ')}`;
}

const DAY_MS = 86_400_000;

/** From when the snapshot's evidence counts as current: the later of its collection and its last confirmation. */
export function evidenceTime(s: SnapshotInput): Date | undefined {
  const c = s.collectedAt;
  const r = s.lastConfirmedAt ?? undefined;
  if (!c) return r;
  return r && r.getTime() > c.getTime() ? r : c;
}

/** Whole days from the snapshot's evidence time to asOf (0 when it has none, or is in the future). */
export function evidenceAgeDays(s: SnapshotInput, asOf: Date): number {
  const t = evidenceTime(s);
  return t ? Math.max(0, Math.floor((asOf.getTime() - t.getTime()) / DAY_MS)) : 0;
}

/**
 * Old evidence can still prove a failure but no longer a pass: past `maxAgeDays`, a failing item
 * stays `fail` (marked stale) and a passing one becomes insufficient evidence ("evidence
 * collected N days ago"). Other states are kept: an item that could not be judged, or that the
 * rule does not apply to, says nothing about freshness.
 */
export function applyFreshness(v: Verdict, s: SnapshotInput, asOf: Date, maxAgeDays: unknown): Verdict {
  if (v.state !== 'pass' && v.state !== 'fail') return v;
  const t = evidenceTime(s);
  if (!t || typeof maxAgeDays !== 'number' || asOf.getTime() - t.getTime() <= maxAgeDays * DAY_MS) return v;
  if (v.state === 'fail') return { ...v, stale: true };
  return { ...v, state: 'insufficient_evidence', reason: staleReason(s, asOf), stale: true };
}

export function staleReason(s: SnapshotInput, asOf: Date): string {
  const collected = s.collectedAt
    ? Math.max(0, Math.floor((asOf.getTime() - s.collectedAt.getTime()) / DAY_MS))
    : undefined;
  const age = evidenceAgeDays(s, asOf);
  if (collected === undefined || collected === age) return `evidence collected ${age} days ago`;
  return `evidence collected ${collected} days ago, last confirmed ${age} days ago`;
}

type Context = {
  item: unknown;
  doc: unknown;
  params: Record<string, unknown>;
  asOf: Date;
  collectedAt: Date;
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
