/**
 * Exposure of a firewall rule: can traffic it matches come from the internet? Shared by every
 * firewall adapter so that "internet" means the same thing for iptables, nftables, AWS and
 * pfSense/OPNsense. Inputs are already resolved (aliases, sets, prefix lists, NAT).
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { entryIncludesPublic, publicAllowList } from '../../core/net/index.js';
import type { Exposure, FirewallRule } from '../../schemas/canonical-types.js';

/**
 * `assumed`: a rule bound to no interface on a device whose internet interfaces are unknown. It
 * is judged as facing the internet (a host or router has one, and an any-interface accept takes
 * it too), and the rule says so with `assumed: ["internetInterfaces"]`.
 */
export type Facing = 'internet' | 'internal' | 'unknown' | 'assumed';

/** What a rule's `assumed` lists when its exposure rests on the internet interfaces being guessed. */
export const ASSUMED_INTERNET_INTERFACES: readonly string[] = Object.freeze(['internetInterfaces']);

/**
 * Does this rule's interface face the internet? `iface` null = any interface;
 * `internetInterfaces` null = unknown (neither the export, nor `?internetInterfaces=`, nor the
 * NAT rules say). Any interface on an unknown device is `assumed`; a named one stays `unknown`.
 */
export function interfaceFacing(iface: string | null, internetInterfaces: readonly string[] | null): Facing {
  if (internetInterfaces === null) return iface === null ? 'assumed' : 'unknown';
  if (iface === null) return internetInterfaces.length > 0 ? 'internet' : 'internal';
  return internetInterfaces.includes(iface) ? 'internet' : 'internal';
}

/**
 * internet: inbound/forward traffic from a source set that includes public addresses, arriving on
 * an interface that faces the internet (or, `assumed`, on any interface of a device whose
 * internet interfaces are unknown). restricted: the same, but the public part of the source is an
 * allow-list (plain networks adding up to at most 256 public addresses, see publicAllowList) — a
 * control, not exposure. unknown: either side cannot be told (an unresolved
 * `ref:` source, or the interface's facing is unknown). internal: otherwise (outbound rules too).
 * A negated source holds public space whether or not what it excludes is known: `!10.0.0.0/8`
 * and `ref:!blocklist` (an ipset, a pfBlockerNG URL table) are both "everyone but a list".
 */
export function computeExposure(rule: {
  direction: FirewallRule['direction'];
  sources: readonly string[];
  facing: Facing;
}): Exposure {
  if (rule.direction === 'outbound') return 'internal';
  let pub = false;
  let unresolved = false;
  for (const s of rule.sources) {
    if (s.startsWith('ref:!')) pub = true;
    else if (s.startsWith('ref:')) unresolved = true;
    else {
      const p = entryIncludesPublic(s);
      if (p === undefined) unresolved = true;
      else pub = pub || p;
    }
  }
  if (rule.facing === 'internal') return 'internal';
  if (pub) {
    if (rule.facing === 'unknown') return 'unknown';
    return publicAllowList(rule.sources) ? 'restricted' : 'internet';
  }
  return unresolved ? 'unknown' : 'internal';
}

/**
 * A stable id for a rule without a vendor id: a hash of what the rule does (not where it sits
 * in the file), so the same rule keeps its id across exports and drift means something.
 */
export function contentId(prefix: string, content: unknown): string {
  // Sorted keys, members that are undefined left out: the same content gives the same text.
  // `content` is plain JSON data (strings, numbers, booleans, null, arrays, objects): the text —
  // hence every stored rule id — is the same as the hand-written stable JSON used before 5fdde37.
  const hash = createHash('sha256')
    .update(stringify(content) ?? '')
    .digest('hex')
    .slice(0, 16);
  return `${prefix}-${hash}`;
}
