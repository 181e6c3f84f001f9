/**
 * Does the forward path admit a NAT port-forward? Shared by the iptables-save and nftables
 * adapters. The flow is the DNAT rule's match with the translated destination and ports; the
 * forward rules are walked in order as the kernel would for a new connection.
 */
import { cidrContains, cidrRelation } from '../../core/net/index.js';
import { intersectAddresses, unique } from './iptables-addresses.js';
import type { FlatRule } from './iptables-flatten.js';
import {
  admitsPortForward,
  ifaceCovers,
  ifacesOverlap,
  intersectPorts,
  portsWithin,
  type Ifaces,
  type Match,
} from './iptables-match.js';

type Relation = 'all' | 'some' | 'none';

/**
 * How much of `flow` (a port-forwarded new connection) the rule's conditions match. Unknown parts
 * (egress interface, opaque or skipped conditions) give 'some': such a DROP never covers the flow.
 */
export function relate(rule: Match, flow: Match): Relation {
  if (rule.family && flow.family && rule.family !== flow.family) return 'none';
  if (!admitsPortForward(rule)) return 'none';
  const parts: Relation[] = [
    relateIfaces(rule.iif, flow.iif),
    rule.oif === null ? 'all' : 'some',
    relateValues(rule.protocols, flow.protocols),
    relateAddresses(rule.sources, flow.sources),
    relateAddresses(rule.destinations, flow.destinations),
    relatePorts(rule, flow),
    rule.opaque.length > 0 || rule.narrowed.length > 0 ? 'some' : 'all',
  ];
  if (parts.includes('none')) return 'none';
  return parts.every((p) => p === 'all') ? 'all' : 'some';
}

function relateIfaces(rule: Ifaces | null, flow: Ifaces | null): Relation {
  if (rule === null) return 'all';
  if (flow === null) return 'some';
  if (flow.negated)
    return !rule.negated && rule.names.every((r) => flow.names.some((n) => ifaceCovers(n, r))) ? 'none' : 'some';
  const covered = (n: string) => rule.names.some((r) => ifaceCovers(r, n));
  const touches = (n: string) => rule.names.some((r) => ifacesOverlap(r, n));
  if (rule.negated) {
    if (flow.names.every(covered)) return 'none';
    return flow.names.some(touches) ? 'some' : 'all';
  }
  if (flow.names.every(covered)) return 'all';
  return flow.names.some(touches) ? 'some' : 'none';
}

function relateValues(rule: string[] | null, flow: string[] | null): Relation {
  if (rule === null) return 'all';
  if (flow === null) return 'some';
  if (flow.every((v) => rule.includes(v))) return 'all';
  return flow.some((v) => rule.includes(v)) ? 'some' : 'none';
}

function relateAddresses(rule: string[] | null, flow: string[] | null): Relation {
  if (rule === null) return 'all';
  if (flow === null) return 'some';
  const plain = (s: string) => !s.startsWith('!') && !s.startsWith('ref:');
  if (!rule.every(plain) || !flow.every(plain)) return 'some';
  if (flow.every((f) => rule.some((r) => cidrContains(r, f) === true))) return 'all';
  return flow.some((f) => rule.some((r) => cidrRelation(f, r) !== 'disjoint')) ? 'some' : 'none';
}

function relatePorts(rule: Match, flow: Match): Relation {
  if (rule.ports === null) return 'all';
  if (flow.ports === null) return 'some';
  if (portsWithin(flow.ports, rule.ports)) return 'all';
  return intersectPorts(rule.ports, flow.ports) ? 'some' : 'none';
}

export type ForwardPolicy = 'accept' | 'drop' | 'unknown';

/** What a forward path admits of a flow. */
export interface Admission {
  /** the sources admitted (null: any) */
  sources: string[] | null;
  /**
   * conditions the export cannot show (marks, owners…) that every admitting accept hinges on: a
   * `-m mark --mark 0x4000 -j ACCEPT` before a REJECT admits only what some other rule marked.
   * Empty: something admits the flow whatever the export hides.
   */
  opaque: string[];
}

/**
 * What the forward path admits of `flow`, or undefined when it admits nothing. Every accept that
 * may match part of the flow before a drop that matches all of it admits the flow's sources
 * narrowed to that accept's (and hinging on its opaque conditions); the policy (unknown counts
 * as accept: nothing filters) admits the rest.
 */
export function admittedSources(
  forward: readonly FlatRule[],
  policy: ForwardPolicy,
  flow: Match,
): Admission | undefined {
  const admitted: Admission[] = [];
  for (const f of forward) {
    if (!f.enabled) continue;
    const rel = relate(f.match, flow);
    if (rel === 'none') continue;
    if (f.verdict === 'accept') {
      admitted.push({ sources: intersectAddresses(flow.sources, f.match.sources), opaque: f.match.opaque });
      if (rel === 'all') return union(admitted);
    } else if (f.verdict === 'drop' && rel === 'all') {
      return admitted.length > 0 ? union(admitted) : undefined;
    }
  }
  if (policy !== 'drop') admitted.push({ sources: flow.sources, opaque: [] });
  return admitted.length > 0 ? union(admitted) : undefined;
}

function union(list: Admission[]): Admission {
  const sources = list.some((a) => a.sources === null) ? null : unique(list.flatMap((a) => a.sources!));
  const opaque = list.some((a) => a.opaque.length === 0) ? [] : unique(list.flatMap((a) => a.opaque));
  return { sources, opaque };
}
