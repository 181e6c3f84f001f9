/**
 * `nft -j list ruleset` (libnftables JSON) → canonical firewall document (one device per export).
 *
 * - Rules: filter base chains (those with a `hook`) of the ip, ip6 and inet families on the
 *   input (inbound), forward and output hooks, flattened through jumps and gotos into regular
 *   chains (see iptables-flatten.ts). Family sets the "any" addresses: inet → both, ip → v4.
 * - Port-forwards: `dnat` reached from nat prerouting chains becomes a forward rule to the
 *   translated host and port, allowed when every forward filter chain of its family admits it.
 * - defaultInbound, per family (v4: ip + inet input chains, v6: ip6 + inet): `deny` when any of
 *   its input chains drops by default (the first accept/drop reached along a wholly unconditional
 *   path, through jumps; else the policy; absent = accept) — a packet must pass every base chain;
 *   a family with no input chain is unfiltered.
 *   `allow` when either family is let in, `deny` when both are dropped, `unknown` when the ruleset
 *   has no input chain at all.
 * - defaultOutbound: the same on the output hook; a ruleset with filter chains but none on output
 *   lets everything out (`allow`), one without any filter chain is `unknown`.
 * - Ids hash the rule's content: nft handles are renumbered on every boot and restore.
 * - Internet interfaces: `?internetInterfaces=`, else inferred from nat postrouting masquerade/snat
 *   out-interfaces and nat prerouting dnat in-interfaces (see nat-interfaces.ts), else unknown.
 * - No hostname or time in the export: instance and collectedAt are left to the request.
 */
import type { FirewallDevice, FirewallRule } from '../../schemas/canonical-types.js';
import type { Adapter, AdapterInput, AdapterResult, Warning } from '../types.js';
import { cidrFamily, type IpFamily } from '../../core/net/index.js';
import {
  emitPortForward,
  emitRule,
  uniqueIds,
  uniqueWarnings,
  type Direction,
  type EmitContext,
  type ForwardPath,
} from './iptables-emit.js';
import { effectiveDefault, FLATTEN_BUDGET, flattenChain, type ChainRule, type FlatRule } from './iptables-flatten.js';
import { ANY } from './iptables-match.js';
import { decodeNftRule } from './nftables-rule.js';
import { indexRuleset, tableKey, type NftChain, type NftFamily, type Ruleset } from './nftables-ruleset.js';
import { nftablesBodySchema } from './nftables-schema.js';
import { lookup } from '../common/lookup.js';
import { inferInternetInterfaces, resolveInternetInterfaces } from './nat-interfaces.js';

const SOURCE = 'nftables';
const DEVICE_ID = 'nftables';
const HOOKS = lookup<Direction>({ input: 'inbound', forward: 'forward', output: 'outbound' });
const FAMILY_OF: Record<NftFamily, IpFamily | null> = { ip: 'ipv4', ip6: 'ipv6', inet: null };

export const nftablesAdapter: Adapter<'firewall'> = {
  kind: 'firewall',
  source: SOURCE,
  parts: [
    { name: 'body', format: 'json', required: true, schema: nftablesBodySchema, description: 'nft -j list ruleset' },
  ],
  bodyPart: 'body',
  normalize,
};

interface Base {
  chain: NftChain;
  rules: Map<string, ChainRule[]>;
  flat: FlatRule[];
}

function normalize(input: AdapterInput): AdapterResult<'firewall'> {
  const warnings: Warning[] = [];
  const ruleset = indexRuleset(input.parts.body ?? [], warnings);
  const tables = decodeTables(ruleset, warnings);
  const budget = { left: FLATTEN_BUDGET };
  const bases: Base[] = ruleset.chains.filter(evaluated).map((chain) => {
    const rules = tables.get(tableKey(chain.family, chain.table))!;
    return {
      chain,
      rules,
      flat: flattenChain({ chains: rules, budget, warnings }, chain.name, { ...ANY, family: FAMILY_OF[chain.family] }),
    };
  });
  const nats = bases.filter((b) => b.chain.type === 'nat');
  const facing = resolveInternetInterfaces(
    input.context.internetInterfaces,
    inferInternetInterfaces(nats.flatMap((b) => b.flat)),
    'body',
    warnings,
  );
  const ctx: EmitContext = {
    device: DEVICE_ID,
    idPrefix: 'nft',
    internetInterfaces: facing.internetInterfaces,
    inferred: facing.from === 'nat-rules',
    exposures: new Map(),
  };
  const filters = bases.filter((b) => b.chain.type !== 'nat');
  const rules: FirewallRule[] = filters.flatMap((b) =>
    b.flat
      .filter((e) => e.verdict === 'accept' || e.verdict === 'drop')
      .flatMap((e) => emitRule(e, HOOKS[b.chain.hook!]!, ctx)),
  );
  const forward = filters.filter((b) => b.chain.hook === 'forward');
  for (const b of nats.filter((x) => x.chain.hook === 'prerouting')) {
    for (const e of b.flat.filter((x) => x.verdict === 'dnat')) {
      const family = e.match.family ?? dnatFamily(e);
      rules.push(...emitPortForward({ ...e, match: { ...e.match, family } }, forwardPaths(forward, family), ctx));
    }
  }
  return {
    document: { devices: [device(filters, ctx, warnings, facing.from)], rules: uniqueIds(rules) },
    warnings: uniqueWarnings(warnings),
  };
}

