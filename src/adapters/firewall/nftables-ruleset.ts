/**
 * `{nftables: [...]}` pages → the chains, rules, sets and maps the adapter reads, each with its
 * origin. Only the ip, ip6 and inet families filter IP traffic; the others (arp, bridge, netdev)
 * are skipped with a warning. A rule in a chain the ruleset does not list, or nesting deeper than
 * any real ruleset, is structurally impossible: 422 with the JSON Pointer.
 */
import type { Origin } from '../../schemas/canonical-types.js';
import { AdapterInputError, type Page, type Warning } from '../types.js';

export type NftFamily = 'ip' | 'ip6' | 'inet';
const FAMILIES = new Set(['ip', 'ip6', 'inet']);

export interface NftChain {
  family: NftFamily;
  table: string;
  name: string;
  hook?: string;
  type?: string;
  policy?: string;
  origin: Origin;
}

export interface NftRule {
  family: NftFamily;
  table: string;
  chain: string;
  expr: unknown[];
  comment: string | null;
  origin: Origin;
}

export interface NftSet {
  elem: unknown[];
  origin: Origin;
}

export interface Ruleset {
  chains: NftChain[];
  rules: NftRule[];
  /** named sets and maps by tableKey + name */
  sets: Map<string, NftSet>;
}

/** Nesting limit for one object (real rulesets stay far below it); bounds every recursion. */
export const MAX_DEPTH = 48;

export function tableKey(family: string, table: string): string {
  return JSON.stringify([family, table]);
}

export function setKey(family: string, table: string, name: string): string {
  return JSON.stringify([family, table, name]);
}

type Obj = Record<string, unknown>;

export function indexRuleset(pages: readonly Page[], warnings: Warning[]): Ruleset {
  const out: Ruleset = { chains: [], rules: [], sets: new Map() };
  const skipped = new Set<string>();
  for (const page of pages) {
    const items = (page.value as Obj | null)?.nftables;
    if (!Array.isArray(items)) throw problem('expected {"nftables": [...]}', page, pages.length, '');
    items.forEach((item, i) => indexItem(item, `/nftables/${i}`, page, pages.length, out, skipped));
  }
  if (skipped.size > 0)
    warnings.push({
      code: 'family_ignored',
      message: `tables of family ${[...skipped].sort().join(', ')} do not filter IP traffic to or through the host: not evaluated`,
      part: 'body',
    });
  checkChains(out);
  return out;
}

function indexItem(
  item: unknown,
  pointer: string,
  page: Page,
  pages: number,
  out: Ruleset,
  skipped: Set<string>,
): void {
  if (item === null || typeof item !== 'object') throw problem('expected an object', page, pages, pointer);
  const [kind, value] = Object.entries(item)[0] ?? [];
  if (!kind || !['chain', 'rule', 'set', 'map'].includes(kind)) return;
  const at = `${pointer}/${kind}`;
  if (value === null || typeof value !== 'object') throw problem(`expected a ${kind} object`, page, pages, at);
  const v = value as Obj;
  if (exceedsDepth(v, MAX_DEPTH)) throw problem('nested deeper than any nft ruleset', page, pages, at);
  if (!FAMILIES.has(v.family as string)) {
    skipped.add(String(v.family));
    return;
  }
  const origin: Origin =
    pages > 1 ? { part: page.part, page: page.page, pointer: at } : { part: page.part, pointer: at };
  const family = v.family as NftFamily;
  if (kind === 'chain') out.chains.push({ family, table: text(v.table), name: text(v.name), ...optional(v), origin });
  else if (kind === 'rule')
    out.rules.push({
      family,
      table: text(v.table),
      chain: text(v.chain),
      expr: v.expr as unknown[],
      comment: typeof v.comment === 'string' ? v.comment : null,
      origin,
    });
  else out.sets.set(setKey(family, text(v.table), text(v.name)), { elem: elements(v.elem), origin });
}

function optional(v: Obj): Pick<NftChain, 'hook' | 'type' | 'policy'> {
  const o: Pick<NftChain, 'hook' | 'type' | 'policy'> = {};
  if (typeof v.hook === 'string') o.hook = v.hook;
  if (typeof v.type === 'string') o.type = v.type;
  if (typeof v.policy === 'string') o.policy = v.policy;
  return o;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

function elements(elem: unknown): unknown[] {
  if (elem === undefined) return [];
  return Array.isArray(elem) ? elem : [elem];
}

function checkChains(out: Ruleset): void {
  const known = new Set(out.chains.map((c) => setKey(c.family, c.table, c.name)));
  for (const r of out.rules) {
    if (!Array.isArray(r.expr))
      throw located('a rule without an expr array', { ...r.origin, pointer: `${r.origin.pointer}/expr` });
    if (!known.has(setKey(r.family, r.table, r.chain))) {
      throw located('a rule in a chain the ruleset does not list', {
        ...r.origin,
        pointer: `${r.origin.pointer}/chain`,
      });
    }
  }
}

/** Iterative, so that hostile nesting cannot overflow the stack while we look at it. */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

function problem(message: string, page: Page, pages: number, pointer: string): AdapterInputError {
  return located(message, pages > 1 ? { part: page.part, page: page.page, pointer } : { part: page.part, pointer });
}

/** A 422 at an origin. */
export function located(message: string, origin: Origin): AdapterInputError {
  return new AdapterInputError(422, [
    {
      message,
      part: origin.part,
      ...(origin.page !== undefined ? { page: origin.page } : {}),
      pointer: origin.pointer ?? '',
    },
  ]);
}
