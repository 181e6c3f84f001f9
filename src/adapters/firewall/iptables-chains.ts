/**
 * A parsed iptables table → its chains of decoded rules, ready to flatten. A rule's content (the
 * id's input) is its family, table, chain and arguments — not its position, not its counters.
 */
import type { Origin } from '../../schemas/canonical-types.js';
import type { Warning } from '../types.js';
import type { IpFamily } from '../../core/net/index.js';
import type { ChainRule } from './iptables-flatten.js';
import { OptionError, parseOptions } from './iptables-options.js';
import { fail, type RawTable } from './iptables-parse.js';
import { decodeRule, inferFamily } from './iptables-rule.js';

export interface Loc {
  part: string;
  page?: number;
}

export interface DecodedTable {
  raw: RawTable;
  loc: Loc;
  family: IpFamily;
  chains: Map<string, ChainRule[]>;
}

export function decodeTable(raw: RawTable, loc: Loc, warnings: Warning[]): DecodedTable {
  const family = raw.family ?? inferFamily(raw.rules.flatMap((r) => r.args.map((a) => a.text))) ?? 'ipv4';
  const chains = new Map<string, ChainRule[]>([...raw.chains.keys()].map((c) => [c, []]));
  const names = new Set(raw.chains.keys());
  for (const rule of raw.rules) {
    const origin: Origin = { ...loc, line: rule.line };
    let opts: ReturnType<typeof parseOptions>;
    try {
      opts = parseOptions(rule.args);
    } catch (e) {
      if (e instanceof OptionError) fail(e.message, loc, rule.line);
      throw e;
    }
    const decoded = decodeRule(opts, { table: raw.name, chains: names, origin, warnings });
    chains.get(rule.chain)!.push({
      ...decoded,
      log: false,
      origin,
      content: { family, table: raw.name, chain: rule.chain, args: rule.args.map((a) => a.text) },
    });
  }
  return { raw, loc, family, chains };
}

/** `ACCEPT` → accept, `DROP`/`REJECT` → drop; anything else, undeclared, or an incomplete table → unknown. */
export function policyOf(table: RawTable, chain: string): 'accept' | 'drop' | 'unknown' {
  if (table.incomplete) return 'unknown';
  const p = table.chains.get(chain)?.policy;
  if (p === 'ACCEPT') return 'accept';
  return p === 'DROP' || p === 'REJECT' ? 'drop' : 'unknown';
}
