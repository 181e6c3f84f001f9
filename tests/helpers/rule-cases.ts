/**
 * The conformance cases of `rules/checks/**\/*.cases.yaml`, run the way the service runs a
 * rule: through `evaluate()`, on snapshots of the rule's kind, in a pack, with the tenant's
 * parameters and waivers. The format is documented in the README ("Writing rules").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Catalog, CompiledRule, Pack } from '../../src/engine/catalog.js';
import { collect, type Judged } from '../../src/engine/collections.js';
import {
  evaluate,
  type Finding,
  type RuleResult,
  type SnapshotInput,
  type WaiverInput,
} from '../../src/engine/evaluate.js';

export interface CaseWaiver {
  itemMatch: string;
  /** default: any pack */
  packId?: string;
  /** default: 30 days after the case's asOf */
  expiresAt?: string;
  revokedAt?: string;
  createdAt?: string;
}

export interface Case {
  name: string;
  /** a pack of the catalogue, whose parameters then apply; default: a pack holding the rule alone */
  pack?: string;
  /** the tenant's parameter values for that pack (over the pack's, over the rule's defaults) */
  params?: Record<string, unknown>;
  asOf?: string;
  /** the rest of the canonical document (other collections the rule reads through `doc`) */
  doc?: Record<string, unknown>;
  items: Record<string, unknown>[];
  waivers?: CaseWaiver[];
  /** per item, in order (for `each: hosts`, per host in the order of its first endpoint) */
  expect: string[];
  /**
   * What the findings say: one pattern that the message of every finding of the case matches,
   * or one per item (`~` for items without a finding). A pattern is a substring, or a regular
   * expression written `/…/`. Required when an item is expected to fail or be insufficient evidence.
   */
  reason?: string | (string | null)[];
  /** how many findings the rule gives in this case (fewer than problem items when an export collapses into one) */
  findings?: number;
}

export interface Suite {
  file: string;
  rule: string;
  cases: Case[];
}

export const DEFAULT_AS_OF = '2026-11-01T00:00:00Z';
export const PROBLEM_STATES = ['fail', 'insufficient_evidence', 'error', 'waived'];

export function readSuites(checksDir: string): Suite[] {
  return readdirSync(checksDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.cases.yaml'))
    .sort()
    .map((f) => ({ file: f, ...(parse(readFileSync(join(checksDir, f), 'utf8')) as Omit<Suite, 'file'>) }));
}

export interface CaseRun {
  /** the state each item is seen in, from the findings and counts of the evaluation */
  states: string[];
  /** the finding that speaks for each item (its own, or its export's collapsed one) */
  findingOf: (Finding | undefined)[];
  findings: Finding[];
  result: RuleResult;
}

/** A pack that holds only this rule, at its defaults: what a case runs in unless it names a pack. */
function packOf(catalog: Catalog, rule: CompiledRule): Pack {
  const any = catalog.packs.values().next().value as Pack;
  return {
    ...any,
    id: 'conformance',
    title: `conformance cases of ${rule.id}`,
    parameters: {},
    requirements: [{ ...any.requirements[0]!, id: 'case', rules: [rule.id], manual: false, informational: false }],
  };
}

/**
 * Items are grouped into one snapshot per `source`, as exports arrive; the document is `doc`
 * with the items as the rule's collection.
 */
export function runCase(catalog: Catalog, ruleId: string, c: Case): CaseRun {
  const rule = catalog.rules.get(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const pack = c.pack ? catalog.packs.get(c.pack) : packOf(catalog, rule);
  if (!pack) throw new Error(`no pack ${c.pack}`);
  const cat: Catalog = c.pack ? catalog : { rules: catalog.rules, packs: new Map([[pack.id, pack]]) };
  const asOf = new Date(c.asOf ?? DEFAULT_AS_OF);
  const key = rule.each === 'hosts' ? 'endpoints' : rule.each;
  const bySource = new Map<string, Record<string, unknown>[]>();
  for (const item of c.items) {
    const source = String(item.source ?? 'canonical');
    bySource.set(source, [...(bySource.get(source) ?? []), item]);
  }
  const snapshots: SnapshotInput[] = [...bySource].map(([source, items], i) => ({
    id: `s${i + 1}`,
    kind: rule.kind,
    source,
    instance: 'default',
    document: { ...c.doc, [key]: items },
  }));
  const waivers: WaiverInput[] = (c.waivers ?? []).map((w, i) => ({
    id: `w${i + 1}`,
    ruleId,
    packId: w.packId ?? null,
    itemMatch: w.itemMatch,
    expiresAt: new Date(w.expiresAt ?? asOf.getTime() + 30 * 86_400_000),
    revokedAt: w.revokedAt ? new Date(w.revokedAt) : null,
    ...(w.createdAt ? { createdAt: new Date(w.createdAt) } : {}),
  }));
  const out = evaluate({
    catalog: cat,
    packIds: [pack.id],
    snapshots,
    ...(c.params ? { params: { [pack.id]: c.params } } : {}),
    waivers,
    asOf,
  });
  const result = out.rules.find((r) => r.ruleId === ruleId && r.packId === pack.id)!;
  const findings = out.findings.filter((f) => f.ruleId === ruleId && f.packId === pack.id);

  // The items as the engine iterates them, put back in the order the case lists them.
  const judged = collect(rule.kind, rule.each, snapshots).items;
  const firstIndex = (j: Judged) =>
    rule.each === 'hosts'
      ? Math.min(...(j.item.endpoints as unknown[]).map((e) => c.items.indexOf(e as Record<string, unknown>)))
      : c.items.indexOf(j.item);
  const ordered = [...judged].sort((a, b) => firstIndex(a) - firstIndex(b));

  const findingOf: (Finding | undefined)[] = [];
  const states = ordered.map((j, i) => {
    const own = findings.find((f) => f.snapshotId === j.snapshot.id && f.item?.id === String(j.item.id ?? ''));
    const collapsed = findings.find((f) => f.snapshotId === j.snapshot.id && f.item === null);
    findingOf.push(own ?? collapsed);
    if (own) return own.status;
    // Without a finding of its own an item passed or was not applicable, or is one of an export
    // collapsed into one finding; the counts (checked by the caller) tell how many of each.
    const possible = collapsed ? [collapsed.status, 'not_applicable'] : ['pass', 'not_applicable'];
    const expected = c.expect[i];
    if (expected !== undefined && possible.includes(expected)) {
      if (collapsed && expected === 'not_applicable') findingOf[i] = undefined;
      return expected;
    }
    return possible.join(' or ');
  });
  return { states, findingOf, findings, result };
}

/** The counts a list of expected item states adds up to (as a rule result counts them). */
export function tally(states: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {
    pass: 0,
    fail: 0,
    insufficient_evidence: 0,
    not_applicable: 0,
    error: 0,
    waived: 0,
  };
  for (const s of states) out[s] = (out[s] ?? 0) + 1;
  return out;
}

export function matches(pattern: string, text: string): boolean {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  return regex ? new RegExp(regex[1]!, regex[2]).test(text) : text.includes(pattern);
}
