/**
 * Address lists of the iptables-save and nftables adapters: the "any address" entries of a family
 * and the intersection of two address lists (a rule's match met along a jump path). The network
 * arithmetic underneath is core/net's. Everything is linear or bounded.
 */
import { cidrContains, cidrRelation, type IpFamily } from '../../core/net/index.js';

/** The "any address" entries of a family; both when the family is not fixed (nft `inet`). */
export function anyAddresses(family: IpFamily | null): string[] {
  if (family === 'ipv4') return ['0.0.0.0/0'];
  if (family === 'ipv6') return ['::/0'];
  return ['0.0.0.0/0', '::/0'];
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
  return pos.filter((p) => !negs.some((n) => cidrContains(n.slice(1), p) === true));
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
