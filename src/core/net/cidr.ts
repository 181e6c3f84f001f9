/**
 * Networks: `addr`, `addr/len` and `addr/dotted.mask`, one parser for every adapter and the
 * CEL functions.
 * - A bare address is a host (/32, /128).
 * - Mask notation (`10.0.0.0/255.0.0.0`) is accepted for IPv4 and turned into its prefix
 *   length everywhere: iptables takes it on input (iptables-save always prints the length); no
 *   other vendor writes one, so reading it elsewhere only spares a spurious `ref:`. A mask that
 *   is not contiguous (`255.0.255.0`), or written with leading zeros, is refused.
 * - Host bits set (`10.0.0.1/8`) are cleared: it is the network 10.0.0.0/8, which is what
 *   iptables and pf themselves load for it.
 * - Prefix lengths are decimal without leading zeros, at most 32 or 128.
 */
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import { formatAddress, type IpAddress, type IpFamily, isDottedQuad, strictAddress } from './address.js';

export interface IpNet {
  /** the network address (host bits cleared) */
  readonly addr: IpAddress;
  readonly bits: number;
}

const LENGTH = /^(?:0|[1-9]\d{0,2})$/;

/** The network `text` names (trimmed), or undefined when it is not one by the rules above. */
export function parseCidr(text: string): IpNet | undefined {
  let net = parsed.get(text);
  if (net === undefined) {
    net = readCidr(text.trim()) ?? false;
    parsed.set(text, net);
  }
  return net || undefined;
}

// NOTE: rulesets repeat a few networks thousands of times and the iptables flow analysis relates
// them pairwise: parse each text once. IpNet values are never mutated.
const parsed = new LRUCache<string, IpNet | false>({ max: 8192 });

function readCidr(text: string): IpNet | undefined {
  const slash = text.indexOf('/');
  const addr = strictAddress(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return undefined;
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  const bits = slash < 0 ? max : prefixLength(text.slice(slash + 1), addr.kind());
  if (bits === undefined || bits > max) return undefined;
  return Object.freeze({ addr: networkOf(addr, bits), bits });
}

function prefixLength(text: string, family: IpFamily): number | undefined {
  if (LENGTH.test(text)) return Number(text);
  if (family !== 'ipv4' || !isDottedQuad(text)) return undefined;
  return ipaddr.IPv4.parse(text).prefixLengthFromSubnetMask() ?? undefined;
}

/** `addr` with every bit after the first `bits` cleared. */
function networkOf(addr: IpAddress, bits: number): IpAddress {
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return ipaddr.fromByteArray(bytes);
}

/** Canonical CIDR text (`10.0.0.0/8`, `2001:db8::/32`, hosts as /32 or /128), or undefined. */
export function normalizeCidr(text: string): string | undefined {
  const net = parseCidr(text);
  return net ? formatCidr(net) : undefined;
}

export function formatCidr(net: IpNet): string {
  return `${formatAddress(net.addr)}/${net.bits}`;
}

export function cidrFamily(text: string): IpFamily | undefined {
  return parseCidr(text)?.addr.kind();
}

export type CidrRelation = 'equal' | 'inside' | 'contains' | 'disjoint';

/** How `a` relates to `b` (`inside`: a ⊂ b); networks either nest or are disjoint; mixed families are disjoint. */
export function cidrRelation(a: string, b: string): CidrRelation | undefined {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return undefined;
  if (x.addr.kind() !== y.addr.kind() || !samePrefix(x.addr, y.addr, Math.min(x.bits, y.bits))) return 'disjoint';
  if (x.bits === y.bits) return 'equal';
  return x.bits > y.bits ? 'inside' : 'contains';
}

function samePrefix(a: IpAddress, b: IpAddress, bits: number): boolean {
  const x = a.toByteArray();
  const y = b.toByteArray();
  for (let i = 0; i * 8 < bits; i++) {
    const keep = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((x[i]! & mask) !== (y[i]! & mask)) return false;
  }
  return true;
}

/** Is every address of `inner` inside `outer`? undefined when either is not a network. */
export function cidrContains(outer: string, inner: string): boolean | undefined {
  const r = cidrRelation(inner, outer);
  return r === undefined ? undefined : r === 'equal' || r === 'inside';
}
