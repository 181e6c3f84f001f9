/**
 * Flattening of netfilter chains into the rules that decide packets, shared by the iptables-save
 * and nftables adapters. From a base chain, jumps and gotos are followed and their matches
 * conjoined, so every accept/drop/DNAT reached is one entry, in evaluation order.
 *
 * - RETURN: an unconditional one ends the chain; after a conditional one, the rules of the chain
 *   are reached by the traffic it did not return, which we cannot describe: their paths carry a
 *   `narrowed` marker (exposure as decoded — a widening — but never a whole flow or a default).
 * - A rule after an unconditional accept/drop/goto/return in the same chain can never match: it
 *   is kept with `enabled: false`. One whose only condition is an interface (`-i eth0 -j DROP`,
 *   `iifname != "wg0" accept`) ends the chain for that interface: the rules after it match only
 *   the other interfaces (their path carries the complement, e.g. interface `!eth0`). A condition we could not decode is a condition (see
 *   Match.narrowed and Match.opaque): a rate-limited DROP hides nothing after it.
 * - Logging (LOG/NFLOG/ULOG, nft `log` without a verdict) does not terminate. A verdict is logged
 *   when the rule itself logs (nft), when the run of log-only rules right before it in the same
 *   chain holds one with no condition or with exactly its conditions, or when the jump that
 *   reached its chain was logged that way (a `LOG_DROP` chain: `-j LOG` then `-j DROP`).
 */
import type { Origin } from '../../schemas/canonical-types.js';
import type { Warning } from '../types.js';
import { contentId } from './exposure.js';
import type { IpFamily } from '../../core/net/index.js';
import {
  ANY,
  conjoin,
  isUnconditional,
  isUnconditionalFor,
  logsAll,
  type Match,
  type PortRange,
} from './iptables-match.js';

export interface DnatTarget {
  /** translated destination addresses (CIDRs); null: unchanged */
  addresses: string[] | null;
  /** translated destination ports; null: unchanged */
  ports: PortRange[] | null;
}

export type Verdict =
  | { kind: 'accept' | 'drop' | 'return' | 'log' | 'continue' }
  | { kind: 'jump' | 'goto'; target: string }
  | { kind: 'dnat'; to: DnatTarget }
  /** MASQUERADE/SNAT (nft `masquerade`/`snat`): decides nothing about exposure; its out-interface faces the internet */
  | { kind: 'snat' }
  /** a verdict that cannot be modelled (NFQUEUE, an unknown target): warned about, not emitted */
  | { kind: 'unknown'; name: string };

export interface ChainRule {
  /** this rule's own conditions */
  match: Match;
  verdict: Verdict;
  /** the rule logs by itself (nft `log` next to the verdict) */
  log: boolean;
  comment: string | null;
  origin: Origin;
  /** what the rule is, not where it sits: hashed into the canonical id */
  content: unknown;
}

export interface FlatRule {
  match: Match;
  verdict: 'accept' | 'drop' | 'dnat' | 'snat';
  dnat?: DnatTarget;
  log: boolean;
  enabled: boolean;
  /** the deciding rule's comment, else the nearest commented jump's */
  comment: string | null;
  origin: Origin;
  /** content hashes of the rules from the base chain to the deciding one */
  path: string[];
}

export interface FlattenContext {
  chains: ReadonlyMap<string, readonly ChainRule[]>;
  /** shared across base chains: rule visits left before flattening stops (bounds jump fan-out) */
  budget: { left: number };
  warnings: Warning[];
}

// A real ruleset (kube-proxy on a large cluster included) flattens to a few thousand paths; a
// 12 KB export of fan-out jumps can reach millions. Past the budget the rest is a warning.
export const FLATTEN_BUDGET = 20_000;
/** nft allows 16 nested jumps; iptables has no fixed limit. Bounds the recursion. */
const MAX_JUMP_DEPTH = 64;

interface PathState {
  match: Match;
  log: boolean;
  enabled: boolean;
  comment: string | null;
  path: string[];
  stack: string[];
}

/** Every deciding rule reached from base chain `chain` whose own packets are `start`. */
export function flattenChain(ctx: FlattenContext, chain: string, start: Match): FlatRule[] {
  const out: FlatRule[] = [];
  walk(ctx, chain, { match: start, log: false, enabled: true, comment: null, path: [], stack: [chain] }, out);
  return out;
}

/** Marks the paths of the rules after a conditional RETURN in the same chain. */
const AFTER_RETURN = 'after a conditional RETURN';

