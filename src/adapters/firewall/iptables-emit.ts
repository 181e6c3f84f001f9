/**
 * Flattened netfilter rules → canonical firewall rules, shared by the iptables-save and nftables
 * adapters so that both read exposure, ids and port-forwards the same way.
 *
 * - interface: the ingress interface for inbound/forward rules, the egress one for outbound;
 *   several interfaces give one rule each; patterns are kept as written (`ppp+`, `eth*`); a
 *   negated match is `!name[,name…]` (any interface but these).
 * - exposure: computeExposure, with the interface facing read through wildcards and negation and
 *   `lo` always internal; a rule that admits no new connection (established/related only) is
 *   internal, and so is one that admits only NAT'ed connections (`--ctstate DNAT`, `ct status
 *   dnat`): what it lets in is what the port-forward rules expose, and those carry their own
 *   exposure. An opaque match (marks, owners…) makes it at most `unknown`, never `internet`; a
 *   skipped condition any sender can meet (a rate limit) leaves the decoded exposure.
 * - id: contentId over the contents of the rules on the path (plus the interface when split),
 *   never a position; identical rules get `-2`, `-3`… in order.
 */
import { rangeIncludesPublic } from '../../core/net/index.js';
import type { FirewallRule } from '../../schemas/canonical-types.js';
import { ASSUMED_INTERNET_INTERFACES, computeExposure, contentId, interfaceFacing, type Facing } from './exposure.js';
import { anyAddresses, intersectAddresses } from './iptables-addresses.js';
import type { FlatRule } from './iptables-flatten.js';
import { admittedSources, type ForwardPolicy } from './iptables-flow.js';
import {
  admitsNew,
  ifaceCovers,
  ifacesOverlap,
  opensBeyondNat,
  type Ifaces,
  type Match,
  type PortRange,
} from './iptables-match.js';

export type Direction = FirewallRule['direction'];

export interface EmitContext {
  device: string;
  /** id prefix: `ipt` or `nft` */
  idPrefix: string;
  internetInterfaces: string[] | null;
  /** internetInterfaces were inferred from the NAT rules (exposures judged on them carry `assumed`) */
  inferred?: boolean;
  /** NOTE: exposure per (direction, facing, sources), computed once per export: flattening repeats them */
  exposures?: Map<string, FirewallRule['exposure']>;
}

interface Overrides {
  action?: FirewallRule['action'];
  /** an exposure decided by the caller (a port-forward to a destination the internet cannot route to) */
  exposure?: FirewallRule['exposure'];
  description?: string | null;
  idContent?: unknown;
}

/** The canonical rule(s) for one flattened accept/drop. */
export function emitRule(flat: FlatRule, direction: Direction, ctx: EmitContext, over: Overrides = {}): FirewallRule[] {
  const m = flat.match;
  const ifaces = direction === 'outbound' ? m.oif : m.iif;
  const split: (Ifaces | null)[] =
    ifaces && !ifaces.negated && ifaces.names.length > 1
      ? ifaces.names.map((n) => ({ names: [n], negated: false }))
      : [ifaces];
  return split.map((iface) => {
    const sources = m.sources ?? anyAddresses(m.family);
    const facing = facingOf(direction === 'outbound' ? null : iface, ctx.internetInterfaces);
    const exposure = over.exposure ?? exposureOf(m, direction, sources, facing, ctx.exposures);
    const guessed = facing === 'assumed' || (facing === 'internet' && ctx.inferred === true);
    return {
      id: contentId(ctx.idPrefix, {
        path: over.idContent ?? flat.path,
        ...(split.length > 1 ? { interface: iface!.names[0] } : {}),
      }),
      device: ctx.device,
      enabled: flat.enabled,
      action: over.action ?? (flat.verdict === 'accept' ? 'allow' : 'deny'),
      direction,
      interface: ifaceText(iface),
      protocol: m.protocols === null ? 'any' : m.protocols.join('/'),
      sources,
      destinations: m.destinations ?? anyAddresses(m.family),
      ports: m.ports ?? [],
      log: flat.log,
      exposure,
      ...(guessed && (exposure === 'internet' || exposure === 'restricted')
        ? { assumed: [...ASSUMED_INTERNET_INTERFACES] }
        : {}),
      description: over.description !== undefined ? over.description : describe(flat.comment, m, flat.verdict),
      origin: flat.origin,
    };
  });
}

/** Interface facing through patterns and negation; loopback never faces the internet. */
export function facingOf(iface: Ifaces | null, internet: readonly string[] | null): Facing {
  if (iface && !iface.negated && iface.names.every((n) => n === 'lo')) return 'internal';
  if (internet === null) return iface === null ? 'assumed' : 'unknown';
  if (iface === null) return interfaceFacing(null, internet);
  if (iface.negated) return internet.some((i) => !iface.names.some((n) => ifaceCovers(n, i))) ? 'internet' : 'internal';
  return iface.names.some((n) => internet.some((i) => ifacesOverlap(n, i))) ? 'internet' : 'internal';
}

function exposureOf(
  m: Match,
  direction: Direction,
  sources: string[],
  facing: Facing,
  cache?: Map<string, FirewallRule['exposure']>,
): FirewallRule['exposure'] {
  if (!opensBeyondNat(m)) return 'internal';
  const key = JSON.stringify([direction, facing, sources]);
  let e = cache?.get(key);
  if (e === undefined) {
    e = computeExposure({ direction, sources, facing });
    cache?.set(key, e);
  }
  return e === 'internet' && m.opaque.length > 0 ? 'unknown' : e;
}

