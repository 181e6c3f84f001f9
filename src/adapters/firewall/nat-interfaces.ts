/**
 * Which interfaces face the internet, read from the NAT rules when the request does not say
 * (iptables-save and nft dumps name none): a router masquerades (or SNATs) what leaves through
 * its internet interface and port-forwards (DNAT) what arrives on it. So the out-interface of a
 * MASQUERADE/SNAT rule (`-o eth0 -j MASQUERADE`, `oifname "eth0" masquerade`) and the
 * in-interface of a DNAT rule (`-i eth0 … -j DNAT`) are taken to face the internet — the DNAT
 * ones only when no MASQUERADE/SNAT names an interface: the masquerade is the stronger sign (a
 * port-forward for VPN users arrives on wg0, which does not face the internet). Negated
 * interfaces (Docker's `! -o docker0 -j MASQUERADE`: "every interface but the bridge") and
 * loopback name no internet interface and are left out; patterns (`ppp+`) are kept as written.
 * An explicit `?internetInterfaces=` always wins; what was inferred is said in a warning.
 */
import type { Warning } from '../types.js';
import type { FlatRule } from './iptables-flatten.js';
import type { Ifaces } from './iptables-match.js';

export interface Inferred {
  /** the interfaces, in order of first appearance; empty: the NAT rules name none */
  names: string[];
  /** one line per rule that named one, for the warning */
  evidence: string[];
}

/** The interfaces `snat` (POSTROUTING MASQUERADE/SNAT) and `dnat` (PREROUTING DNAT) rules name. */
export function inferInternetInterfaces(nat: readonly FlatRule[]): Inferred {
  const snat = fromRules(nat, 'snat');
  return snat.names.length > 0 ? snat : fromRules(nat, 'dnat');
}

function fromRules(nat: readonly FlatRule[], verdict: 'snat' | 'dnat'): Inferred {
  const names: string[] = [];
  const evidence: string[] = [];
  for (const r of nat) {
    if (!r.enabled || r.verdict !== verdict) continue;
    const named = positive(verdict === 'snat' ? r.match.oif : r.match.iif);
    if (named.length === 0) continue;
    for (const n of named) if (!names.includes(n)) names.push(n);
    const where = r.origin.line !== undefined ? `line ${r.origin.line}` : (r.origin.pointer ?? r.origin.part);
    const what = r.verdict === 'snat' ? 'masquerades or SNATs out of' : 'port-forwards (DNAT) traffic arriving on';
    evidence.push(`${where} ${what} ${named.join(', ')}`);
  }
  return { names, evidence };
}

function positive(ifaces: Ifaces | null): string[] {
  if (ifaces === null || ifaces.negated) return [];
  return ifaces.names.filter((n) => n !== 'lo');
}

/**
 * The internet interfaces to judge with: the request's when given, else the inferred ones (with
 * a warning), else null (unknown).
 */
export function resolveInternetInterfaces(
  requested: string[] | null | undefined,
  inferred: Inferred,
  part: string,
  warnings: Warning[],
): { internetInterfaces: string[] | null; from?: 'request' | 'nat-rules' } {
  if (requested) return { internetInterfaces: requested, from: 'request' };
  if (inferred.names.length === 0) return { internetInterfaces: null };
  const shown = inferred.evidence.slice(0, 5).join('; ');
  const more = inferred.evidence.length > 5 ? `; and ${inferred.evidence.length - 5} more` : '';
  warnings.push({
    code: 'internet_interfaces_inferred',
    message: `no ?internetInterfaces= given: ${inferred.names.join(', ')} taken to face the internet from the NAT rules (${shown}${more}); exposures judged on it carry assumed: ["internetInterfaces"]. Name the interfaces with ?internetInterfaces= to settle it.`,
    part,
  });
  return { internetInterfaces: inferred.names, from: 'nat-rules' };
}
