/**
 * Exposure of a firewall rule: can traffic it matches come from the internet? Shared by every
 * firewall adapter so that "internet" means the same thing for iptables, nftables, AWS and
 * pfSense/OPNsense. Inputs are already resolved (aliases, sets, prefix lists, NAT).
 */
import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import stringify from 'safe-stable-stringify';
import type { Exposure, FirewallRule } from '../../schemas/canonical-types.js';

/**
 * Ranges that are never reachable from the public internet. Documentation and reserved blocks
 * (192.0.2.0/24, 2001:db8::/32…) count as public: a rule admitting them is judged as if they were.
 */
const NON_PUBLIC = new Set([
  'unspecified',
  'private',
  'loopback',
  'linkLocal',
  'carrierGradeNat',
  'uniqueLocal',
  'broadcast',
  'multicast',
]);

/** Parse `a.b.c.d`, `a.b.c.d/n`, IPv6 and IPv6/n; undefined when it is not an address. */
export function parseCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  try {
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const addr = ipaddr.parse(text);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/**
 * Does the range contain any public address? A range is public unless it lies wholly inside a
 * non-public block; `0.0.0.0/0` and `::/0` are public. Unparseable text → undefined.
 */
export function rangeIncludesPublic(cidr: string): boolean | undefined {
  let known = classified.get(cidr);
  if (known === undefined) {
    const p = classify(cidr);
    known = p === undefined ? 'invalid' : p ? 'public' : 'non-public';
    classified.set(cidr, known);
  }
  return known === 'invalid' ? undefined : known === 'public';
}

// A ruleset names the same few ranges over and over (0.0.0.0/0, ::/0, its aliases' members) and
// every rule's exposure, and the CEL function cidrIsPublic, asks about each: classify a text once.
const classified = new LRUCache<string, 'public' | 'non-public' | 'invalid'>({ max: 4096 });

function classify(cidr: string): boolean | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed) return undefined;
  const [addr, len] = parsed;
  if (addr.kind() === 'ipv4' ? len < 8 : len < 7) return true;
  // The network address's range is the block it falls in; a prefix shorter than the block's own
  // (e.g. 10.0.0.0/7) reaches outside it, hence the length check against the block.
  const range = addr.range();
  if (!NON_PUBLIC.has(range)) return true;
  return !blockContains(addr, len, range);
}

function blockContains(addr: ipaddr.IPv4 | ipaddr.IPv6, len: number, range: string): boolean {
  // NOTE: SpecialRanges is ipaddr.js's own table of the blocks behind range(); it is public at
  // run time but missing from its typings.
  type Block = [ipaddr.IPv4 | ipaddr.IPv6, number];
  const proto = (addr.kind() === 'ipv4' ? ipaddr.IPv4.prototype : ipaddr.IPv6.prototype) as unknown as {
    SpecialRanges: Record<string, Block | Block[]>;
  };
  const blocks = proto.SpecialRanges[range];
  if (!blocks) return false;
  const list = (Array.isArray(blocks[0]) ? blocks : [blocks]) as Block[];
  return list.some(([net, bits]) => net.kind() === addr.kind() && len >= bits && addr.match(net, bits));
}

export type Facing = 'internet' | 'internal' | 'unknown';

/**
 * Does this rule's interface face the internet? `iface` null = any interface;
 * `internetInterfaces` null = unknown (neither the export nor `?internetInterfaces=` says).
 */
export function interfaceFacing(iface: string | null, internetInterfaces: readonly string[] | null): Facing {
  if (internetInterfaces === null) return 'unknown';
  if (iface === null) return internetInterfaces.length > 0 ? 'internet' : 'internal';
  return internetInterfaces.includes(iface) ? 'internet' : 'internal';
}

/**
 * internet: inbound/forward traffic from a source set that includes public addresses, arriving on
 * an interface that faces the internet. unknown: either side cannot be told (an unresolved
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
    else if (s.startsWith('!'))
      pub = pub || rangeIncludesPublic(s.slice(1)) !== undefined; // the complement of any range holds public space
    else {
      const p = rangeIncludesPublic(s);
      if (p === undefined) unresolved = true;
      else pub = pub || p;
    }
  }
  if (rule.facing === 'internal') return 'internal';
  if (pub) return rule.facing === 'internet' ? 'internet' : 'unknown';
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
