/**
 * evaluate(): pure. The tenant's packs over its snapshots, at `asOf`. Rules that iterate the
 * same collection run in one pass over it, and a rule that runs with the same parameter values
 * in several packs is judged once and reported per (pack, rule).
 */
import { createHash } from 'node:crypto';
import type { Counts, EvaluationOutput, Finding, MissingEvidence, PackResult, RuleResult } from '../core/results.js';
import type { FindingStatus, ItemState, RuleState } from '../core/vocabulary.js';
import type { Catalog, CompiledRule, Pack } from './catalog.js';
import { collect, nameOf, type Collection, type Judged, type SnapshotInput } from './collections.js';
import { renderMessage } from './expressions.js';
import {
  applyFreshness,
  assumptionNote,
  detailsOf,
  evidenceAgeDays,
  evidenceOf,
  judge,
  staleReason as staleReasonText,
  type Verdict,
} from './judge.js';
import { EVIDENCE_AGE_PARAMETER } from './compile-rule.js';
import { effectiveParameters, rulesOf } from './parameters.js';
import { rollUp, score, scores } from './rollup.js';
import { indexWaivers, type WaiverIndex, type WaiverInput } from './waivers.js';
import { indexAttestations, type AttestationIndex, type AttestationInput } from './attestations.js';

export type { SnapshotInput } from './collections.js';
export type { WaiverInput } from './waivers.js';
export type { AttestationInput } from './attestations.js';
export type {
  Counts,
  EvaluationOutput,
  Finding,
  MissingEvidence,
  PackResult,
  RequirementResult,
  RuleResult,
} from '../core/results.js';

export interface EvaluateInput {
  catalog: Catalog;
  packIds: readonly string[];
  snapshots: readonly SnapshotInput[];
  /** tenant overrides: pack id → parameter → value */
  params?: Record<string, Record<string, unknown>>;
  waivers?: readonly WaiverInput[];
  /** judged at asOf: one in force turns a manual requirement `attested` */
  attestations?: readonly AttestationInput[];
  asOf: Date;
  signal?: AbortSignal;
  /** kind → which exports provide it, for "missing evidence" */
  evidenceHints?: Record<string, string>;
}

interface Problem {
  judged: Judged;
  verdict: Verdict;
  /** what every pack's finding for this item shares, built once */
  shared?: Pick<
    Finding,
    'source' | 'snapshotId' | 'item' | 'message' | 'evidence' | 'origin' | 'fingerprint' | 'assumed' | 'stale'
  >;
}

/** One rule judged with one set of parameter values over its whole collection. */
interface Run {
  rule: CompiledRule;
  params: Record<string, unknown>;
  /** the evaluation's asOf (a failing item's `details` are computed with it) */
  asOf: Date;
  counts: Record<ItemState, number>;
  /** items judged (pass or fail) on an assumption, and items whose evidence was stale */
  assumed: number;
  stale: number;
  problems: Problem[];
  collection?: Collection;
  /**
   * snapshots where every item the rule applies to was insufficient evidence for one reason, or
   * too old to prove the passes of some (stale): one finding each
   */
  silent: { snapshot: SnapshotInput; reason: string; problems: Problem[]; stale: boolean }[];
  /** not-applicable items per snapshot id */
  notApplicable: Map<string, number>;
}

const ABORT_EVERY = 1024;

export function evaluate(input: EvaluateInput): EvaluationOutput {
  const packs = input.packIds.map((id) => {
    const p = input.catalog.packs.get(id);
    if (!p) throw new Error(`unknown pack ${id}`);
    return p;
  });
  const runs = new Map<string, Run>();
  const runOf = new Map<string, Run>(); // `${pack}\u0000${rule}` → run
  for (const pack of packs) {
    for (const rule of rulesOf(pack, input.catalog.rules)) {
      const params = effectiveParameters(rule, pack, input.params?.[pack.id]);
      const key = `${rule.id}\u0000${JSON.stringify(params)}`;
      let run = runs.get(key);
      if (!run)
        runs.set(
          key,
          (run = {
            rule,
            params,
            asOf: input.asOf,
            counts: zero(),
            assumed: 0,
            stale: 0,
            problems: [],
            silent: [],
            notApplicable: new Map(),
          }),
        );
      runOf.set(`${pack.id}\u0000${rule.id}`, run);
    }
  }
  judgeAll([...runs.values()], input);
  for (const run of runs.values()) collapseSilentExports(run);
  const waivers = indexWaivers(input.waivers ?? [], input.asOf);
  const attestations = indexAttestations(input.attestations ?? [], input.asOf);
  const rules: RuleResult[] = [];
  const findings: Finding[] = [];
  const packResults = packs.map((pack) => packResult(pack, input, runOf, waivers, attestations, rules, findings));
  return { packs: packResults, rules, findings, missingEvidence: missingEvidence([...runs.values()], input) };
}

