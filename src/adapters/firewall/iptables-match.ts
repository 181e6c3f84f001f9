/**
 * What a netfilter rule matches, as far as exposure is concerned — shared by the iptables-save
 * and nftables adapters, which decode their syntax into it. `conjoin` combines the matches met
 * along a path of jumps; it is exact where the canonical shape can say it and otherwise widens
 * (an exposure is never understated).
 */
import type { IpFamily } from '../../core/net/index.js';
import { intersectAddresses } from './iptables-addresses.js';

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
  /**
   * matches we could not decode that select on what we cannot see (marks, socket owners, recent
   * lists, geoip…): they may narrow the rule to traffic that never comes from the internet, so the
   * exposure is at most `unknown`
   */
  opaque: string[];
  /**
   * conditions we skip because any sender can meet them (rate limits, quotas, packet type, TCP
   * flags, source ports, header fields): the exposure stays what the decoded fields say, but the
   * rule is never unconditional and never covers a whole flow (a rate-limited DROP drops only
   * some of the traffic)
   */
  narrowed: string[];
}

export const ANY: Match = {
  family: null,
  iif: null,
  oif: null,
  protocols: null,
  sources: null,
  destinations: null,
  ports: null,
  ctStates: null,
  opaque: [],
  narrowed: [],
};

const ANY_KEY = matchKey(ANY);

export const CT_STATES = ['new', 'established', 'related', 'invalid', 'untracked'] as const;
/**
 * `dnat`/`snat` are conntrack's virtual states (iptables `--ctstate DNAT`, nft `ct status dnat`):
 * a connection whose destination (source) a NAT rule rewrote, in whatever real state it is.
 */
const NAT_STATES = new Set(['dnat', 'snat']);
const OPENING_STATES = new Set(['new', 'untracked']);

/** Can a packet that opens a new connection match? (false: established/related-only rules) */
export function admitsNew(m: Match): boolean {
  return m.ctStates === null || m.ctStates.some((s) => OPENING_STATES.has(s) || NAT_STATES.has(s));
}

/**
 * Can the rule admit a new connection that no NAT rule opened? false for established/related
 * and for NAT-only rules (`--ctstate DNAT`, firewalld's `ct status dnat accept`): those let in
 * only what the port-forward (DNAT) rules expose, and those are emitted with their own exposure.
 */
export function opensBeyondNat(m: Match): boolean {
  return m.ctStates === null || m.ctStates.some((s) => OPENING_STATES.has(s));
}

/** Can a port-forwarded connection (DNAT'ed, new) match? */
export function admitsPortForward(m: Match): boolean {
  return m.ctStates === null || m.ctStates.includes('new') || m.ctStates.includes('dnat');
}

/** No condition at all: every packet reaching the rule matches (a skipped condition is a condition). */
export function isUnconditional(m: Match): boolean {
  return matchKey(m) === ANY_KEY;
}

/**
 * Every packet of `family` (null: of both, nft inet) reaching the rule matches. The family a
 * flattened path carries from its base chain (an ip6tables table, an nft ip6 chain) is no
 * condition for the packets of that family; `meta nfproto ipv4` is one for an inet chain.
 */
export function isUnconditionalFor(m: Match, family: IpFamily | null): boolean {
  return (m.family === null || m.family === family) && isUnconditional({ ...m, family: null });
}

/** Equal matches have equal keys. */
export function matchKey(m: Match): string {
  return JSON.stringify([
    m.family,
    m.iif,
    m.oif,
    m.protocols,
    m.sources,
    m.destinations,
    m.ports,
    m.ctStates,
    m.opaque,
    m.narrowed,
  ]);
}

/**
 * Does a log-only rule with match `log` log the packets of `m`? When it has no condition or
 * exactly `m`'s — rate limits and other skipped conditions aside: `-m limit -j LOG` still logs.
 */
export function logsAll(log: Match, m: Match): boolean {
  const key = matchKey({ ...log, narrowed: [] });
  return key === ANY_KEY || key === matchKey({ ...m, narrowed: [] });
}

/** The packets matched by both, or undefined when no packet can match both. */
export function conjoin(a: Match, b: Match): Match | undefined {
  if (a.family && b.family && a.family !== b.family) return undefined;
  const iif = conjoinIfaces(a.iif, b.iif);
  const oif = conjoinIfaces(a.oif, b.oif);
  const protocols = intersectValues(a.protocols, b.protocols);
  const ports = intersectPorts(a.ports, b.ports);
  const ctStates = intersectStates(a.ctStates, b.ctStates);
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
    narrowed: [...new Set([...a.narrowed, ...b.narrowed])],
  };
}

/** Two address conditions with no address in common (an already empty list, e.g. an empty nft set, stays a match on nothing). */
function emptied(a: string[] | null, b: string[] | null, both: string[] | null): boolean {
  return both !== null && both.length === 0 && (a?.length ?? 1) > 0 && (b?.length ?? 1) > 0;
}

/**
 * Conntrack states met by both. A NAT state is not exclusive of a real one (a DNAT'ed connection
 * is new, then established): `new` and `dnat` meet as `dnat` (a port-forwarded new connection),
 * `untracked` and `dnat` never (NAT needs conntrack), another real state and `dnat` as the real
 * state (it admits nothing new either way).
 */
function intersectStates(a: string[] | null, b: string[] | null): string[] | null | undefined {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      if (x === y) out.add(x);
      else if (NAT_STATES.has(x) !== NAT_STATES.has(y)) {
        const [nat, real] = NAT_STATES.has(x) ? [x, y] : [y, x];
        if (real === 'new') out.add(nat);
        else if (real !== 'untracked') out.add(real);
      }
    }
  }
  return out.size > 0 ? [...out] : undefined;
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