/**
 * The base chains that decide exposure: filter chains on input/forward/output, nat prerouting;
 * and nat postrouting, whose masquerade/snat out-interfaces tell the internet interfaces.
 */
function evaluated(c: NftChain): boolean {
  if (c.hook === undefined) return false;
  const type = c.type ?? 'filter';
  return (
    (type === 'filter' && Object.hasOwn(HOOKS, c.hook)) ||
    (type === 'nat' && (c.hook === 'prerouting' || c.hook === 'postrouting'))
  );
}

function decodeTables(ruleset: Ruleset, warnings: Warning[]): Map<string, Map<string, ChainRule[]>> {
  const tables = new Map<string, Map<string, ChainRule[]>>();
  for (const c of ruleset.chains) {
    const key = tableKey(c.family, c.table);
    if (!tables.has(key)) tables.set(key, new Map());
    tables.get(key)!.set(c.name, []);
  }
  for (const r of ruleset.rules) {
    const env = { family: r.family, table: r.table, sets: ruleset.sets, warnings };
    tables
      .get(tableKey(r.family, r.table))!
      .get(r.chain)!
      .push(...decodeNftRule(r, env));
  }
  return tables;
}

function dnatFamily(e: FlatRule): IpFamily {
  const first = e.dnat?.addresses?.find((a) => !a.startsWith('ref:'));
  return (first && cidrFamily(first)) || 'ipv4';
}

function covers(chain: NftChain, family: IpFamily): boolean {
  return chain.family === 'inet' || FAMILY_OF[chain.family] === family;
}

function forwardPaths(forward: readonly Base[], family: IpFamily): ForwardPath[] {
  return forward.filter((b) => covers(b.chain, family)).map((b) => ({ rules: b.flat, policy: policyOf(b.chain) }));
}

function policyOf(chain: NftChain): 'accept' | 'drop' | 'unknown' {
  const p = chain.policy ?? 'accept';
  return p === 'accept' || p === 'drop' ? p : 'unknown';
}

type FamilyDefault = 'accept' | 'drop' | 'unknown' | 'none';

/** Per family (v4: ip + inet chains, v6: ip6 + inet): drop if any chain on the hook drops by default — a packet must pass them all. */
function familyDefault(chains: readonly Base[], f: IpFamily): FamilyDefault {
  const defaults = chains.filter((b) => covers(b.chain, f)).map((b) => effectiveDefault(b.flat, policyOf(b.chain), f));
  if (defaults.length === 0) return 'none';
  if (defaults.includes('drop')) return 'drop';
  return defaults.every((d) => d === 'accept') ? 'accept' : 'unknown';
}

/** `allow` when either family is let through (a family no chain filters is), `deny` when both are dropped. */
function combine(v4: FamilyDefault, v6: FamilyDefault): 'allow' | 'deny' | 'unknown' {
  if ([v4, v6].some((d) => d === 'accept' || d === 'none')) return 'allow';
  return v4 === 'drop' && v6 === 'drop' ? 'deny' : 'unknown';
}

function device(
  filters: readonly Base[],
  ctx: EmitContext,
  warnings: Warning[],
  from: FirewallDevice['internetInterfacesFrom'],
): FirewallDevice {
  const inputs = filters.filter((b) => b.chain.hook === 'input');
  const v4 = familyDefault(inputs, 'ipv4');
  const v6 = familyDefault(inputs, 'ipv6');
  let defaultInbound: FirewallDevice['defaultInbound'] = 'unknown';
  if (v4 === 'none' && v6 === 'none')
    warnings.push({
      code: 'no_input_chain',
      message: 'the ruleset has no input base chain: defaultInbound is unknown',
      part: 'body',
    });
  else defaultInbound = combine(v4, v6);
  for (const [f, d] of [
    ['IPv4', v4],
    ['IPv6', v6],
  ] as const) {
    if (d === 'none' && inputs.length > 0)
      warnings.push({
        code: 'family_unfiltered',
        message: `no input chain filters ${f}: it is let in by default`,
        part: 'body',
      });
  }
  const origin = inputs.find((b) => policyOf(b.chain) === 'drop')?.chain.origin ??
    inputs[0]?.chain.origin ?? { part: 'body', pointer: '/nftables' };
  return {
    id: DEVICE_ID,
    source: SOURCE,
    name: 'nftables',
    defaultInbound,
    defaultOutbound: defaultOutbound(filters),
    internetInterfaces: ctx.internetInterfaces,
    ...(from ? { internetInterfacesFrom: from } : {}),
    origin,
  };
}

/**
 * The output hook read like the input hook, with one difference: a ruleset that filters (it has
 * filter base chains) but hooks no chain on output lets everything out — `allow`, not `unknown`
 * (`nft list ruleset` prints the whole ruleset, and nothing else filters what the host sends).
 * Without any filter base chain the export does not show the host's filtering: `unknown`.
 */
function defaultOutbound(filters: readonly Base[]): FirewallDevice['defaultInbound'] {
  if (filters.length === 0) return 'unknown';
  const outputs = filters.filter((b) => b.chain.hook === 'output');
  return combine(familyDefault(outputs, 'ipv4'), familyDefault(outputs, 'ipv6'));
}
