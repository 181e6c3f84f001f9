/**
 * Allow-lists: a source made of a few public addresses (an MSP's NOC /24, an office IP) is a
 * control, not exposure to the internet. Shared by every firewall adapter's exposure.
 */
import { parseCidr } from './cidr.js';
import { rangeIncludesPublic } from './public.js';

/** The most public addresses an allow-list may add up to (a /24, or 256 single hosts). */
export const ALLOW_LIST_MAX_ADDRESSES = 256;

/** How many addresses a network holds (2^(32−len) or 2^(128−len)); undefined when not a network. */
export function addressCount(cidr: string): bigint | undefined {
  const net = parseCidr(cidr);
  if (!net) return undefined;
  const width = net.addr.kind() === 'ipv4' ? 32 : 128;
  return 1n << BigInt(width - net.bits);
}

/**
 * The public entries of `entries` when they form an allow-list: every entry is a plain network
 * (no negation `!x`, no unresolved `ref:`, no `sg:`), at least one is public, and the public ones
 * add up to at most `max` addresses (overlaps counted twice: never an understatement). Entries
 * wholly inside non-public space (10.0.0.0/8 beside a NOC address) add no internet exposure and
 * are left out of the count. Otherwise undefined.
 */
export function publicAllowList(entries: readonly string[], max = ALLOW_LIST_MAX_ADDRESSES): string[] | undefined {
  const pub: string[] = [];
  let total = 0n;
  for (const e of entries) {
    const isPublic = rangeIncludesPublic(e);
    if (isPublic === undefined) return undefined;
    if (!isPublic) continue;
    total += addressCount(e)!;
    if (total > BigInt(max)) return undefined;
    pub.push(e);
  }
  return pub.length > 0 ? pub : undefined;
}