function ifaceText(iface: Ifaces | null): string | null {
  if (iface === null) return null;
  return iface.negated ? `!${iface.names.join(',')}` : iface.names[0]!;
}

function describe(comment: string | null, m: Match, verdict: FlatRule['verdict']): string | null {
  const notes: string[] = [];
  if (!opensBeyondNat(m)) {
    const states = `conntrack state ${(m.ctStates ?? []).join(',')} only`;
    notes.push(
      admitsNew(m)
        ? `${states}: admits only connections a NAT rule opened, as the port-forward rules show`
        : `${states}: opens no new connection`,
    );
  }
  // A deny whose fields say "any" but that has a condition we did not decode (a rate limit, a
  // fragment test) must not read as "deny everything".
  const skipped = [...m.narrowed, ...m.opaque];
  if (verdict === 'drop' && skipped.length > 0)
    notes.push(`only part of this traffic: also matches on ${skipped.join(', ')}`);
  if (notes.length === 0) return comment;
  const note = notes.join('; ');
  return comment ? `${comment} (${note})` : note;
}

export interface ForwardPath {
  rules: readonly FlatRule[];
  policy: ForwardPolicy;
}

/**
 * A DNAT port-forward as the inbound exposure it creates: a forward rule to the translated
 * destination and ports (what is reachable inside, e.g. 3389 on 10.0.0.5, whatever the public
 * port), from the DNAT's interface and sources. It is `allow` when every forward base chain of
 * the family admits part of it (sources narrowed to what they admit), else `deny`.
 * - Admitted only by accepts on conditions the export cannot show (a `--mark` accept before a
 *   REJECT, as kube-proxy writes): those conditions are carried, so the exposure is at most
 *   `unknown`, never `internet`.
 * - The DNAT's own destination match is kept in mind: one that matches only addresses the
 *   internet cannot route to (`-d 10.96.0.10/32`, a Kubernetes ClusterIP; any private range) is
 *   not an internet port-forward — `internal`, whatever the interface.
 */
export function emitPortForward(flat: FlatRule, forward: readonly ForwardPath[], ctx: EmitContext): FirewallRule[] {
  const to = flat.dnat!;
  const flow: Match = {
    ...flat.match,
    destinations: to.addresses ?? flat.match.destinations,
    ports: to.ports ?? flat.match.ports,
  };
  let sources: string[] | null | undefined = flow.sources;
  const hinges = new Set<string>();
  for (const path of forward) {
    const admitted = admittedSources(path.rules, path.policy, flow);
    sources =
      admitted === undefined || sources === undefined ? undefined : intersectAddresses(sources, admitted.sources);
    for (const o of admitted?.opaque ?? []) hinges.add(o);
  }
  const match = {
    ...flow,
    sources: sources === undefined ? flow.sources : sources,
    opaque: [...new Set([...flow.opaque, ...hinges])],
  };
  const unroutable = privateOnly(flat.match.destinations);
  const notes = [
    ...(flat.comment ? [flat.comment] : []),
    ...(hinges.size > 0 ? [`admitted only on ${[...hinges].join(', ')}, which the export does not show`] : []),
    ...(unroutable
      ? [`only for ${flat.match.destinations!.map(hostText).join(',')}, which the internet cannot route to`]
      : []),
  ];
  const description = `port-forward ${portText(flat.match)} -> ${(flow.destinations ?? ['(unchanged)']).map(hostText).join(',')}:${portList(flow.ports)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  return emitRule({ ...flat, match, verdict: 'accept' }, 'forward', ctx, {
    action: sources === undefined ? 'deny' : 'allow',
    description,
    idContent: { dnat: flat.path },
    ...(unroutable ? { exposure: 'internal' as const } : {}),
  });
}

/** A destination match made only of plain networks with no public address (a ClusterIP, 10.0.0.0/8). */
function privateOnly(destinations: readonly string[] | null): boolean {
  if (destinations === null || destinations.length === 0) return false;
  return destinations.every((d) => !d.startsWith('!') && !d.startsWith('ref:') && rangeIncludesPublic(d) === false);
}

function hostText(cidr: string): string {
  return cidr.replace(cidr.includes(':') ? /\/128$/ : /\/32$/, '');
}

function portText(m: Match): string {
  return `${m.protocols === null ? 'any' : m.protocols.join('/')}/${portList(m.ports)}`;
}

function portList(ports: readonly PortRange[] | null): string {
  if (ports === null) return 'any';
  return ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(',');
}

/** Identical rules (same content on the same path) get `-2`, `-3`… in order of appearance. */
export function uniqueIds(rules: FirewallRule[]): FirewallRule[] {
  const seen = new Map<string, number>();
  return rules.map((r) => {
    const n = (seen.get(r.id) ?? 0) + 1;
    seen.set(r.id, n);
    return n === 1 ? r : { ...r, id: `${r.id}-${n}` };
  });
}

/** Drop repeated warnings (a rule reached along several paths warns once). */
export function uniqueWarnings<W extends { code: string; message: string }>(warnings: readonly W[]): W[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = JSON.stringify(w);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
