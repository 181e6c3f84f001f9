/**
 * Address arithmetic shared by the iptables-save and nftables adapters: canonical CIDR text,
 * containment, intersection of address lists and address ranges as CIDRs. Everything is linear
 * or bounded; nothing throws on bad text (it returns undefined instead).
 */
import ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';
type Addr = ipaddr.IPv4 | ipaddr.IPv6;

/** The "any address" entries of a family; both when the family is not fixed (nft `inet`). */
export function anyAddresses(family: IpFamily | null): string[] {
  if (family === 'ipv4') return ['0.0.0.0/0'];
  if (family === 'ipv6') return ['::/0'];
  return ['0.0.0.0/0', '::/0'];
}

function parseAddr(text: string): Addr | undefined {
  if (!text.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  try {
    return ipaddr.parse(text);
  } catch {
    return undefined;
  }
}

/** `addr`, `addr/len` or `addr/dotted.mask` → [network address, length]; undefined if unreadable. */
export function parseNet(text: string): [Addr, number] | undefined {
  const slash = text.indexOf('/');
  const addr = parseAddr(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return undefined;
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  if (slash < 0) return [addr, max];
  const lenText = text.slice(slash + 1);
  let len: number | null;
  if (/^\d{1,3}$/.test(lenText)) len = Number(lenText);
  else if (addr.kind() === 'ipv4' && ipaddr.IPv4.isValidFourPartDecimal(lenText))
    len = ipaddr.IPv4.parse(lenText).prefixLengthFromSubnetMask();
  else len = null;
  if (len === null || len > max) return undefined;
  return [network(addr, len), len];
}

function network(addr: Addr, len: number): Addr {
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return ipaddr.fromByteArray(bytes);
}

/** Canonical CIDR text (`10.0.0.0/8`, `2001:db8::/32`, hosts as /32 or /128), or undefined. */
export function normalizeCidr(text: string): string | undefined {
  const net = parseNet(text);
  return net ? `${net[0].toString()}/${net[1]}` : undefined;
}

export function cidrFamily(cidr: string): IpFamily | undefined {
  const net = parseNet(cidr);
  return net ? (net[0].kind() === 'ipv4' ? 'ipv4' : 'ipv6') : undefined;
}

export type CidrRelation = 'equal' | 'inside' | 'contains' | 'disjoint';

/** How `a` relates to `b` (`inside`: a ⊂ b). CIDRs either nest or are disjoint. */
export function cidrRelation(a: string, b: string): CidrRelation | undefined {
  const x = parseNet(a);
  const y = parseNet(b);
  if (!x || !y) return undefined;
  if (x[0].kind() !== y[0].kind()) return 'disjoint';
  const short = Math.min(x[1], y[1]);
  if (network(x[0], short).toString() !== network(y[0], short).toString()) return 'disjoint';
  if (x[1] === y[1]) return 'equal';
  return x[1] > y[1] ? 'inside' : 'contains';
}

/** Is every address of `inner` inside `outer`? */
export function cidrWithin(inner: string, outer: string): boolean {
  const r = cidrRelation(inner, outer);
  return r === 'equal' || r === 'inside';
}

function toBig(addr: Addr): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function fromBig(n: bigint, bytes: number): Addr {
  const out: number[] = [];
  for (let i = bytes - 1; i >= 0; i--) out.push(Number((n >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(out);
}

/** The fewest CIDRs that cover `lo`..`hi` inclusive (at most 2 × address bits); undefined if unreadable. */
export function rangeToCidrs(lo: string, hi: string): string[] | undefined {
  const a = parseAddr(lo);
  const b = parseAddr(hi);
  if (!a || !b || a.kind() !== b.kind()) return undefined;
  const bits = a.kind() === 'ipv4' ? 32 : 128;
  let start = toBig(a);
  const end = toBig(b);
  const out: string[] = [];
  while (start <= end) {
    let size = 0;
    while (
      size < bits &&
      (start & ((1n << BigInt(size + 1)) - 1n)) === 0n &&
      start + (1n << BigInt(size + 1)) - 1n <= end
    )
      size++;
    out.push(`${fromBig(start, bits / 8).toString()}/${bits - size}`);
    start += 1n << BigInt(size);
  }
  return out;
}

const MAX_PAIRS = 100_000;

/**
 * Addresses matched by both lists (null = any). Lists are unions of `CIDR`, `!CIDR` and `ref:`
 * entries. Positive CIDRs are intersected exactly; a `ref:` keeps the other side; negations are
 * kept only when no positive entry remains (otherwise dropped: a widening, never a narrowing).
 */
export function intersectAddresses(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const negs = [...a, ...b].filter((s) => s.startsWith('!'));
  const posA = a.filter((s) => !s.startsWith('!'));
  const posB = b.filter((s) => !s.startsWith('!'));
  let pos: string[];
  if (posA.length > 0 && posB.length > 0) pos = posA.length * posB.length > MAX_PAIRS ? posA : pairwise(posA, posB);
  else if (posA.length > 0 || posB.length > 0) pos = posA.length > 0 ? posA : posB;
  else return unique(negs);
  return pos.filter((p) => !negs.some((n) => cidrWithin(p, n.slice(1))));
}

function pairwise(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (const x of a) {
    for (const y of b) {
      if (x.startsWith('ref:')) out.push(y);
      else if (y.startsWith('ref:')) out.push(x);
      else {
        const r = cidrRelation(x, y);
        if (r === 'equal' || r === 'inside') out.push(x);
        else if (r === 'contains') out.push(y);
      }
    }
  }
  return unique(out);
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
