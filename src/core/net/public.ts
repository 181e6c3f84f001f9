/**
 * Is an address range reachable from the public internet? Shared by every firewall adapter's
 * exposure and the CEL function cidrIsPublic, so that "internet" means one thing.
 */
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import type { IpAddress } from './address.js';
import { type IpNet, parseCidr } from './cidr.js';

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

/**
 * Does the range contain any public address? A range is public unless it lies wholly inside a
 * non-public block; `0.0.0.0/0` and `::/0` are public; an IPv4-mapped range (`::ffff:10.0.0.0/104`)
 * is judged by the IPv4 range it maps. Not a network → undefined.
 */
export function rangeIncludesPublic(cidr: string): boolean | undefined {
  let known = classified.get(cidr);
  if (known === undefined) {
    const net = parseCidr(cidr);
    known = net === undefined ? 'invalid' : classify(net) ? 'public' : 'non-public';
    classified.set(cidr, known);
  }
  return known === 'invalid' ? undefined : known === 'public';
}

// NOTE: a ruleset names the same few ranges over and over (0.0.0.0/0, ::/0, its aliases' members)
// and every rule's exposure, and the CEL function cidrIsPublic, asks about each: classify a text once.
const classified = new LRUCache<string, 'public' | 'non-public' | 'invalid'>({ max: 4096 });

/**
 * An address entry (`CIDR` or `!CIDR`): does it admit public addresses? The complement of any
 * range holds public space, so `!x` is true for every network x. Not an entry → undefined.
 */
export function entryIncludesPublic(entry: string): boolean | undefined {
  if (!entry.startsWith('!')) return rangeIncludesPublic(entry);
  return rangeIncludesPublic(entry.slice(1)) === undefined ? undefined : true;
}

function classify(net: IpNet): boolean {
  const mapped = asMappedIpv4(net);
  if (mapped) return classify(mapped);
  const { addr, bits } = net;
  if (addr.kind() === 'ipv4' ? bits < 8 : bits < 7) return true;
  // The network address's range is the block it falls in; a prefix shorter than the block's own
  // (e.g. 10.0.0.0/7) reaches outside it, hence the length check against the block.
  const range = addr.range();
  if (!NON_PUBLIC.has(range)) return true;
  return !blockContains(addr, bits, range);
}

function asMappedIpv4(net: IpNet): IpNet | undefined {
  if (net.addr.kind() !== 'ipv6' || net.bits < 96) return undefined;
  const v6 = net.addr as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? { addr: v6.toIPv4Address(), bits: net.bits - 96 } : undefined;
}

function blockContains(addr: IpAddress, bits: number, range: string): boolean {
  // NOTE: SpecialRanges is ipaddr.js's own table of the blocks behind range(); it is public at
  // run time but missing from its typings.
  type Block = [IpAddress, number];
  const proto = (addr.kind() === 'ipv4' ? ipaddr.IPv4.prototype : ipaddr.IPv6.prototype) as unknown as {
    SpecialRanges: Record<string, Block | Block[]>;
  };
  const blocks = proto.SpecialRanges[range];
  if (!blocks) return false;
  const list = (Array.isArray(blocks[0]) ? blocks : [blocks]) as Block[];
  return list.some(([net, size]) => net.kind() === addr.kind() && bits >= size && addr.match(net, size));
}
