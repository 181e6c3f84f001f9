/**
 * One reading of an IP address for the whole service. Strict where vendors' own parsers are
 * lenient in ways that change meaning: four decimal octets only (`010.1.1.1` is octal 8.1.1.1
 * to inet_aton and decimal 10.1.1.1 to others, so a leading zero is refused, as are `1.2.3`,
 * `0x0a.1.1.1` and `256.1.1.1`); IPv6 zone ids (`fe80::1%eth0`: a scope on one host, not an
 * address a rule can name) and brackets are refused. Surrounding whitespace is ignored;
 * upper-case hex is read and written lower-case.
 */
import ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

const OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Four decimal octets 0–255 without leading zeros (`0` itself is fine). */
export function isDottedQuad(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p));
}

/** The address in `text` (trimmed), or undefined when it is not one by the rules above. */
export function parseAddress(text: string): IpAddress | undefined {
  return strictAddress(text.trim());
}

/** As parseAddress, without trimming: for parts of a larger token (`a/len`, `a-b`). */
export function strictAddress(text: string): IpAddress | undefined {
  if (isDottedQuad(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(':') || text.includes('%')) return undefined;
  const hex = embeddedQuadAsHex(text);
  return hex !== undefined && ipaddr.IPv6.isValid(hex) ? ipaddr.IPv6.parse(hex) : undefined;
}

/**
 * IPv6 text with an embedded IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) rewritten with
 * that tail as two hex groups. The tail obeys the IPv4 rules (no leading zeros), and `::1.2.3.4`
 * stays `::102:304` (ipaddr.js alone reads it as the mapped `::ffff:102:304`).
 */
function embeddedQuadAsHex(text: string): string | undefined {
  const colon = text.lastIndexOf(':');
  const tail = text.slice(colon + 1);
  if (!tail.includes('.')) return text;
  if (!isDottedQuad(tail)) return undefined;
  const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
  return `${text.slice(0, colon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** Is `text` an IP address (not a host name)? */
export function isIpAddress(text: string): boolean {
  return parseAddress(text) !== undefined;
}

/**
 * Canonical text: dotted quad; RFC 5952 IPv6 (lower-case, zeros compressed), an IPv4-mapped
 * address with its IPv4 part dotted (`::ffff:1.2.3.4`, RFC 5952 §5).
 */
export function formatAddress(addr: IpAddress): string {
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    return `::ffff:${(addr as ipaddr.IPv6).toIPv4Address().toString()}`;
  return addr.toString();
}
