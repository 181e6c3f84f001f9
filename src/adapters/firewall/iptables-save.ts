/**
 * `iptables-save` / `ip6tables-save` text → canonical firewall document (one device per export).
 *
 * - Rules: the filter table's INPUT (inbound), FORWARD (forward) and OUTPUT (outbound) chains,
 *   flattened through jumps (see iptables-flatten.ts); mangle, raw and security are ignored.
 * - Port-forwards: DNAT reached from nat PREROUTING becomes a forward rule to the translated
 *   host and port, allowed when FORWARD admits it (see emitPortForward).
 * - defaultInbound (defaultOutbound): per family, the first accept/drop reached from filter INPUT
 *   (OUTPUT) along a wholly unconditional path (a trailing `-j REJECT`, a `-j LOG_DROP` chain),
 *   else its policy; `allow` if any family allows, `deny` if all deny, `unknown` without a filter
 *   table (or when iptables-nft says the table is incomplete).
 * - The export names no host: instance is left to `?instance=`. Its `# Generated … on <time>` line
 *   is the collection time, read as UTC with a warning (it has no zone; iptables-stamp.ts);
 *   it comes before X-Collected-At. Which interfaces face the internet comes from
 *   `?internetInterfaces=`, else from the nat table (see nat-interfaces.ts: the out-interface of
 *   POSTROUTING MASQUERADE/SNAT, the in-interface of PREROUTING DNAT, with a warning), else null
 *   (unknown).
 * - Syntax errors → 400 with the 1-based line (and page when several dumps were posted).
 */
import type { FirewallDevice, FirewallDocument, Origin } from '../../schemas/canonical-types.js';
import {
  AdapterInputError,
  type Adapter,
  type AdapterInput,
  type AdapterResult,
  type Page,
  type Warning,
} from '../types.js';
import { decodeTable, policyOf, type DecodedTable, type Loc } from './iptables-chains.js';
import {
  emitPortForward,
  emitRule,
  uniqueIds,
  uniqueWarnings,
  type Direction,
  type EmitContext,
  type ForwardPath,
} from './iptables-emit.js';
import { effectiveDefault, FLATTEN_BUDGET, flattenChain, type FlatRule } from './iptables-flatten.js';
import { ANY } from './iptables-match.js';
import { parseDump } from './iptables-parse.js';
import { inferInternetInterfaces, resolveInternetInterfaces } from './nat-interfaces.js';
import { exportStamp } from './iptables-stamp.js';

const SOURCE = 'iptables-save';
const DEVICE_ID = 'iptables';
const DIRECTIONS: [string, Direction][] = [
  ['INPUT', 'inbound'],
  ['FORWARD', 'forward'],
  ['OUTPUT', 'outbound'],
];

export const iptablesSaveAdapter: Adapter<'firewall'> = {
  kind: 'firewall',
  source: SOURCE,
  parts: [
    {
      name: 'body',
      format: 'text',
      required: true,
      description: 'iptables-save or ip6tables-save output (both may follow each other)',
    },
  ],
  bodyPart: 'body',
  normalize,
};

interface FilterTable {
  table: DecodedTable;
  /** flattened INPUT, FORWARD and OUTPUT */
  chains: Map<string, FlatRule[]>;
}

function normalize(input: AdapterInput): AdapterResult<'firewall'> {
  const pages = input.parts.body ?? [];
  const warnings: Warning[] = [];
  const tables = pages.flatMap((page) => readPage(page, pages.length > 1, warnings));
  const budget = { left: FLATTEN_BUDGET };
  const flatten = (t: DecodedTable, chain: string) =>
    flattenChain({ chains: t.chains, budget, warnings }, chain, { ...ANY, family: t.family });
  const filters: FilterTable[] = tables
    .filter((t) => t.raw.name === 'filter')
    .map((t) => ({ table: t, chains: new Map(DIRECTIONS.map(([c]) => [c, flatten(t, c)])) }));
  const nats = tables
    .filter((t) => t.raw.name === 'nat')
    .map((t) => ({ table: t, prerouting: flatten(t, 'PREROUTING'), postrouting: flatten(t, 'POSTROUTING') }));
  const facing = resolveInternetInterfaces(
    input.context.internetInterfaces,
    inferInternetInterfaces(nats.flatMap((n) => [...n.postrouting, ...n.prerouting])),
    'body',
    warnings,
  );
  const ctx: EmitContext = {
    device: DEVICE_ID,
    idPrefix: 'ipt',
    internetInterfaces: facing.internetInterfaces,
    inferred: facing.from === 'nat-rules',
    exposures: new Map(),
  };
  const rules = filters.flatMap((f) =>
    DIRECTIONS.flatMap(([c, direction]) => f.chains.get(c)!.flatMap((e) => emitRule(e, direction, ctx))),
  );
  for (const n of nats) {
    const forward: ForwardPath[] = filters
      .filter((f) => f.table.family === n.table.family)
      .map((f) => ({ rules: f.chains.get('FORWARD')!, policy: policyOf(f.table.raw, 'FORWARD') }));
    for (const entry of n.prerouting) {
      if (entry.verdict === 'dnat') rules.push(...emitPortForward(entry, forward, ctx));
    }
  }
  if (tables.length === 0) warnings.push({ code: 'empty_export', message: 'the export holds no table', part: 'body' });
  const document: FirewallDocument = { devices: [device(filters, ctx, facing.from)], rules: uniqueIds(rules) };
  const stamp = exportStamp(pages, warnings);
  return { document, warnings: uniqueWarnings(warnings), ...stamp };
}

function readPage(page: Page, multi: boolean, warnings: Warning[]): DecodedTable[] {
  const loc: Loc = multi ? { part: page.part, page: page.page } : { part: page.part };
  if (typeof page.value !== 'string')
    throw new AdapterInputError(422, [{ message: 'expected the text of an iptables-save export', ...loc }]);
  return parseDump(page.value, loc, warnings).map((raw) => decodeTable(raw, loc, warnings));
}

function device(
  filters: readonly FilterTable[],
  ctx: EmitContext,
  from: FirewallDevice['internetInterfacesFrom'],
): FirewallDevice {
  const first = filters[0]?.table;
  const origin: Origin = first
    ? { ...first.loc, line: first.raw.chains.get('INPUT')?.line ?? first.raw.line }
    : { part: 'body', line: 1 };
  return {
    id: DEVICE_ID,
    source: SOURCE,
    name: 'iptables',
    defaultInbound: defaultOf(filters, 'INPUT'),
    defaultOutbound: defaultOf(filters, 'OUTPUT'),
    internetInterfaces: ctx.internetInterfaces,
    ...(from ? { internetInterfacesFrom: from } : {}),
    origin,
  };
}

/** `allow` if any family's chain lets traffic through by default, `deny` if all drop it, else `unknown`. */
function defaultOf(filters: readonly FilterTable[], chain: 'INPUT' | 'OUTPUT'): 'allow' | 'deny' | 'unknown' {
  const defaults = filters.map((f) =>
    f.table.raw.incomplete
      ? 'unknown'
      : effectiveDefault(f.chains.get(chain)!, policyOf(f.table.raw, chain), f.table.family),
  );
  if (defaults.includes('accept')) return 'allow';
  return defaults.length > 0 && defaults.every((d) => d === 'drop') ? 'deny' : 'unknown';
}
