/**
 * One nft rule (its statements in order) → the chain rule(s) it stands for.
 *
 * - Matches conjoin; the first verdict (accept, drop, reject, jump, goto, return, continue,
 *   queue) or `dnat` ends the rule; `log` marks it logged (alone: a log-only rule).
 * - A verdict map (`tcp dport vmap { 22 : accept, 80 : drop }`, anonymous or `@named`) becomes
 *   one chain rule per entry, in order, each with the key's match added; so does a map-based
 *   dnat (`dnat to tcp dport map { 8080 : 10.0.0.2 }`, `… : 10.0.0.2 . 80`): one port-forward
 *   per entry, none unconditional (a failed lookup falls through to the next rule).
 * - `xt` statements (iptables-nft) cannot be decoded: the rule is kept, marked opaque (exposure
 *   at most `unknown`), with a warning; an xt target named REJECT/DROP denies, ACCEPT accepts,
 *   LOG/NFLOG logs, any other is not modelled. Never assumed to deny.
 * - Statements that always go on (counters, `last`, mark and set updates, notrack, NAT other
 *   than dnat…) are ignored. `limit`, `quota`, `meter` and `ct count` stop the rule for part of
 *   the traffic (`limit rate over 100/second drop`): the rule is narrowed — never unconditional,
 *   exposure as decoded.
 * - content (the id's input): family, table, chain, the statements without counters, quota
 *   usage and `last used`, the comment — not the handle, which changes across reboots.
 */
import type { Origin } from '../../schemas/canonical-types.js';
import { ANY, conjoin, isUnconditional, type Match } from './iptables-match.js';
import type { ChainRule, DnatTarget, Verdict } from './iptables-flatten.js';
import { decodeMatch, type ExprEnv } from './nftables-expr.js';
import { located, setKey, type NftRule } from './nftables-ruleset.js';
import { flattenAtoms, toAddresses, toPorts } from './nftables-values.js';
import { lookup } from '../common/lookup.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const IGNORED = new Set([
  'counter',
  'mangle',
  'notrack',
  'set',
  'map',
  'ct helper',
  'ct timeout',
  'ct expectation',
  'synproxy',
  'dup',
  'fwd',
  'secmark',
  'tproxy',
  'flow',
  'last',
  'redirect',
]);
/** statements that match only part of the traffic (rate, volume, connection count) */
const NARROWING = new Set(['limit', 'quota', 'meter', 'ct count']);

interface Draft {
  match: Match | undefined;
  log: boolean;
  opaque: string[];
  narrowed: string[];
}

export function decodeNftRule(rule: NftRule, env: ExprEnv): ChainRule[] {
  const d: Draft = { match: { ...ANY, opaque: [], narrowed: [] }, log: false, opaque: [], narrowed: [] };
  for (let i = 0; i < rule.expr.length; i++) {
    const origin = { ...rule.origin, pointer: `${rule.origin.pointer}/expr/${i}` };
    const stmt = rule.expr[i];
    const keys = isObj(stmt) ? Object.keys(stmt) : [];
    if (keys.length !== 1) throw located('a statement is an object with exactly one key', origin);
    const key = keys[0]!;
    const value = (stmt as Obj)[key];
    if (key === 'dnat' && dnatMap(value)) return finish(rule, d, dnatMapEntries(value as Obj, d, env, origin));
    const verdict = verdictOf(key, value, origin);
    if (verdict) return finish(rule, d, [{ verdict }]);
    if (key === 'vmap') return finish(rule, d, vmapEntries(value, d, env, origin));
    if (key === 'match') {
      const m = decodeMatch(value, env, origin);
      d.match = m && d.match && conjoin(d.match, m);
    } else if (key === 'xt') {
      const target = xt(value, d, env, origin);
      if (target) return finish(rule, d, [target]);
    } else if (key === 'log') d.log = true;
    else if (NARROWING.has(key)) d.narrowed.push(key);
    else if (!IGNORED.has(key)) notDecoded(key, d, env, origin);
  }
  return finish(rule, d, [{ verdict: { kind: d.log ? 'log' : 'continue' } }]);
}

