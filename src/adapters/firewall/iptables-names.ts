/**
 * Protocol and service names as iptables and nft write them → the canonical spelling
 * (lower-case protocol names, port numbers). Shared by the iptables-save and nftables adapters.
 */
import { lookup } from '../common/lookup.js';

const PROTOCOL_NUMBERS: Record<number, string> = {
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

/** `tcp`, `TCP`, `6` → `tcp`; `ipv6-icmp`/`icmp6` → `icmpv6`; `all`/`0` → null (any protocol). */
export function normalizeProtocol(value: string | number): string | null {
  const text = String(value).trim().toLowerCase();
  if (text === 'all' || text === '0' || text === 'any') return null;
  if (/^\d{1,3}$/.test(text)) return PROTOCOL_NUMBERS[Number(text)] ?? text;
  if (text === 'ipv6-icmp' || text === 'icmp6') return 'icmpv6';
  return text;
}

/** /etc/services names seen in firewall rules (`nft -S`, iptables `--dport ssh`). */
const SERVICES = lookup<number>({
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  http: 80,
  www: 80,
  pop3: 110,
  sunrpc: 111,
  ntp: 123,
  'netbios-ns': 137,
  'netbios-ssn': 139,
  imap: 143,
  imap2: 143,
  snmp: 161,
  'snmp-trap': 162,
  ldap: 389,
  https: 443,
  'microsoft-ds': 445,
  submission: 587,
  ldaps: 636,
  imaps: 993,
  pop3s: 995,
  'ms-sql-s': 1433,
  openvpn: 1194,
  nfs: 2049,
  mysql: 3306,
  'ms-wbt-server': 3389,
  postgresql: 5432,
  x11: 6000,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  syslog: 514,
  'http-alt': 8080,
  rsync: 873,
});

/** A port number or service name → its number; undefined when it is neither. */
export function portNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : undefined;
  const text = value.trim().toLowerCase();
  if (/^\d{1,5}$/.test(text)) return portNumber(Number(text));
  return Object.hasOwn(SERVICES, text) ? SERVICES[text] : undefined;
}