function zero(): Record<ItemState, number> {
  return { pass: 0, fail: 0, insufficient_evidence: 0, not_applicable: 0, error: 0 };
}

/** NOTE: shaped for speed — one pass per collection, every run of that collection per item. */
function judgeAll(all: Run[], input: EvaluateInput): void {
  // NOTE: an absent field is an exception inside CEL (no_such_key), and on exports where a
  // vendor lacks a field every item throws one; the stack trace nobody reads is most of its cost.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    judgeCollections(all, input);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function judgeCollections(all: Run[], input: EvaluateInput): void {
  const byCollection = new Map<string, Run[]>();
  for (const run of all) {
    const key = `${run.rule.kind}/${run.rule.each}`;
    byCollection.set(key, [...(byCollection.get(key) ?? []), run]);
  }
  for (const group of byCollection.values()) {
    const { kind, each } = group[0]!.rule;
    const collection = collect(kind, each, input.snapshots, {
      deviceRules: group.some((r) => r.rule.readsDeviceRules),
    });
    for (const run of group) run.collection = collection;
    const items = collection.items;
    for (let i = 0; i < items.length; i++) {
      if (i % ABORT_EVERY === 0) input.signal?.throwIfAborted();
      const judged = items[i]!;
      for (const run of group) {
        const verdict = applyFreshness(
          judge(run.rule, run.params, judged, input.asOf),
          judged.snapshot,
          input.asOf,
          run.params[EVIDENCE_AGE_PARAMETER],
        );
        run.counts[verdict.state]++;
        if (verdict.assumed && (verdict.state === 'pass' || verdict.state === 'fail')) run.assumed++;
        if (verdict.stale) run.stale++;
        if (verdict.state === 'not_applicable')
          run.notApplicable.set(judged.snapshot.id, (run.notApplicable.get(judged.snapshot.id) ?? 0) + 1);
        else if (verdict.state !== 'pass') run.problems.push({ judged, verdict });
      }
    }
  }
}

function packResult(
  pack: Pack,
  input: EvaluateInput,
  runOf: Map<string, Run>,
  waivers: WaiverIndex,
  attestations: AttestationIndex,
  rules: RuleResult[],
  findings: Finding[],
): PackResult {
  const states = new Map<string, RuleState>();
  for (const rule of rulesOf(pack, input.catalog.rules)) {
    const run = runOf.get(`${pack.id}\u0000${rule.id}`)!;
    const requirements = pack.requirements
      .filter((q) => q.rules.includes(rule.id))
      .map((q) => ({ pack: pack.id, id: q.id }));
    const counts: Counts = { ...run.counts, waived: 0 };
    const perItem = (p: Problem) => {
      const finding = toFinding(pack, run, p, requirements, waivers, input.asOf);
      if (finding.status === 'waived') {
        counts[p.verdict.state as 'fail' | 'insufficient_evidence']--;
        counts.waived++;
      }
      findings.push(finding);
    };
    run.problems.forEach(perItem);
    for (const snapshot of run.collection?.missingIn ?? []) {
      counts.insufficient_evidence++;
      findings.push(missingCollectionFinding(pack, run, snapshot, requirements));
    }
    for (const silent of run.silent) {
      // One waiver covering every item (`*`, or a glob or list that happens to) waives the one
      // finding; waivers covering some items, or different waivers, need one finding per item.
      const covering = silent.problems.map((p) => waivers.find(pack.id, run.rule.id, String(p.judged.item.id ?? '')));
      if (covering.some((w) => w !== covering[0])) {
        silent.problems.forEach(perItem);
        continue;
      }
      const waiver = covering[0];
      if (waiver) {
        counts.insufficient_evidence -= silent.problems.length;
        counts.waived += silent.problems.length;
      }
      findings.push(silentExportFinding(pack, run, silent, requirements, waiver));
    }
    const hasSnapshot = input.snapshots.some((s) => s.kind === rule.kind);
    const state = hasSnapshot ? ruleState(counts) : 'insufficient_evidence';
    states.set(rule.id, state);
    rules.push({
      packId: pack.id,
      ruleId: rule.id,
      title: rule.title,
      kind: rule.kind,
      severity: rule.severity,
      state,
      counts,
      parameters: run.params,
      assumed: run.assumed,
      stale: run.stale,
    });
  }
  const requirements = pack.requirements.map((q) => {
    // an attestation in force stands in for the person's judgement a manual requirement needs
    const attestation = q.manual ? attestations.find(pack.id, q.id) : undefined;
    return {
      id: q.id,
      title: q.title,
      citation: q.citation,
      family: q.family,
      rules: q.rules,
      manual: q.manual,
      informational: q.informational,
      // a manual requirement's rules support it: they can fail it, never pass it or make it not applicable
      state: rollUp([
        ...q.rules.map((r) => states.get(r)!),
        ...(q.manual ? ([attestation ? 'attested' : 'manual'] as const) : []),
      ]),
      attestationId: attestation?.id ?? null,
    };
  });
  return {
    id: pack.id,
    version: pack.version,
    title: pack.title,
    score: score(requirements),
    scores: scores(requirements),
    requirements,
  };
}

