/**
 * One conformance case through `evaluate()` — the function the service and the CLI call — so
 * per-pack parameters, waivers and the findings that collapse a whole export are what is
 * checked, not the judgement of one item.
 *
 * `evaluate()` reports passing and not-applicable items only as counts, so each item (for
 * `hosts`, each host's endpoints) is also evaluated alone, with the same document, packs,
 * parameters and waivers: its counts name its state exactly. The case's whole evaluation must
 * count what its items count alone, report every problem item by its own finding or by a finding
 * for its whole export, and no finding for a passing or not-applicable item.
 */
import type { Catalog, CompiledRule, Pack } from '../../src/engine/catalog.js';
import { collect, hostKeys } from '../../src/engine/collections.js';
import { evaluate, type EvaluationOutput, type Finding, type SnapshotInput } from '../../src/engine/evaluate.js';
import { judge } from '../../src/engine/judge.js';
import { checkPackParameters, effectiveParameters } from '../../src/engine/parameters.js';
import type { Endpoint } from '../../src/schemas/canonical-types.js';
import { CASE_PACK, type Case, type Expectation } from './case-file.js';

/** What the evaluation showed for one pack, shaped like the case's expectations so a diff reads directly. */
export interface Observed {
  items: Partial<Expectation>[];
  collapsed: string[];
  details: (string[] | null)[];
  /** the whole evaluation's counts minus the sum of the items' own (all zero when they agree) */
  countDrift: Record<string, number>;
}

const COUNTED = ['pass', 'fail', 'insufficient_evidence', 'not_applicable', 'error', 'waived'] as const;

/** The catalogue with the case's own pack: one requirement, this one rule, `packParams` as its parameters. */
export function catalogFor(catalog: Catalog, rule: CompiledRule, c: Case): Catalog {
  if (c.packs) return catalog;
  const pack: Pack = {
    id: CASE_PACK,
    version: '0',
    title: `conformance cases of ${rule.id}`,
    parameters: c.packParams,
    requirements: [
      {
        id: 'case',
        title: rule.title,
        citation: '',
        family: '',
        rationale: '',
        rules: [rule.id],
        manual: false,
        informational: false,
      },
    ],
    file: '',
    sha256: '',
  };
  return { rules: catalog.rules, packs: new Map([...catalog.packs, [CASE_PACK, pack]]) };
}

/** Parameters a case sets that no rule of its packs declares (or of the wrong type): a typo would otherwise change nothing. */
export function parameterProblems(catalog: Catalog, rule: CompiledRule, c: Case): string[] {
  const all = catalogFor(catalog, rule, c);
  return (c.packs ?? [CASE_PACK]).flatMap((id) => {
    const pack = all.packs.get(id);
    if (!pack) return [`no pack ${id}`];
    return [
      ...checkPackParameters(pack, all.rules, c.params).map((p) => `params${p.pointer}: ${p.message}`),
      ...(id === CASE_PACK ? checkPackParameters(pack, all.rules, c.packParams) : []).map(
        (p) => `packParams${p.pointer}: ${p.message}`,
      ),
    ];
  });
}

interface Subject {
  /** the item's id in findings (for hosts: the host key) */
  id: string;
  /** the input items that make it (for hosts: the host's endpoints) */
  members: Record<string, unknown>[];
}

function subjects(rule: CompiledRule, items: Record<string, unknown>[]): Subject[] {
  if (rule.each !== 'hosts') return items.map((i) => ({ id: String(i.id ?? ''), members: [i] }));
  const keys = hostKeys(items as unknown as Endpoint[]);
  const byKey = new Map<string, Subject>();
  items.forEach((item, i) => {
    const key = keys[i]!;
    const s = byKey.get(key) ?? { id: key, members: [] };
    s.members.push(item);
    byKey.set(key, s);
  });
  return [...byKey.values()];
}

function snapshotOf(rule: CompiledRule, c: Case, items: Record<string, unknown>[]): SnapshotInput {
  return {
    id: 's1',
    kind: rule.kind,
    source: String(c.items[0]?.source ?? 'canonical'),
    instance: 'default',
    document: { ...c.doc, [rule.each === 'hosts' ? 'endpoints' : rule.each]: items },
    collectedAt: new Date(c.collectedAt ?? c.asOf),
    lastConfirmedAt: c.lastConfirmedAt ? new Date(c.lastConfirmedAt) : null,
  };
}

function run(catalog: Catalog, rule: CompiledRule, c: Case, items: Record<string, unknown>[]): EvaluationOutput {
  const packIds = c.packs ?? [CASE_PACK];
  return evaluate({
    catalog,
    packIds,
    snapshots: [snapshotOf(rule, c, items)],
    params: Object.fromEntries(packIds.map((p) => [p, c.params])),
    waivers: c.waivers.map((w) => ({
      id: w.id,
      ruleId: rule.id,
      packId: w.packId,
      itemMatch: w.itemMatch,
      expiresAt: new Date(w.expiresAt),
      revokedAt: w.revokedAt ? new Date(w.revokedAt) : null,
      ...(w.createdAt ? { createdAt: new Date(w.createdAt) } : {}),
    })),
    asOf: new Date(c.asOf),
  });
}