function walk(ctx: FlattenContext, chain: string, state: PathState, out: FlatRule[]): void {
  let pendingLogs: Match[] = [];
  let reachable = state.enabled;
  let base = state.match;
  /** `base` before interface-only verdicts narrowed it (a rule only they shadow is kept disabled) */
  let loose = state.match;
  for (const rule of ctx.chains.get(chain) ?? []) {
    if (--ctx.budget.left < 0) {
      if (ctx.budget.left === -1)
        ctx.warnings.push({
          code: 'flatten_limit',
          message: `the chains expand to more than ${FLATTEN_BUDGET} rule paths; the rest were not evaluated`,
          ...rule.origin,
        });
      return;
    }
    if (rule.verdict.kind === 'log') {
      pendingLogs.push(rule.match);
      continue;
    }
    const logged = state.log || rule.log || pendingLogs.some((l) => logsAll(l, rule.match));
    pendingLogs = [];
    if (!reachable && state.enabled) {
      ctx.warnings.push({
        code: 'unreachable_rule',
        message: 'the rule follows an unconditional verdict in its chain and can never match: kept with enabled false',
        ...rule.origin,
      });
    }
    let match = conjoin(base, rule.match);
    let enabled = reachable;
    if (!match && reachable && base !== loose) {
      match = conjoin(loose, rule.match);
      if (match) {
        enabled = false;
        if (state.enabled)
          ctx.warnings.push({
            code: 'unreachable_rule',
            message:
              'the rule matches only interfaces an earlier interface-wide verdict in its chain already decided: kept with enabled false',
            ...rule.origin,
          });
      }
    }
    if (match) {
      const next: PathState = {
        ...state,
        match,
        log: logged,
        enabled,
        comment: rule.comment ?? state.comment,
        path: [...state.path, contentKey(rule)],
      };
      follow(ctx, rule, next, out);
    }
    if (endsChain(rule)) reachable = false;
    else if (endsChainOn(rule, base)) {
      // NOTE: an interface-only verdict (`-i eth0 -j DROP`, `iifname != "wg0" accept`) decides
      // every packet of that interface: the rules after it see only the other interfaces.
      const rest = conjoin(base, exceptInterfaces(rule.match));
      if (rest) base = rest;
      else reachable = false;
    } else if (rule.verdict.kind === 'return' && !base.narrowed.includes(AFTER_RETURN)) {
      base = { ...base, narrowed: [...base.narrowed, AFTER_RETURN] };
      loose = { ...loose, narrowed: [...loose.narrowed, AFTER_RETURN] };
    }
  }
}

function follow(ctx: FlattenContext, rule: ChainRule, s: PathState, out: FlatRule[]): void {
  const v = rule.verdict;
  switch (v.kind) {
    case 'accept':
    case 'drop':
    case 'dnat':
    case 'snat':
      out.push({
        match: s.match,
        verdict: v.kind,
        ...(v.kind === 'dnat' ? { dnat: v.to } : {}),
        log: s.log,
        enabled: s.enabled,
        comment: s.comment,
        origin: rule.origin,
        path: s.path,
      });
      return;
    case 'jump':
    case 'goto':
      if (s.stack.length >= MAX_JUMP_DEPTH) {
        ctx.warnings.push({
          code: 'jump_depth',
          message: `jumps nest deeper than ${MAX_JUMP_DEPTH} chains; not followed`,
          ...rule.origin,
        });
      } else if (s.stack.includes(v.target)) {
        ctx.warnings.push({
          code: 'jump_loop',
          message: `a jump to chain ${JSON.stringify(v.target)} loops back into itself; not followed`,
          ...rule.origin,
        });
      } else if (!ctx.chains.has(v.target)) {
        ctx.warnings.push({
          code: 'unknown_chain',
          message: `a jump to chain ${JSON.stringify(v.target)}, which the export does not define; not followed`,
          ...rule.origin,
        });
      } else {
        walk(ctx, v.target, { ...s, stack: [...s.stack, v.target] }, out);
      }
      return;
    case 'unknown':
      ctx.warnings.push({
        code: 'unknown_verdict',
        message: `target ${JSON.stringify(v.name)} cannot be evaluated; the rule was treated as not deciding`,
        ...rule.origin,
      });
      return;
    default:
      return;
  }
}

const contentKeys = new WeakMap<ChainRule, string>();

/** NOTE: a rule's content is hashed once, not once per path that reaches it (jump fan-out). */
function contentKey(rule: ChainRule): string {
  let key = contentKeys.get(rule);
  if (key === undefined) {
    key = contentId('r', rule.content);
    contentKeys.set(rule, key);
  }
  return key;
}

const TERMINAL_KINDS = new Set(['accept', 'drop', 'goto', 'return', 'dnat']);

/**
 * A terminal verdict whose only condition is the interface(s) (in or out, positive or negated):
 * it ends the chain for the packets of those interfaces. Loopback alone is left out (`-i lo -j
 * ACCEPT` opens nearly every ruleset, and excluding loopback changes no exposure).
 */
function endsChainOn(rule: ChainRule, base: Match): boolean {
  const m = rule.match;
  if (!TERMINAL_KINDS.has(rule.verdict.kind) || (m.iif === null) === (m.oif === null)) return false;
  if (m.family !== null && m.family !== base.family) return false;
  const ifaces = (m.iif ?? m.oif)!;
  if (!ifaces.negated && ifaces.names.every((n) => n === 'lo')) return false;
  return isUnconditional({ ...m, family: null, iif: null, oif: null });
}

/** The packets of every interface but the rule's (the complement of its one interface condition). */
function exceptInterfaces(m: Match): Match {
  const flip = (i: Match['iif']) => (i === null ? null : { names: i.names, negated: !i.negated });
  return { ...ANY, iif: flip(m.iif), oif: flip(m.oif) };
}

function endsChain(rule: ChainRule): boolean {
  const k = rule.verdict.kind;
  return (
    isUnconditional(rule.match) && (k === 'accept' || k === 'drop' || k === 'goto' || k === 'return' || k === 'dnat')
  );
}

/**
 * The default verdict of a base chain as the packets of `family` see it (null: both, nft inet):
 * the first reachable accept or drop whose whole flattened path is unconditional — a trailing
 * `-j REJECT` (RHEL), or a jump to a chain that ends in one (`-j LOG_DROP`) — else its policy.
 */
export function effectiveDefault(
  flat: readonly FlatRule[],
  policy: 'accept' | 'drop' | 'unknown',
  family: IpFamily | null = null,
): 'accept' | 'drop' | 'unknown' {
  for (const f of flat) {
    if (f.enabled && (f.verdict === 'accept' || f.verdict === 'drop') && isUnconditionalFor(f.match, family))
      return f.verdict;
  }
  return policy;
}