function ruleState(c: Counts): RuleState {
  if (c.error) return 'error';
  if (c.fail) return 'fail';
  if (c.insufficient_evidence) return 'insufficient_evidence';
  if (c.waived) return 'waived';
  if (c.pass) return 'pass';
  return 'not_applicable';
}

/**
 * The identity of a finding across evaluations and packs: rule and item (source, instance, item
 * id). Stable across runs, so SARIF alerts are not duplicated on every push; the diff matches on
 * (pack, fingerprint).
 */
function fingerprint(ruleId: string, subject: string): string {
  return createHash('sha256').update(`${ruleId}\n${subject}`).digest('hex');
}

function toFinding(
  pack: Pack,
  run: Run,
  p: Problem,
  requirements: Finding['requirements'],
  waivers: WaiverIndex,
  asOf: Date,
): Finding {
  const shared = (p.shared ??= sharedPart(run, p, asOf));
  const waiver =
    p.verdict.state === 'fail' || p.verdict.state === 'insufficient_evidence'
      ? waivers.find(pack.id, run.rule.id, shared.item!.id)
      : undefined;
  return {
    packId: pack.id,
    ruleId: run.rule.id,
    requirements,
    status: waiver ? 'waived' : (p.verdict.state as FindingStatus),
    severity: run.rule.severity,
    ...shared,
    waiverId: waiver?.id ?? null,
  };
}

/** NOTE: the same item fails a rule in every pack that uses it: message, evidence and fingerprint are built once. */
function sharedPart(run: Run, p: Problem, asOf: Date): NonNullable<Problem['shared']> {
  const { item, snapshot } = p.judged;
  const id = String(item.id ?? '');
  const name = nameOf(item);
  const details = p.verdict.state === 'fail' ? detailsOf(run.rule, run.params, p.judged, run.asOf) : undefined;
  const source = String(item.source ?? snapshot.source);
  const assumed = p.verdict.assumed ?? [];
  const message =
    (p.verdict.state === 'fail'
      ? renderMessage(run.rule.message, item, run.params, details)
      : p.verdict.state === 'error'
        ? `${name ?? id}: the rule could not be evaluated (${p.verdict.reason})`
        : `${name ?? id}: cannot be judged: ${p.verdict.reason}`) +
    assumptionNote(run.rule, source, assumed) +
    (p.verdict.stale && p.verdict.state === 'fail'
      ? ` (stale evidence: the ${snapshot.source} export (${snapshot.instance}) was collected ${evidenceAgeDays(snapshot, asOf)} days ago)`
      : '');
  return {
    source,
    snapshotId: snapshot.id,
    item: { id, name },
    message,
    evidence: details ? { ...evidenceOf(run.rule, item), details } : evidenceOf(run.rule, item),
    origin: item.origin ?? null,
    fingerprint: fingerprint(run.rule.id, `${snapshot.source}/${snapshot.instance}/${id}`),
    assumed,
    stale: p.verdict.stale === true,
  };
}