function countsOf(out: EvaluationOutput, packId: string, ruleId: string) {
  const r = out.rules.find((x) => x.packId === packId && x.ruleId === ruleId)!;
  return { counts: r.counts as Record<string, number>, assumed: r.assumed ?? 0, stale: r.stale ?? 0 };
}

/** The part of a message the case expects, when the message holds it; else the whole message (the diff then shows it). */
function said(message: string | undefined, expected: string | undefined): string {
  if (message === undefined) return '(no finding)';
  return expected !== undefined && message.includes(expected) ? expected : message;
}

/**
 * A passing item's finding does not exist, so which fields its pass assumed is not in the
 * evaluation's output (only how many items were judged on an assumption): the fields are read
 * from the engine's verdict for that item alone.
 */
function passAssumptions(
  catalog: Catalog,
  rule: CompiledRule,
  c: Case,
  packId: string,
  members: Record<string, unknown>[],
) {
  const params = effectiveParameters(rule, catalog.packs.get(packId)!, c.params);
  const [judged] = collect(rule.kind, rule.each, [snapshotOf(rule, c, members)]).items;
  return judged ? (judge(rule, params, judged, new Date(c.asOf)).assumed ?? []) : [];
}

interface Evaluated {
  catalog: Catalog;
  rule: CompiledRule;
  c: Case;
  /** the case's whole evaluation */
  whole: EvaluationOutput;
  /** each item (host) and its evaluation alone */
  each: (Subject & { alone: EvaluationOutput })[];
}

export function runCase(base: Catalog, rule: CompiledRule, c: Case): Record<string, Observed> {
  const catalog = catalogFor(base, rule, c);
  const e: Evaluated = {
    catalog,
    rule,
    c,
    whole: run(catalog, rule, c, c.items),
    each: subjects(rule, c.items).map((s) => ({ ...s, alone: run(catalog, rule, c, s.members) })),
  };
  return Object.fromEntries((c.packs ?? [CASE_PACK]).map((packId) => [packId, observePack(e, packId)]));
}

function observePack(e: Evaluated, packId: string): Observed {
  const mine = e.whole.findings.filter((f) => f.packId === packId && f.ruleId === e.rule.id);
  const own = new Map<string, Finding[]>();
  for (const f of mine) if (f.item) own.set(f.item.id, [...(own.get(f.item.id) ?? []), f]);
  const itemless = mine.filter((f) => !f.item);
  const drift = { ...countsOf(e.whole, packId, e.rule.id).counts };
  const items = e.each.map((s, i) => {
    const alone = countsOf(s.alone, packId, e.rule.id);
    for (const k of COUNTED) drift[k] = (drift[k] ?? 0) - (alone.counts[k] ?? 0);
    const finding = own.get(s.id)?.shift();
    return observeItem(e, packId, s, alone, finding, itemless, e.c.expect[packId]?.[i]?.reason);
  });
  // findings left over name items the case does not have
  for (const [id, rest] of own)
    for (const f of rest) items.push({ state: f.status, reason: `unexpected finding for ${id}: ${f.message}` });
  return {
    items,
    collapsed: itemless.map((f, i) => said(f.message, e.c.collapsed[i])),
    details: e.each.map((s) => {
      const f = mine.find((x) => x.item?.id === s.id && x.status === 'fail');
      if (!f) return null;
      const d = (f.evidence as { details?: { policies?: { name: string; why: string }[] } }).details;
      return (d?.policies ?? []).map((p) => `${p.name} (${p.why})`);
    }),
    countDrift: Object.fromEntries(COUNTED.map((k) => [k, drift[k] ?? 0])),
  };
}

/** One item as the evaluation shows it: by its own finding, else by its counts alone (and the export's finding that covers it). */
function observeItem(
  e: Evaluated,
  packId: string,
  s: Subject,
  alone: ReturnType<typeof countsOf>,
  finding: Finding | undefined,
  itemless: Finding[],
  reason: string | undefined,
): Partial<Expectation> {
  if (finding)
    return {
      state: finding.status,
      assumed: finding.assumed,
      stale: finding.stale,
      reason: said(finding.message, reason),
    };
  const states = COUNTED.filter((k) => (alone.counts[k] ?? 0) > 0);
  const state = states.length === 1 && alone.counts[states[0]!] === 1 ? states[0]! : undefined;
  if (state === 'pass' || state === 'not_applicable')
    return {
      state,
      assumed: state === 'pass' && alone.assumed > 0 ? passAssumptions(e.catalog, e.rule, e.c, packId, s.members) : [],
      stale: false,
    };
  // a problem item without a finding of its own: a finding for its whole export must report it
  const cover = state ? itemless.find((f) => f.status === state) : undefined;
  return {
    state: (cover
      ? state
      : `${state ?? JSON.stringify(alone.counts)}, but no finding reports it`) as Expectation['state'],
    assumed: [],
    stale: alone.stale > 0,
    reason: said(cover?.message, reason),
  };
}
