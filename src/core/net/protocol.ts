/**
 * IP protocols as vendors write them → one canonical spelling: the lower-case IANA keyword,
 * `icmpv6` for ICMP over IPv6 whatever the vendor calls it, `any` for every protocol.
 */

/** IANA protocol numbers seen in firewall exports (AWS IpProtocol, iptables `-p 47`, nft numbers). */
const PROTOCOL_NUMBERS: Readonly<Record<number, string>> = {
  1: 'icmp',
  2: 'igmp',
  4: 'ipip',
  6: 'tcp',
  17: 'udp',
  33: 'dccp',
  41: 'ipv6',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'icmpv6',
  89: 'ospf',
  103: 'pim',
  112: 'vrrp',
  132: 'sctp',
  136: 'udplite',
};

/** Every protocol: absent, `any`, `all` (iptables, AWS), `0` (iptables), `-1` (AWS). */
const ANY = new Set(['', 'any', 'all', '0', '-1']);
const ICMPV6 = new Set(['icmpv6', 'ipv6-icmp', 'icmp6']);

/**
 * `tcp`, `TCP`, `6` → `tcp`; `ipv6-icmp`/`icmp6`/`58` → `icmpv6`, and `icmp` too when the rule
 * is IPv6-only (pf writes `icmp` for both); numbers without a keyword stay numbers; every
 * protocol → `any`. Names not listed pass through lower-cased (`tcp/udp` stays `tcp/udp`).
 */
export function normalizeProtocol(value: string | number | null | undefined, family?: 'ipv4' | 'ipv6'): string {
  const text = String(value ?? '')
    .trim()
    .toLowerCase();
  if (ANY.has(text)) return 'any';
  const name = /^\d{1,3}$/.test(text) ? (PROTOCOL_NUMBERS[Number(text)] ?? text) : text;
  if (ICMPV6.has(name) || (name === 'icmp' && family === 'ipv6')) return 'icmpv6';
  return name;
}