/**
 * An export that never carries a field the rule needs (CrowdStrike has no threat count,
 * SentinelOne no tamper state) makes every one of its items insufficient evidence for the same
 * reason: that is one fact about the export, reported as one finding, not one per item. Items
 * the rule does not apply to (a decommissioned agent) do not stand in the way. The counts still
 * count every item.
 */
function collapseSilentExports(run: Run): void {
  collapseStale(run);
  const judged = new Map<string, number>();
  for (const j of run.collection?.items ?? []) judged.set(j.snapshot.id, (judged.get(j.snapshot.id) ?? 0) + 1);
  for (const [id, n] of run.notApplicable) judged.set(id, judged.get(id)! - n);
  const bySnapshot = new Map<string, Problem[]>();
  for (const p of run.problems) {
    if (p.verdict.state !== 'insufficient_evidence') continue;
    const list = bySnapshot.get(p.judged.snapshot.id);
    if (list) list.push(p);
    else bySnapshot.set(p.judged.snapshot.id, [p]);
  }
  const collapsed = new Set<Problem>();
  for (const [id, list] of bySnapshot) {
    const reason = list[0]!.verdict.reason ?? '';
    if (list.length < 2 || list.length !== judged.get(id) || list.some((p) => p.verdict.reason !== reason)) continue;
    run.silent.push({ snapshot: list[0]!.judged.snapshot, reason, problems: list, stale: false });
    for (const p of list) collapsed.add(p);
  }
  if (collapsed.size > 0) run.problems = run.problems.filter((p) => !collapsed.has(p));
}

/**
 * The passes a stale export can no longer prove are one fact about that export ("the okta export
 * was collected 45 days ago"): one finding per snapshot, whatever else its items show. Its
 * fingerprint leaves the age out, so tomorrow's evaluation matches today's.
 */
function collapseStale(run: Run): void {
  const bySnapshot = new Map<string, Problem[]>();
  for (const p of run.problems) {
    if (p.verdict.state !== 'insufficient_evidence' || !p.verdict.stale) continue;
    const list = bySnapshot.get(p.judged.snapshot.id);
    if (list) list.push(p);
    else bySnapshot.set(p.judged.snapshot.id, [p]);
  }
  if (bySnapshot.size === 0) return;
  for (const list of bySnapshot.values())
    run.silent.push({
      snapshot: list[0]!.judged.snapshot,
      reason: list[0]!.verdict.reason!,
      problems: list,
      stale: true,
    });
  run.problems = run.problems.filter((p) => !(p.verdict.state === 'insufficient_evidence' && p.verdict.stale));
}

function silentExportFinding(
  pack: Pack,
  run: Run,
  s: Run['silent'][number],
  requirements: Finding['requirements'],
  waiver: WaiverInput | undefined,
): Finding {
  return {
    packId: pack.id,
    ruleId: run.rule.id,
    requirements,
    status: waiver ? 'waived' : 'insufficient_evidence',
    severity: run.rule.severity,
    source: s.snapshot.source,
    snapshotId: s.snapshot.id,
    item: null,
    message: s.stale
      ? `the ${s.snapshot.source} export (${s.snapshot.instance}) is too old to prove that ${s.problems.length} ${run.rule.each} pass: ${s.reason}, more than ${String(run.params[EVIDENCE_AGE_PARAMETER])} days (maxEvidenceAgeDays); post a fresh export`
      : `all ${s.problems.length} ${run.rule.each} of the ${s.snapshot.source} export (${s.snapshot.instance})${run.notApplicable.has(s.snapshot.id) ? ' that the rule applies to' : ''} cannot be judged: ${s.reason}${run.rule.evidence ? ` (${run.rule.evidence})` : ''}`,
    evidence: s.stale
      ? { items: s.problems.length, reason: s.reason, collectedAt: s.snapshot.collectedAt?.toISOString() ?? null }
      : { items: s.problems.length, reason: s.reason },
    origin: null,
    waiverId: waiver?.id ?? null,
    // NOTE: a stale export's finding leaves the age out of its identity (it grows every day)
    fingerprint: fingerprint(
      run.rule.id,
      `${s.snapshot.source}/${s.snapshot.instance}/${s.stale ? '#stale' : `#all:${s.reason}`}`,
    ),
    assumed: [],
    stale: s.stale,
  };
}

