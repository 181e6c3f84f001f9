/**
 * Unrestricted egress, as firewall.egress-restricted (rules/checks/firewall/egress-restricted.yaml)
 * defines it — keep the two in step: enabled outbound allow rules to any destination on every port
 * that carry TCP and UDP between them (protocol `any`, `tcp/udp`, or a `tcp` rule and a `udp` rule).
 * Used where an adapter must sum a device's egress up itself (AWS: see aws-security-groups.ts).
 */
import type { FirewallRule } from '../../schemas/canonical-types.js';

const ANY_DESTINATION = new Set(['0.0.0.0/0', '::/0']);

function toAnywhere(r: FirewallRule): boolean {
  return (
    r.destinations.some((d) => ANY_DESTINATION.has(d)) ||
    (r.destinations.length > 0 && r.destinations.every((d) => d.startsWith('!') && !d.endsWith('/0')))
  );
}

function everyPort(r: FirewallRule): boolean {
  return r.ports.length === 0 || r.ports.some((p) => p.from <= 1 && p.to >= 65535);
}

function carries(r: FirewallRule, names: readonly string[]): boolean {
  return r.protocol === 'any' || r.protocol.split('/').some((p) => names.includes(p));
}

export function allowsAllOutbound(rules: readonly FirewallRule[]): boolean {
  const open = rules.filter(
    (r) => r.enabled && r.action === 'allow' && r.direction === 'outbound' && everyPort(r) && toAnywhere(r),
  );
  return open.some((r) => carries(r, ['tcp', '6'])) && open.some((r) => carries(r, ['udp', '17']));
}