interface Entry {
  verdict: Verdict;
  /** the vmap key this entry adds */
  key?: { match: Match | undefined; value: unknown };
}

function finish(rule: NftRule, d: Draft, entries: Entry[]): ChainRule[] {
  const out: ChainRule[] = [];
  for (const e of entries) {
    let match = d.match;
    if (match && e.key) match = e.key.match && conjoin(match, e.key.match);
    if (!match) continue;
    match = {
      ...match,
      opaque: [...new Set([...match.opaque, ...d.opaque])],
      narrowed: [...new Set([...match.narrowed, ...d.narrowed])],
    };
    const log = d.log && e.verdict.kind !== 'log';
    out.push({
      match,
      verdict: e.verdict,
      log,
      comment: rule.comment,
      origin: rule.origin,
      content: content(rule, e.key?.value),
    });
  }
  return out;
}

function content(rule: NftRule, vmapKey: unknown): unknown {
  // Runtime state is not what the rule is: counters, quota usage and `last` (`{"used": ms}` since
  // the rule last matched, `null` before it ever did; it has no other field) change on every
  // export of the same ruleset.
  const expr = rule.expr
    .filter((s) => !(isObj(s) && 'counter' in s))
    .map((s) => (isObj(s) && isObj(s.quota) ? { quota: { ...s.quota, used: undefined, used_unit: undefined } } : s))
    .map((s) => (isObj(s) && 'last' in s ? { last: null } : s));
  return {
    family: rule.family,
    table: rule.table,
    chain: rule.chain,
    expr,
    comment: rule.comment,
    ...(vmapKey !== undefined ? { vmapKey } : {}),
  };
}

function verdictOf(key: string, value: unknown, origin: Origin): Verdict | undefined {
  switch (key) {
    case 'accept':
      return { kind: 'accept' };
    case 'drop':
    case 'reject':
      return { kind: 'drop' };
    case 'continue':
      return { kind: 'continue' };
    case 'return':
      return { kind: 'return' };
    case 'queue':
      return { kind: 'unknown', name: 'queue' };
    case 'jump':
    case 'goto': {
      if (!isObj(value) || typeof value.target !== 'string') throw located(`${key} needs a target chain name`, origin);
      return { kind: key, target: value.target };
    }
    case 'dnat':
      return { kind: 'dnat', to: dnatTarget(value, origin) };
    case 'snat':
    case 'masquerade':
      return { kind: 'snat' };
    default:
      return undefined;
  }
}

/** `dnat to 10.0.0.5:3389`; an address given by a map expression is kept as `ref:dnat-map`. */
function dnatTarget(value: unknown, origin: Origin): DnatTarget {
  const v = isObj(value) ? value : {};
  const addrs = v.addr === undefined ? null : toAddresses(flattenAtoms([v.addr], origin));
  const ports = v.port === undefined ? null : toPorts(flattenAtoms([v.port], origin));
  return { addresses: addrs === undefined ? ['ref:dnat-map'] : addrs, ports: ports === undefined ? null : ports };
}

/** The map a `dnat` translates through (`dnat to tcp dport map { 8080 : 10.0.0.2 }`), if any. */
function dnatMap(value: unknown): { key: unknown; data: unknown; in: 'addr' | 'port' } | undefined {
  if (!isObj(value)) return undefined;
  for (const field of ['addr', 'port'] as const) {
    const m = isObj(value[field]) ? (value[field] as Obj).map : undefined;
    if (isObj(m) && 'key' in m && 'data' in m) return { key: m.key, data: m.data, in: field };
  }
  return undefined;
}

/**
 * A map-based dnat is one port-forward per map entry — the entry's key (a port, an address, a
 * concatenation) added to the rule's match, its value (an address, a port, or `address . port`)
 * the target — never "every protocol and port". A lookup that finds no entry does not translate
 * and the packet goes on to the next rule, so no entry is unconditional. A map that cannot be
 * read (an unknown named map) stays one dnat to `ref:dnat-map`, narrowed by the lookup.
 */