function missingCollectionFinding(
  pack: Pack,
  run: Run,
  snapshot: SnapshotInput,
  requirements: Finding['requirements'],
): Finding {
  return {
    packId: pack.id,
    ruleId: run.rule.id,
    requirements,
    status: 'insufficient_evidence',
    severity: run.rule.severity,
    source: snapshot.source,
    snapshotId: snapshot.id,
    item: null,
    message: `the ${snapshot.source} export (${snapshot.instance}) has no ${run.rule.each}: ${run.rule.title.toLowerCase()} cannot be checked${run.rule.evidence ? ` (${run.rule.evidence})` : ''}`,
    evidence: {},
    origin: null,
    waiverId: null,
    fingerprint: fingerprint(run.rule.id, `${snapshot.source}/${snapshot.instance}/#${run.rule.each}`),
    assumed: [],
    stale: false,
  };
}

function missingEvidence(runs: Run[], input: EvaluateInput): MissingEvidence[] {
  const out: MissingEvidence[] = [];
  const kinds = new Map<string, Set<string>>();
  for (const run of runs)
    if (!input.snapshots.some((s) => s.kind === run.rule.kind))
      kinds.set(run.rule.kind, (kinds.get(run.rule.kind) ?? new Set()).add(run.rule.id));
  for (const [kind, ids] of kinds) {
    out.push({
      kind,
      ruleIds: [...ids].sort(),
      reason: `no ${kind} snapshot`,
      hint: input.evidenceHints?.[kind] ?? `a ${kind} export`,
    });
  }
  const partial = new Map<string, { ruleIds: Set<string>; reasons: Set<string>; hint: string }>();
  out.push(...staleEvidence(runs, input.asOf));
  for (const run of runs) {
    const insufficient = run.problems.filter((p) => p.verdict.state === 'insufficient_evidence');
    const silent = run.silent.filter((x) => !x.stale);
    if (insufficient.length === 0 && silent.length === 0 && (run.collection?.missingIn.length ?? 0) === 0) continue;
    const entry = partial.get(run.rule.id) ?? {
      ruleIds: new Set([run.rule.id]),
      reasons: new Set<string>(),
      hint: run.rule.evidence ?? input.evidenceHints?.[run.rule.kind] ?? '',
    };
    for (const p of insufficient.slice(0, 3)) entry.reasons.add(p.verdict.reason!);
    for (const x of silent) entry.reasons.add(`every item of the ${x.snapshot.source} export: ${x.reason}`);
    for (const s of run.collection?.missingIn ?? [])
      entry.reasons.add(`the ${s.source} export has no ${run.rule.each}`);
    partial.set(run.rule.id, entry);
  }
  for (const [ruleId, e] of partial) {
    out.push({ kind: ruleId.split('.')[0]!, ruleIds: [ruleId], reason: [...e.reasons].join('; '), hint: e.hint });
  }
  return out;
}

/** One entry per stale export: which one to refresh, and the rules it could not prove. */
function staleEvidence(runs: Run[], asOf: Date): MissingEvidence[] {
  const bySnapshot = new Map<string, { snapshot: SnapshotInput; ruleIds: Set<string>; limits: Set<number> }>();
  for (const run of runs) {
    const snapshots = new Map<string, SnapshotInput>();
    for (const x of run.silent) if (x.stale) snapshots.set(x.snapshot.id, x.snapshot);
    for (const p of run.problems) if (p.verdict.stale) snapshots.set(p.judged.snapshot.id, p.judged.snapshot);
    for (const s of snapshots.values()) {
      const e = bySnapshot.get(s.id) ?? { snapshot: s, ruleIds: new Set(), limits: new Set() };
      e.ruleIds.add(run.rule.id);
      e.limits.add(Number(run.params[EVIDENCE_AGE_PARAMETER]));
      bySnapshot.set(s.id, e);
    }
  }
  return [...bySnapshot.values()].map(({ snapshot: s, ruleIds, limits }) => {
    const age = evidenceAgeDays(s, asOf);
    return {
      kind: s.kind,
      ruleIds: [...ruleIds].sort(),
      reason: `the ${s.source} export (${s.instance}) is stale: ${staleReasonText(s, asOf)}, more than ${Math.min(...limits)} days (maxEvidenceAgeDays); its failures still count, its passes do not`,
      hint: `post a fresh ${s.source} export${s.instance === 'default' ? '' : ` (instance ${s.instance})`}`,
      snapshot: {
        id: s.id,
        source: s.source,
        instance: s.instance,
        collectedAt: (s.collectedAt ?? asOf).toISOString(),
        ageDays: age,
      },
    };
  });
}
