/**
 * Service names that firewall rules use in place of port numbers (`--dport ssh`, nft `http`,
 * pfSense/OPNsense port fields) → the port. One table for every adapter, IANA service names
 * (https://www.iana.org/assignments/service-names-port-numbers) plus the /etc/services aliases
 * the tools also print (`www`, `imap2`, `snmp-trap`). A name not listed is not a port.
 */

const SERVICES: ReadonlyMap<string, number> = new Map([
  ['ftp', 21],
  ['ssh', 22],
  ['telnet', 23],
  ['smtp', 25],
  ['domain', 53],
  ['bootps', 67],
  ['bootpc', 68],
  ['tftp', 69],
  ['http', 80],
  ['www', 80],
  ['kerberos', 88],
  ['pop3', 110],
  ['sunrpc', 111],
  ['ntp', 123],
  ['netbios-ns', 137],
  ['netbios-ssn', 139],
  ['imap', 143],
  ['imap2', 143],
  ['snmp', 161],
  ['snmptrap', 162],
  ['snmp-trap', 162],
  ['ldap', 389],
  ['https', 443],
  ['microsoft-ds', 445],
  ['isakmp', 500],
  ['syslog', 514],
  ['submission', 587],
  ['ldaps', 636],
  ['rsync', 873],
  ['imaps', 993],
  ['pop3s', 995],
  ['openvpn', 1194],
  ['ms-sql-s', 1433],
  ['radius', 1812],
  ['nfs', 2049],
  ['mysql', 3306],
  ['ms-wbt-server', 3389],
  ['postgresql', 5432],
  ['rfb', 5900],
  ['x11', 6000],
  ['http-alt', 8080],
]);

/** A port number (0–65535, decimal) or a service name → the port; undefined when it is neither. */
export function portNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : undefined;
  const text = value.trim().toLowerCase();
  if (/^\d{1,5}$/.test(text)) return portNumber(Number(text));
  return SERVICES.get(text);
}
