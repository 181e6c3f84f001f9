/**
 * What a netfilter rule matches, as far as exposure is concerned — shared by the iptables-save
 * and nftables adapters, which decode their syntax into it. `conjoin` combines the matches met
 * along a path of jumps; it is exact where the canonical shape can say it and otherwise widens
 * (an exposure is never understated).
 */
import { intersectAddresses, type IpFamily } from './iptables-addresses.js';

export interface PortRange {
  from: number;
  to: number;
}

/** Interface names or patterns (`ppp+`, nft `ppp*`); negated: any interface but these. */
export interface Ifaces {
  names: string[];
  negated: boolean;
}

/** null fields match anything. */
export interface Match {
  /** null: both (an nft `inet` rule with no address match) */
  family: IpFamily | null;
  iif: Ifaces | null;
  oif: Ifaces | null;
  protocols: string[] | null;
  sources: string[] | null;
  destinations: string[] | null;
  /** destination ports */
  ports: PortRange[] | null;
  /** conntrack states, lower case (`new`, `established`, `related`, `invalid`, `untracked`…) */
  ctStates: string[] | null;
  /** matches we could not decode: they may narrow the rule in ways we cannot see */
  opaque: string[];
}

export const ANY: Match = {
  family: null, iif: null, oif: null, protocols: null, sources: null, destinations: null, ports: null, ctStates: null, opaque: [],
};

const ANY_KEY = matchKey(ANY);

export const CT_STATES = ['new', 'established', 'related', 'invalid', 'untracked'] as const;
const NEW_CONNECTION_STATES = new Set(['new', 'untracked', 'dnat', 'snat']);

/** Can a packet that opens a new connection match? (false: established/related-only rules) */
export function admitsNew(m: Match): boolean {
  return m.ctStates === null || m.ctStates.some((s) => NEW_CONNECTION_STATES.has(s));
}

/** No condition at all: every packet reaching the rule matches. */
export function isUnconditional(m: Match): boolean {
  return matchKey(m) === ANY_KEY;
}

/** Equal matches have equal keys. */
export function matchKey(m: Match): string {
  return JSON.stringify([m.family, m.iif, m.oif, m.protocols, m.sources, m.destinations, m.ports, m.ctStates, m.opaque]);
}

/** The packets matched by both, or undefined when no packet can match both. */
export function conjoin(a: Match, b: Match): Match | undefined {
  if (a.family && b.family && a.family !== b.family) return undefined;
  const iif = conjoinIfaces(a.iif, b.iif);
  const oif = conjoinIfaces(a.oif, b.oif);
  const protocols = intersectValues(a.protocols, b.protocols);
  const ports = intersectPorts(a.ports, b.ports);
  const ctStates = intersectValues(a.ctStates, b.ctStates);
  const sources = intersectAddresses(a.sources, b.sources);
  const destinations = intersectAddresses(a.destinations, b.destinations);
  if ([iif, oif, protocols, ports, ctStates].includes(undefined)) return undefined;
  if (emptied(a.sources, b.sources, sources) || emptied(a.destinations, b.destinations, destinations)) return undefined;
  return {
    family: a.family ?? b.family,
    iif: iif!,
    oif: oif!,
    protocols: protocols!,
    sources,
    destinations,
    ports: ports!,
    ctStates: ctStates!,
    opaque: [...new Set([...a.opaque, ...b.opaque])],
  };
}

/** Two address conditions with no address in common (an already empty list, e.g. an empty nft set, stays a match on nothing). */
function emptied(a: string[] | null, b: string[] | null, both: string[] | null): boolean {
  return both !== null && both.length === 0 && (a?.length ?? 1) > 0 && (b?.length ?? 1) > 0;
}

function intersectValues(a: string[] | null, b: string[] | null): string[] | null | undefined {
  if (a === null) return b;
  if (b === null) return a;
  const out = a.filter((x) => b.includes(x));
  return out.length > 0 ? out : undefined;
}

// ---- ports -------------------------------------------------------------------------------

/** Sorted, merged, clamped to 0..65535. */
export function mergePorts(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges
    .map((r) => ({ from: Math.max(0, Math.min(r.from, r.to)), to: Math.min(65535, Math.max(r.from, r.to)) }))
    .sort((x, y) => x.from - y.from);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** Every port not in `ranges`. */
export function complementPorts(ranges: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let next = 0;
  for (const r of mergePorts(ranges)) {
    if (r.from > next) out.push({ from: next, to: r.from - 1 });
    next = r.to + 1;
  }
  if (next <= 65535) out.push({ from: next, to: 65535 });
  return out;
}

/** null = all ports; undefined = no port in common. */
export function intersectPorts(a: PortRange[] | null, b: PortRange[] | null): PortRange[] | null | undefined {
  if (a === null) return b;
  if (b === null) return a;
  const out: PortRange[] = [];
  for (const x of mergePorts(a)) {
    for (const y of mergePorts(b)) {
      const from = Math.max(x.from, y.from);
      const to = Math.min(x.to, y.to);
      if (from <= to) out.push({ from, to });
    }
  }
  return out.length > 0 ? mergePorts(out) : undefined;
}

/** Is every port of `inner` in `outer`? */
export function portsWithin(inner: readonly PortRange[], outer: readonly PortRange[]): boolean {
  const merged = mergePorts(outer);
  return inner.every((p) => merged.some((o) => o.from <= p.from && p.to <= o.to));
}

// ---- interfaces ----------------------------------------------------------------------------

export function isWildcard(name: string): boolean {
  return name.endsWith('+') || name.endsWith('*');
}

function stem(name: string): string {
  return isWildcard(name) ? name.slice(0, -1) : name;
}

/** Does pattern `p` match every interface that `q` matches? */
export function ifaceCovers(p: string, q: string): boolean {
  if (!isWildcard(p)) return !isWildcard(q) && p === q;
  return stem(q).startsWith(stem(p));
}

export function ifacesOverlap(p: string, q: string): boolean {
  return ifaceCovers(p, q) || ifaceCovers(q, p);
}

function conjoinIfaces(a: Ifaces | null, b: Ifaces | null): Ifaces | null | undefined {
  if (a === null) return b;
  if (b === null) return a;
  if (a.negated && b.negated) return { names: [...new Set([...a.names, ...b.names])], negated: true };
  if (a.negated || b.negated) {
    const [pos, neg] = a.negated ? [b, a] : [a, b];
    const names = pos.names.filter((n) => !neg.names.some((x) => ifaceCovers(x, n)));
    return names.length > 0 ? { names, negated: false } : undefined;
  }
  const names: string[] = [];
  for (const x of a.names) {
    for (const y of b.names) {
      if (ifaceCovers(x, y)) names.push(y);
      else if (ifaceCovers(y, x)) names.push(x);
    }
  }
  return names.length > 0 ? { names: [...new Set(names)], negated: false } : undefined;
}
