/**
 * `cidrContains(cidr, other)` and `cidrIsPublic(cidr)`: the network questions rules ask, read by
 * core/net like every adapter reads addresses (so `010.1.1.1` is an error here too, never octal).
 */
import { cidrContains as contains, entryIncludesPublic } from '../../core/net/index.js';

/**
 * Does `cidr` contain `other` (an address or a CIDR) entirely? Mixed families never contain: an
 * IPv4-mapped `::ffff:1.2.3.4` is IPv6, inside `::ffff:0:0/96` and not inside `1.2.3.0/24`.
 */
export function cidrContains(cidr: string, other: string): boolean {
  const answer = contains(cidr, other);
  if (answer === undefined)
    throw new Error(`not an address or CIDR: ${contains(cidr, cidr) === undefined ? cidr : other}`);
  return answer;
}

/** Public address space in the range (`!CIDR`: its complement, which always holds some). */
export function cidrIsPublic(cidr: string): boolean {
  const answer = entryIncludesPublic(cidr);
  if (answer === undefined) throw new Error(`not an address or CIDR: ${cidr}`);
  return answer;
}
