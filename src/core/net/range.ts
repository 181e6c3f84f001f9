/**
 * Address ranges `lo-hi` (pfSense host aliases, iptables `--src-range`, nft `{"range"}`): both
 * ends by the address rules of address.ts, one family, `lo ≤ hi` (a reversed range is refused,
 * not read as empty), written as the fewest CIDRs that cover it (at most 2 × address bits).
 */
import ipaddr from 'ipaddr.js';
import { type IpAddress, parseAddress } from './address.js';
import { formatCidr } from './cidr.js';

function toBig(addr: IpAddress): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function fromBig(n: bigint, bytes: number): IpAddress {
  const out: number[] = [];
  for (let i = bytes - 1; i >= 0; i--) out.push(Number((n >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(out);
}

/** The CIDRs covering `lo`..`hi` inclusive, or undefined when either end is unreadable or they disagree. */
export function rangeToCidrs(lo: string, hi: string): string[] | undefined {
  const a = parseAddress(lo);
  const b = parseAddress(hi);
  if (!a || !b || a.kind() !== b.kind()) return undefined;
  const bits = a.kind() === 'ipv4' ? 32 : 128;
  let start = toBig(a);
  const end = toBig(b);
  if (start > end) return undefined;
  const out: string[] = [];
  while (start <= end) {
    let size = 0;
    while (
      size < bits &&
      (start & ((1n << BigInt(size + 1)) - 1n)) === 0n &&
      start + (1n << BigInt(size + 1)) - 1n <= end
    )
      size++;
    out.push(formatCidr({ addr: fromBig(start, bits / 8), bits: bits - size }));
    start += 1n << BigInt(size);
  }
  return out;
}

/** `a-b` (spaces around the dash allowed) as CIDRs; undefined when `text` is not such a range. */
export function parseRange(text: string): string[] | undefined {
  const dash = text.indexOf('-');
  if (dash < 0 || text.indexOf('-', dash + 1) >= 0) return undefined;
  return rangeToCidrs(text.slice(0, dash), text.slice(dash + 1));
}