function dnatMapEntries(value: Obj, d: Draft, env: ExprEnv, origin: Origin): Entry[] {
  const map = dnatMap(value)!;
  const pairs = vmapPairs(map.data, env, origin);
  const lookup = 'map lookup';
  if (!pairs) {
    d.narrowed.push(lookup);
    return [{ verdict: { kind: 'dnat', to: { addresses: ['ref:dnat-map'], ports: null } } }];
  }
  const fixedPort = map.in === 'addr' && value.port !== undefined ? toPorts(flattenAtoms([value.port], origin)) : null;
  return pairs.map(([k, v]) => {
    const parts = isObj(v) && Array.isArray(v.concat) ? v.concat : map.in === 'addr' ? [v] : [undefined, v];
    const [addr, port] = parts;
    const addresses = addr === undefined ? null : (toAddresses(flattenAtoms([addr], origin)) ?? ['ref:dnat-map']);
    const ports = port === undefined ? (fixedPort ?? null) : (toPorts(flattenAtoms([port], origin)) ?? null);
    const match = decodeMatch({ op: '==', left: map.key, right: k }, env, origin);
    // the key makes the entry conditional; a key we could not decode is still a condition
    const keyed = match && isUnconditional(match) ? { ...match, narrowed: [lookup] } : match;
    return { verdict: { kind: 'dnat', to: { addresses, ports } }, key: { match: keyed, value: k } };
  });
}

function vmapEntries(value: unknown, d: Draft, env: ExprEnv, origin: Origin): Entry[] {
  if (!isObj(value) || !('key' in value) || !('data' in value)) throw located('a vmap needs "key" and "data"', origin);
  const pairs = vmapPairs(value.data, env, origin);
  if (!pairs) {
    notDecoded('vmap', d, env, origin);
    return [{ verdict: { kind: 'unknown', name: 'vmap' } }];
  }
  return pairs.map(([k, v]) => {
    const verdict =
      isObj(v) && Object.keys(v).length === 1 ? verdictOf(Object.keys(v)[0]!, Object.values(v)[0], origin) : undefined;
    const match = decodeMatch({ op: '==', left: value.key, right: k }, env, origin);
    return { verdict: verdict ?? { kind: 'unknown', name: 'vmap' }, key: { match, value: k } };
  });
}

function vmapPairs(data: unknown, env: ExprEnv, origin: Origin): [unknown, unknown][] | undefined {
  let list: unknown = isObj(data) ? data.set : undefined;
  if (typeof data === 'string' && data.startsWith('@'))
    list = env.sets.get(setKey(env.family, env.table, data.slice(1)))?.elem;
  if (!Array.isArray(list)) return undefined;
  return list.map((p) => {
    if (!Array.isArray(p) || p.length !== 2) throw located('a verdict map entry is a [key, verdict] pair', origin);
    return [p[0], p[1]];
  });
}

const XT_TARGETS = lookup<'accept' | 'drop' | 'log'>({
  REJECT: 'drop',
  DROP: 'drop',
  ACCEPT: 'accept',
  LOG: 'log',
  NFLOG: 'log',
});

/** Marks the rule opaque; for an xt target, the entry it decides (else undefined: the rule goes on). */
function xt(value: unknown, d: Draft, env: ExprEnv, origin: Origin): Entry | undefined {
  const v = isObj(value) ? value : {};
  const name = typeof v.name === 'string' ? v.name : 'xt';
  d.opaque.push(`xt ${name}`);
  env.warnings.push({
    code: 'xt_statement',
    message: `an iptables-nft (xt) ${String(v.type ?? 'statement')} "${name}" cannot be decoded: the rule is kept with exposure at most unknown`,
    ...origin,
  });
  if (v.type !== 'target') return undefined;
  const kind = Object.hasOwn(XT_TARGETS, name) ? XT_TARGETS[name] : undefined;
  return { verdict: kind ? { kind } : { kind: 'unknown', name: `xt ${name}` } };
}

function notDecoded(key: string, d: Draft, env: ExprEnv, origin: Origin): void {
  d.opaque.push(key);
  env.warnings.push({
    code: 'statement_not_decoded',
    message: `statement "${key}" is not decoded: the rule is kept with exposure at most unknown`,
    ...origin,
  });
}
