/**
 * What pfSense and OPNsense config.xml share: interfaces and which face the internet, aliases,
 * address and port resolution, the legacy `<filter><rule>` shape, NAT port-forwards and the
 * emission of canonical rules. The two adapters differ only in their `PfDialect`.
 *
 * Decisions (README):
 * - Internet-facing interfaces: `wan`, every interface whose IPv4/IPv6 address is obtained
 *   dynamically from an upstream (dhcp, pppoe, pptp, l2tp, ppp, dhcp6, slaac, 6rd, 6to4) or that
 *   names an upstream gateway (`<gateway>`/`<gatewayv6>`) — pfSense's own "WAN-type interface"
 *   test — and every interface group with such a member. None found → `?internetInterfaces=`,
 *   else unknown (null). VPN pseudo-interfaces (openvpn, enc0, l2tp, pppoe) are not internet-facing.
 * - Direction: interface rules filter traffic entering the interface → `inbound` for every
 *   interface (wan, lan, optN alike); floating/MVC `direction out` → `outbound`; `any` → `inbound`.
 * - A rule on several interfaces (floating, OPNsense multi-interface) → one canonical rule per
 *   interface, id `<vendor id>@<interface>`.
 * - Addresses of dynamically addressed interfaces (`wanip`, `wan` net on DHCP/PPPoE, a DHCP
 *   LAN's "LAN net", `(self)`) and of interfaces whose addresses the export does not state
 *   cannot be known offline → `ref:<name>` with a warning: exposure `unknown`, never "any".
 * - Addresses, ranges, ports and protocols are read by core/net, as in every adapter: a
 *   leading-zero octet (`010.1.1.1`) is not an address (→ `ref:` with a warning), a mask
 *   (`10.0.0.0/255.0.0.0`, which the GUI never writes) is read as its length, host bits are cleared.
 * - A negated multi-entry alias becomes one `!CIDR` per entry (read: "none of these").
 * - An unresolvable port (unknown alias or service name) → all ports, with a warning.
 * - Port-forwards: the paired filter rule (same `associated-rule-id`) takes the NAT target as its
 *   destinations and the redirect target port range as its ports; `associated-rule-id` `pass`
 *   (OPNsense also `pass`/`rule` in `<pass>`) → a synthetic allow rule `nat:<id>`; disabled or
 *   `nordr` NAT rules create nothing; a NAT rule whose paired filter rule is missing → warning.
 * - Rules with an action we cannot express (`match`, unknown) are skipped with a warning; a legacy
 *   rule without `<type>` (pfSense writes none on a port-forward's filter rule) passes.
 */
import { uniqueIdAllocator } from '../common/unique-ids.js';
import { type IpFamily, normalizeCidr, normalizeProtocol, parseRange, portNumber } from '../../core/net/index.js';
import type { FirewallDevice, FirewallRule } from '../../schemas/canonical-types.js';
import { toIsoTime } from '../common/time.js';
import { AdapterInputError, type AdapterInput, type AdapterResult, type Warning } from '../types.js';
import {
  childNames,
  children,
  element,
  isElement,
  parseConfigXml,
  path,
  present,
  text,
  value,
  type ParsedXml,
  type XmlElement,
  type XmlNode,
} from './config-xml.js';
import { ASSUMED_INTERNET_INTERFACES, computeExposure, contentId, interfaceFacing } from './exposure.js';

export type Family = 'inet' | 'inet6' | 'inet46';
export type PortRange = { from: number; to: number };

/** What differs between pfSense and OPNsense. */
export interface PfDialect {
  source: 'pfsense' | 'opnsense';
  rootName: string;
  /** a boolean element: pfSense is presence-only (`isset`); OPNsense also writes `1`/`0` */
  flag(node: XmlNode | undefined, name: string): boolean;
  ruleId(rule: XmlElement): string | undefined;
  natId(rule: XmlElement): string | undefined;
  /** the port-forward passes traffic itself (no separate filter rule) */
  natPasses(rule: XmlElement): boolean;
  aliasNodes(root: XmlElement): XmlNode[];
  /** rules beyond the legacy `<filter><rule>` list (OPNsense MVC) */
  extraRules?(ctx: PfContext): RuleDraft[];
}

/** A rule before it is split per interface and given its id and exposure. */
export interface RuleDraft {
  vendorId?: string;
  interfaces: (string | null)[];
  enabled: boolean;
  action: FirewallRule['action'];
  direction: FirewallRule['direction'];
  protocol: string;
  sources: string[];
  destinations: string[];
  ports: PortRange[];
  log: boolean;
  description: string | null;
  line?: number;
  /** the `associated-rule-id` pairing a filter rule to a NAT port-forward */
  natAssoc?: string;
  /**
   * First-match facts (legacy `<filter>` rules only; absent: the rule takes no part in the
   * first-match analysis): a floating rule, its `quick`, the raw direction (`any` covers in and
   * out), the address family, and the match conditions the adapter does not decode (`tagged`, a
   * schedule, a source port…), which keep a rule from ever being an unconditional verdict.
   */
  order?: { floating: boolean; quick: boolean; direction: 'in' | 'out' | 'any'; family: Family; undecoded: string[] };
}

interface Iface {
  v4?: StaticAddr | 'dynamic';
  v6?: StaticAddr | 'dynamic';
  wanType: boolean;
}
interface StaticAddr {
  host: string;
  net: string;
}
interface AliasDef {
  type: string;
  entries: string[];
  enabled: boolean;
  line?: number;
}

/** Everything read once per config.xml, shared by every rule. */
export interface PfContext {
  dialect: PfDialect;
  part: string;
  xml: ParsedXml;
  root: XmlElement;
  interfaces: Map<string, Iface>;
  aliases: Map<string, AliasDef>;
  internetInterfaces: string[] | null;
  /** where internetInterfaces came from: the export (WAN-type interfaces) or `?internetInterfaces=` */
  internetInterfacesFrom?: 'export' | 'request';
  warn(code: string, message: string, line?: number): void;
  /** resolved aliases (null: unresolvable) and the ones being resolved (cycle detection) */
  memo: Map<string, string[] | PortRange[] | null>;
  resolving: Set<string>;
}

const ANY4 = '0.0.0.0/0';
const ANY6 = '::/0';
const DYNAMIC4 = new Set(['dhcp', 'pppoe', 'pptp', 'l2tp', 'ppp']);
const DYNAMIC6 = new Set(['dhcp6', 'slaac', '6rd', '6to4']);
const ADDRESS_ALIAS = new Set(['host', 'network', 'networkgroup']);
const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'tcp/udp']);
/** NOTE: bounds the work a hostile alias graph can cause (aliases are memoised, this caps each). */
const MAX_ALIAS_ENTRIES = 4096;
const ALIAS_DEPTH = 32;
/** Elements that repeat in a config.xml wherever they occur: always arrays in the parsed tree. */
export const PF_ARRAY_TAGS: ReadonlySet<string> = new Set([
  'rule',
  'alias',
  'gateway_item',
  'ifgroupentry',
  'vip',
  'user',
  'group',
  'item',
  'revision',
]);

// ---------------------------------------------------------------- entry point

/** Normalise one config.xml (the `body` part) with the given dialect. */
export function normalizePfConfig(input: AdapterInput, dialect: PfDialect): AdapterResult<'firewall'> {
  const pages = input.parts.body ?? [];
  const part = 'body';
  const xml = parseConfigXml(typeof pages[0]?.value === 'string' ? pages[0].value : '', {
    part,
    arrayTags: PF_ARRAY_TAGS,
    arrayParents: new Set(['interfaces']),
  });
  if (xml.rootName !== dialect.rootName) {
    const root = xml.rootName.slice(0, 64);
    throw new AdapterInputError(422, [
      {
        message: `the root element is <${root}>, not <${dialect.rootName}>: not a ${dialect.source} config.xml`,
        part,
        line: 1,
      },
    ]);
  }
  const warnings: Warning[] = [];
  const ctx = buildContext(xml, dialect, part, warnings, input.context.internetInterfaces);
  if (pages.length > 1)
    ctx.warn(
      'extra_pages_ignored',
      `config.xml is one document: only the first of the ${pages.length} copies of the part is read`,
    );
  const device = deviceOf(ctx);
  const nat = readNat(ctx);
  const drafts = [...legacyRules(ctx, nat), ...(dialect.extraRules?.(ctx) ?? []), ...nat.synthetic];
  const rules = emitRules(ctx, device.id, drafts, shadowedRules(drafts));
  warnUnpaired(ctx, nat, new Set(drafts.map((d) => d.natAssoc)));
  const hostname = value(path(ctx.root, 'system'), 'hostname');
  return {
    document: { devices: [device], rules },
    warnings,
    ...(hostname ? { instance: hostname } : {}),
    ...configChangedAt(ctx.root),
  };
}

function warnUnpaired(ctx: PfContext, nat: NatIndex, paired: ReadonlySet<string | undefined>): void {
  for (const [assoc, line] of nat.pending) {
    if (paired.has(assoc)) continue;
    ctx.warn(
      'nat_rule_unpaired',
      `a port-forward names filter rule ${assoc}, which is not in the export: it creates no exposure`,
      line,
    );
  }
}

function buildContext(
  xml: ParsedXml,
  dialect: PfDialect,
  part: string,
  warnings: Warning[],
  fallback?: string[],
): PfContext {
  const seen = new Set<string>();
  const warn = (code: string, text: string, line?: number) => {
    const message = text.length > 300 ? `${text.slice(0, 299)}…` : text; // names come from the input
    const key = `${code}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    warnings.push(line === undefined ? { code, message, part } : { code, message, part, line });
  };
  const root = xml.root;
  const interfaces = readInterfaces(root);
  const ctx: PfContext = {
    dialect,
    part,
    xml,
    root,
    interfaces,
    aliases: new Map(),
    internetInterfaces: null,
    warn,
    memo: new Map(),
    resolving: new Set(),
  };
  readAliases(ctx, dialect.aliasNodes(root));
  const facing = internetFacing(root, interfaces);
  ctx.internetInterfaces = facing.length > 0 ? facing : (fallback ?? null);
  if (facing.length > 0) ctx.internetInterfacesFrom = 'export';
  else if (fallback) ctx.internetInterfacesFrom = 'request';
  return ctx;
}

function deviceOf(ctx: PfContext): FirewallDevice {
  const system = path(ctx.root, 'system');
  const host = value(system, 'hostname');
  const domain = value(system, 'domain');
  const name = host ? (domain ? `${host}.${domain}` : host) : ctx.dialect.source;
  const line = ctx.xml.lineOf(system);
  return {
    id: name,
    source: ctx.dialect.source,
    name,
    // pf-based firewalls end every interface's rules with an implicit block
    defaultInbound: 'deny',
    internetInterfaces: ctx.internetInterfaces,
    ...(ctx.internetInterfacesFrom ? { internetInterfacesFrom: ctx.internetInterfacesFrom } : {}),
    origin: line === undefined ? { part: ctx.part } : { part: ctx.part, line },
  };
}

/**
 * The newest `revision/time` (epoch seconds; OPNsense writes a fraction): when the configuration
 * last changed — not when it was exported (a config unchanged for a year is exported today).
 */
function configChangedAt(root: XmlElement): { configChangedAt?: string } {
  let best: number | undefined;
  for (const rev of children(root, 'revision')) {
    const t = Number(value(rev, 'time'));
    if (Number.isFinite(t) && t > 0 && (best === undefined || t > best)) best = t;
  }
  const iso = best === undefined ? undefined : toIsoTime(best, 's');
  return iso ? { configChangedAt: iso } : {};
}

// ---------------------------------------------------------------- interfaces

function readInterfaces(root: XmlElement): Map<string, Iface> {
  const out = new Map<string, Iface>();
  const ifs = element(root, 'interfaces');
  for (const name of childNames(ifs)) {
    const node = children(ifs, name)[0];
    if (out.has(name)) continue;
    const ip4 = value(node, 'ipaddr');
    const ip6 = value(node, 'ipaddrv6');
    out.set(name, {
      v4: staticOrDynamic(ip4, value(node, 'subnet'), 32),
      v6: staticOrDynamic(ip6, value(node, 'subnetv6'), 128),
      wanType:
        name === 'wan' ||
        DYNAMIC4.has(ip4 ?? '') ||
        DYNAMIC6.has(ip6 ?? '') ||
        value(node, 'gateway') !== undefined ||
        value(node, 'gatewayv6') !== undefined,
    });
  }
  return out;
}

function staticOrDynamic(
  ip: string | undefined,
  bits: string | undefined,
  max: number,
): StaticAddr | 'dynamic' | undefined {
  if (ip === undefined || ip === 'none') return undefined;
  const host = normalizeCidr(ip);
  if (host === undefined) return 'dynamic';
  const len = bits !== undefined && /^\d{1,3}$/.test(bits) ? Number(bits) : max;
  const net = normalizeCidr(`${ip}/${len}`);
  return net === undefined ? 'dynamic' : { host, net };
}

function internetFacing(root: XmlElement, interfaces: Map<string, Iface>): string[] {
  const wan = [...interfaces].filter(([, i]) => i.wanType).map(([n]) => n);
  for (const g of children(element(root, 'ifgroups'), 'ifgroupentry')) {
    const name = value(g, 'ifname');
    const members = (value(g, 'members') ?? '').split(/\s+/);
    if (name && members.some((m) => wan.includes(m)) && !wan.includes(name)) wan.push(name);
  }
  return wan;
}

// ---------------------------------------------------------------- aliases and addresses

function readAliases(ctx: PfContext, nodes: XmlNode[]): void {
  for (const node of nodes) {
    const name = value(node, 'name');
    if (!name) continue;
    if (ctx.aliases.has(name)) {
      ctx.warn(
        'duplicate_alias',
        `alias ${name} is defined more than once; the first definition is used`,
        ctx.xml.lineOf(node),
      );
      continue;
    }
    const content = text(node, 'content');
    const raw = content !== undefined ? content.split(/[\n,]+/) : (text(node, 'address') ?? '').split(/\s+/);
    const enabled = text(node, 'enabled');
    ctx.aliases.set(name, {
      type: (value(node, 'type') ?? '').toLowerCase(),
      entries: raw.map((e) => e.trim()).filter((e) => e !== ''),
      enabled: enabled === undefined || enabled.trim() !== '0',
      line: ctx.xml.lineOf(node),
    });
  }
}

/** `ipprotocol` → address family; absent is IPv4 (pfSense's default), an unknown value both families. */
export function familyOf(ipprotocol: string | undefined): Family {
  if (ipprotocol === undefined || ipprotocol === 'inet') return 'inet';
  return ipprotocol === 'inet6' ? 'inet6' : 'inet46';
}

function anyOf(family: Family): string[] {
  return family === 'inet' ? [ANY4] : family === 'inet6' ? [ANY6] : [ANY4, ANY6];
}

function fits(cidr: string, family: Family): boolean {
  return family === 'inet46' || (family === 'inet6') === cidr.includes(':');
}

/**
 * Resolve address tokens (`any`, IP, CIDR, range `a-b` of either family, alias, interface network
 * `lan`, interface address `lanip`, `(self)`, OPNsense `__lan_network`) to CIDRs of the rule's
 * family, `ref:` for what cannot be resolved offline. `negate` applies the rule's `not`.
 */
export function resolveAddresses(
  ctx: PfContext,
  tokens: string[],
  family: Family,
  negate: boolean,
  line?: number,
): string[] {
  const out = new Set<string>();
  for (const t of tokens) if (t !== '') for (const a of resolveToken(ctx, t, family, line, 0)) out.add(a);
  if (!negate) return [...out];
  return [...out].flatMap((a) => {
    if (a.startsWith('ref:')) return [`ref:!${a.slice(4)}`];
    return a === ANY4 || a === ANY6 ? [] : [`!${a}`];
  });
}

function resolveToken(
  ctx: PfContext,
  token: string,
  family: Family,
  line: number | undefined,
  depth: number,
): string[] {
  if (token === 'any' || token === '*') return anyOf(family);
  const cidr = normalizeCidr(token);
  if (cidr !== undefined) return fits(cidr, family) ? [cidr] : [];
  const range = parseRange(token);
  if (range !== undefined) return range.filter((c) => fits(c, family));
  if (ctx.aliases.has(token)) return resolveAlias(ctx, token, family, line, depth);
  const iface = resolveInterfaceToken(ctx, token, family);
  if (iface !== undefined) {
    if (iface.some((a) => a.startsWith('ref:'))) {
      ctx.warn(
        'dynamic_interface_address',
        `${token} names an address that cannot be known offline (assigned dynamically by DHCP, PPPoE or prefix tracking, or not in the export)`,
        line,
      );
    }
    return iface;
  }
  const kind = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(token) ? 'host name (resolved by DNS at run time)' : 'reference';
  ctx.warn('unresolved_reference', `${token}: unresolved ${kind}`, line);
  return [`ref:${token}`];
}

function resolveAlias(ctx: PfContext, name: string, family: Family, line: number | undefined, depth: number): string[] {
  const key = `a:${family}:${name}`;
  const cached = ctx.memo.get(key);
  if (cached !== undefined) return (cached as string[] | null) ?? [`ref:${name}`];
  const alias = ctx.aliases.get(name)!;
  const at = alias.line ?? line;
  const why = aliasProblem(ctx, alias, key, depth);
  if (why === undefined) {
    ctx.resolving.add(key);
    const out = new Set<string>();
    for (const e of alias.entries) for (const a of resolveToken(ctx, e, family, at, depth + 1)) out.add(a);
    ctx.resolving.delete(key);
    const ok = out.size <= MAX_ALIAS_ENTRIES;
    if (!ok) ctx.warn('unresolved_alias', `alias ${name} expands to more than ${MAX_ALIAS_ENTRIES} entries`, at);
    ctx.memo.set(key, ok ? [...out] : null);
    return ok ? [...out] : [`ref:${name}`];
  }
  ctx.warn('unresolved_alias', `alias ${name} ${why}`, at);
  if (!ctx.resolving.has(key)) ctx.memo.set(key, null);
  return [`ref:${name}`];
}

function aliasProblem(ctx: PfContext, alias: AliasDef, key: string, depth: number): string | undefined {
  if (ctx.resolving.has(key)) return 'refers back to itself';
  if (!alias.enabled) return 'is disabled';
  if (depth > ALIAS_DEPTH) return 'nests too deep';
  if (alias.type === 'port') return 'is a port alias used as an address';
  if (!ADDRESS_ALIAS.has(alias.type)) return `has type ${alias.type || '(none)'}, which cannot be resolved offline`;
  return undefined;
}

function resolveInterfaceToken(ctx: PfContext, token: string, family: Family): string[] | undefined {
  if (token === '(self)' || token === 'self') {
    const all = [...ctx.interfaces.keys()].flatMap((n) => interfaceAddrs(ctx, n, 'host', family, token));
    return all.length > 0 ? [...new Set(all)] : [`ref:${token}`];
  }
  const net = /^__(.+)_network$/.exec(token)?.[1] ?? token;
  if (ctx.interfaces.has(net)) return interfaceAddrs(ctx, net, 'net', family, token);
  if (token.endsWith('ip') && ctx.interfaces.has(token.slice(0, -2))) {
    return interfaceAddrs(ctx, token.slice(0, -2), 'host', family, token);
  }
  return undefined;
}

function interfaceAddrs(ctx: PfContext, name: string, kind: 'host' | 'net', family: Family, token: string): string[] {
  const i = ctx.interfaces.get(name)!;
  // an interface whose addresses the export does not state: its net or address is unknown, never "nothing"
  if (i.v4 === undefined && i.v6 === undefined) return [`ref:${token}`];
  const out: string[] = [];
  for (const [fam, a] of [
    ['inet', i.v4],
    ['inet6', i.v6],
  ] as const) {
    if (a === undefined || (family !== 'inet46' && family !== fam)) continue;
    out.push(a === 'dynamic' ? `ref:${token}` : a[kind]);
  }
  return out;
}

// ---------------------------------------------------------------- ports

/**
 * Destination ports of a rule: `22`, `8000-8100`, `8000:8100`, a service name, a port alias
 * (nested, `:` ranges), comma lists. `[]` = every port (also when the protocol has no ports).
 */
export function resolvePorts(ctx: PfContext, spec: string | undefined, protocol: string, line?: number): PortRange[] {
  if (spec === undefined || !PORT_PROTOCOLS.has(protocol)) return [];
  const out = portTokens(
    ctx,
    spec.split(/[\s,]+/).filter((t) => t !== ''),
    line,
    0,
  );
  return out ?? [];
}

function portTokens(ctx: PfContext, tokens: string[], line: number | undefined, depth: number): PortRange[] | null {
  const out: PortRange[] = [];
  for (const t of tokens) {
    const r = portToken(ctx, t, line, depth);
    if (r === null) return null; // one token matches every port
    out.push(...r);
  }
  return out;
}

function portToken(ctx: PfContext, token: string, line: number | undefined, depth: number): PortRange[] | null {
  if (token === 'any') return null;
  const single = portNumber(token);
  if (single !== undefined) return [{ from: single, to: single }];
  const m = /^(\d{1,5})\s*[-:]\s*(\d{1,5})$/.exec(token);
  const [from, to] = [portNumber(m?.[1] ?? ''), portNumber(m?.[2] ?? '')];
  if (from !== undefined && to !== undefined) return [{ from: Math.min(from, to), to: Math.max(from, to) }];
  const alias = ctx.aliases.get(token);
  const key = `p:${token}`;
  if (alias?.type === 'port' && alias.enabled && depth <= ALIAS_DEPTH && !ctx.resolving.has(key)) {
    if (ctx.memo.has(key)) return ctx.memo.get(key) as PortRange[] | null;
    ctx.resolving.add(key);
    const r = portTokens(ctx, alias.entries, alias.line ?? line, depth + 1);
    ctx.resolving.delete(key);
    ctx.memo.set(key, r);
    return r;
  }
  ctx.warn('unresolved_port', `port ${token} cannot be resolved; the rule is read as matching every port`, line);
  return null;
}

// ---------------------------------------------------------------- rule fields

/** pass → allow, block/reject → deny; anything else (e.g. `match`) cannot be expressed: undefined + warning. */
export function actionOf(ctx: PfContext, type: string | undefined, line?: number): FirewallRule['action'] | undefined {
  const t = type?.toLowerCase();
  if (t === 'pass') return 'allow';
  if (t === 'block' || t === 'reject') return 'deny';
  ctx.warn(
    'rule_skipped',
    `a rule with action ${t ?? '(none)'} neither passes nor blocks traffic; it is not emitted`,
    line,
  );
  return undefined;
}

/** Rules match traffic entering their interface unless they say `out`; `any` is judged as inbound. */
export function directionOf(direction: string | undefined): FirewallRule['direction'] {
  return direction?.toLowerCase() === 'out' ? 'outbound' : 'inbound';
}

/** The rule's protocol, read by core/net: absent → `any`; `icmp` in an IPv6-only rule is ICMPv6. */
export function protocolOf(protocol: string | undefined, family: Family): string {
  return normalizeProtocol(protocol, ipFamilyOf(family));
}

function ipFamilyOf(family: Family): IpFamily | undefined {
  return family === 'inet' ? 'ipv4' : family === 'inet6' ? 'ipv6' : undefined;
}

/**
 * Interfaces a rule is on: a comma list, one canonical rule each; `invert` (OPNsense
 * `interfacenot`) → every other known interface; none → `[null]` (any interface).
 */
export function interfacesOf(ctx: PfContext, list: string | undefined, invert = false): (string | null)[] {
  const named = [
    ...new Set(
      (list ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  if (invert) {
    const rest = [...ctx.interfaces.keys()].filter((n) => !named.includes(n));
    return ctx.interfaces.size > 0 ? rest : [null];
  }
  return named.length > 0 ? named : [null];
}

/** A legacy `<source>`/`<destination>`: `any`, `network`, `address`, `not` (absent element → any). */
function endpoint(ctx: PfContext, node: XmlElement | undefined, family: Family, line?: number): string[] {
  const f = ctx.dialect.flag;
  if (!node || f(node, 'any')) return resolveAddresses(ctx, ['any'], family, f(node, 'not'), line);
  const spec = value(node, 'network') ?? value(node, 'address') ?? 'any';
  return resolveAddresses(ctx, spec.split(/[\s,]+/), family, f(node, 'not'), line);
}

function legacyRules(ctx: PfContext, nat: NatIndex): RuleDraft[] {
  const out: RuleDraft[] = [];
  for (const node of children(element(ctx.root, 'filter'), 'rule')) {
    if (!isElement(node)) continue;
    const draft = legacyRule(ctx, node);
    if (draft) out.push(applyNat(draft, nat));
  }
  return out;
}

function legacyRule(ctx: PfContext, rule: XmlElement): RuleDraft | undefined {
  const line = ctx.xml.lineOf(rule);
  // the filter rule pfSense creates for a port-forward has no <type>: filter.inc passes it
  const action = actionOf(ctx, value(rule, 'type') ?? 'pass', line);
  if (!action) return undefined;
  const family = familyOf(value(rule, 'ipprotocol'));
  const protocol = protocolOf(value(rule, 'protocol'), family);
  const dst = element(rule, 'destination');
  const vendorId = ctx.dialect.ruleId(rule);
  const assoc = value(rule, 'associated-rule-id');
  const floating = ctx.dialect.flag(rule, 'floating');
  const rawDirection = (value(rule, 'direction') ?? (floating ? 'any' : 'in')).toLowerCase();
  const undecoded = UNDECODED_CONDITIONS.filter((c) => value(rule, c) !== undefined);
  if (value(element(rule, 'source'), 'port') !== undefined) undecoded.push('source port');
  return {
    ...(vendorId ? { vendorId } : {}),
    interfaces: interfacesOf(ctx, value(rule, 'interface')),
    enabled: !ctx.dialect.flag(rule, 'disabled'),
    action,
    direction: directionOf(value(rule, 'direction')),
    protocol,
    sources: endpoint(ctx, element(rule, 'source'), family, line),
    destinations: endpoint(ctx, dst, family, line),
    ports: resolvePorts(ctx, value(dst, 'port'), protocol, line),
    log: ctx.dialect.flag(rule, 'log'),
    description: value(rule, 'descr') ?? null,
    ...(line !== undefined ? { line } : {}),
    ...(assoc ? { natAssoc: assoc } : {}),
    order: {
      floating,
      // interface rules are always quick; a floating rule only with <quick>
      quick: !floating || ctx.dialect.flag(rule, 'quick'),
      direction: rawDirection === 'out' ? 'out' : rawDirection === 'any' ? 'any' : 'in',
      family,
      undecoded,
    },
  };
}

/** Match conditions of a legacy rule that the canonical rule cannot state. */
const UNDECODED_CONDITIONS = ['tagged', 'sched', 'os', 'dscp', 'tcpflags1', 'tcpflags_any', 'vlanprio', 'icmptype'];

// ---------------------------------------------------------------- first match

/**
 * pf evaluates `quick` rules first-match, as iptables does: floating rules first (in order),
 * then each interface's own rules. A rule below an enabled, unconditional `quick` verdict that
 * covers its interface, direction and family can never decide a packet: it is kept with
 * `enabled: false` (warning `unreachable_rule`). Unconditional = any protocol, any source, any
 * destination, every port and no undecoded condition (`<tagged>`, a schedule…). A floating rule
 * without `<quick>` never shadows anything (pf's last match among non-quick rules, and every
 * interface rule is quick). Returns the shadowed (draft index, interface) pairs, as
 * `index@interface`. Interface groups are judged as interfaces of their own.
 */
export function shadowedRules(drafts: readonly RuleDraft[]): Set<string> {
  const out = new Set<string>();
  /** per (interface or `*`, direction): the families an unconditional quick verdict has decided */
  const floatingDone = new Map<string, Set<Family>>();
  const ifaceDone = new Map<string, Set<Family>>();
  const covered = (done: Map<string, Set<Family>>, iface: string | null, dir: 'in' | 'out', family: Family) =>
    [`${iface ?? '*'}|${dir}`, `*|${dir}`].some((k) => {
      const fams = done.get(k);
      return fams !== undefined && (fams.has(family) || fams.has('inet46') || (fams.has('inet') && fams.has('inet6')));
    });
  const directions = (d: 'in' | 'out' | 'any'): ('in' | 'out')[] => (d === 'any' ? ['in', 'out'] : [d]);
  // floating rules first, then interface rules, each in document order
  const ordered = drafts
    .map((d, index) => ({ d, index }))
    .filter((x) => x.d.order !== undefined)
    .sort((a, b) => Number(b.d.order!.floating) - Number(a.d.order!.floating) || a.index - b.index);
  for (const { d, index } of ordered) {
    const o = d.order!;
    for (const iface of d.interfaces) {
      const dirs = directions(o.direction);
      const shadowed = dirs.every(
        (dir) =>
          covered(floatingDone, iface, dir, o.family) || (!o.floating && covered(ifaceDone, iface, dir, o.family)),
      );
      if (shadowed) {
        out.add(`${index}@${iface ?? '*'}`);
        continue;
      }
      if (!d.enabled || !o.quick || !unconditional(d)) continue;
      for (const dir of dirs) {
        const done = o.floating ? floatingDone : ifaceDone;
        const key = `${iface ?? '*'}|${dir}`;
        if (!done.has(key)) done.set(key, new Set());
        done.get(key)!.add(o.family);
      }
    }
  }
  return out;
}

function unconditional(d: RuleDraft): boolean {
  const anyOfFamily = (list: string[]) => anyOf(d.order!.family).every((a) => list.includes(a));
  return (
    d.order!.undecoded.length === 0 &&
    d.protocol === 'any' &&
    d.ports.length === 0 &&
    anyOfFamily(d.sources) &&
    anyOfFamily(d.destinations)
  );
}

// ---------------------------------------------------------------- NAT port-forwards

interface NatForward {
  destinations: string[];
  ports: PortRange[];
}
interface NatIndex {
  byAssoc: Map<string, NatForward>;
  /** associated-rule-id → line of the NAT rule, to warn when no filter rule carries it */
  pending: Map<string, number | undefined>;
  synthetic: RuleDraft[];
}

function readNat(ctx: PfContext): NatIndex {
  const index: NatIndex = { byAssoc: new Map(), pending: new Map(), synthetic: [] };
  for (const node of children(element(ctx.root, 'nat'), 'rule')) {
    if (!isElement(node) || ctx.dialect.flag(node, 'disabled') || ctx.dialect.flag(node, 'nordr')) continue;
    const line = ctx.xml.lineOf(node);
    const family = familyOf(value(node, 'ipprotocol'));
    const protocol = protocolOf(value(node, 'protocol'), family);
    const forward = natForward(ctx, node, family, protocol, line);
    const assoc = value(node, 'associated-rule-id');
    if (ctx.dialect.natPasses(node)) {
      index.synthetic.push(natRule(ctx, node, forward, family, protocol, line));
    } else if (assoc) {
      index.byAssoc.set(assoc, forward);
      index.pending.set(assoc, line);
    }
  }
  return index;
}

function natForward(ctx: PfContext, node: XmlElement, family: Family, protocol: string, line?: number): NatForward {
  const external = resolvePorts(ctx, value(element(node, 'destination'), 'port'), protocol, line);
  const local = value(node, 'local-port');
  let ports = external;
  if (local !== undefined) {
    const start = resolvePorts(ctx, local, protocol, line)[0]?.from;
    const span = external.length === 1 ? external[0]!.to - external[0]!.from : 0;
    if (start !== undefined) ports = [{ from: start, to: Math.min(65535, start + span) }];
  }
  const target = value(node, 'target');
  const destinations = target ? resolveAddresses(ctx, target.split(/[\s,]+/), family, false, line) : [];
  return { destinations, ports };
}

function natRule(
  ctx: PfContext,
  node: XmlElement,
  fwd: NatForward,
  family: Family,
  protocol: string,
  line?: number,
): RuleDraft {
  const id = ctx.dialect.natId(node);
  return {
    ...(id ? { vendorId: `nat:${id}` } : {}),
    interfaces: interfacesOf(ctx, value(node, 'interface') ?? 'wan'),
    enabled: true,
    action: 'allow',
    direction: 'inbound',
    protocol,
    sources: endpoint(ctx, element(node, 'source'), family, line),
    destinations: fwd.destinations,
    ports: fwd.ports,
    log: ctx.dialect.flag(node, 'log'),
    description: value(node, 'descr') ?? null,
    ...(line !== undefined ? { line } : {}),
  };
}

function applyNat(draft: RuleDraft, nat: NatIndex): RuleDraft {
  const fwd = draft.natAssoc === undefined ? undefined : nat.byAssoc.get(draft.natAssoc);
  return fwd ? { ...draft, destinations: fwd.destinations, ports: fwd.ports } : draft;
}

// ---------------------------------------------------------------- emission

/** One canonical rule per (draft, interface); ids stay unique within the document. */
function emitRules(ctx: PfContext, device: string, drafts: RuleDraft[], shadowed: ReadonlySet<string>): FirewallRule[] {
  const unique = uniqueIdAllocator();
  const out: FirewallRule[] = [];
  drafts.forEach((d, index) => {
    for (const iface of d.interfaces) {
      const base = ruleId(ctx, device, d, iface);
      const id = unique(base);
      if (id !== base)
        ctx.warn('duplicate_rule_id', `rule id ${base} occurs more than once; later copies are suffixed`, d.line);
      const rule = toRule(ctx, device, d, iface, id);
      if (shadowed.has(`${index}@${iface ?? '*'}`) && rule.enabled) {
        ctx.warn(
          'unreachable_rule',
          `rule ${id} follows an unconditional quick verdict on ${iface ?? 'every interface'} in its direction and can never match: kept with enabled false`,
          d.line,
        );
        rule.enabled = false;
      }
      out.push(rule);
    }
  });
  return out;
}

function ruleId(ctx: PfContext, device: string, d: RuleDraft, iface: string | null): string {
  if (d.vendorId) return d.interfaces.length > 1 ? `${d.vendorId}@${iface ?? 'any'}` : d.vendorId;
  const { action, direction, protocol, sources, destinations, ports } = d;
  return contentId(ctx.dialect.source, {
    device,
    interface: iface,
    action,
    direction,
    protocol,
    sources,
    destinations,
    ports,
  });
}

function toRule(ctx: PfContext, device: string, d: RuleDraft, iface: string | null, id: string): FirewallRule {
  const facing = interfaceFacing(iface, ctx.internetInterfaces);
  const exposure = computeExposure({ direction: d.direction, sources: d.sources, facing });
  return {
    id,
    device,
    enabled: d.enabled,
    action: d.action,
    direction: d.direction,
    interface: iface,
    protocol: d.protocol,
    sources: d.sources,
    destinations: d.destinations,
    ports: d.ports,
    log: d.log,
    exposure,
    ...(facing === 'assumed' && (exposure === 'internet' || exposure === 'restricted')
      ? { assumed: [...ASSUMED_INTERNET_INTERFACES] }
      : {}),
    description: d.description,
    origin: d.line === undefined ? { part: ctx.part } : { part: ctx.part, line: d.line },
  };
}

/** pfSense `isset()` semantics: any presence is true. */
export function presenceFlag(node: XmlNode | undefined, name: string): boolean {
  return present(node, name);
}

/** OPNsense: presence is true unless the text says `0` (its models write `1`/`0`). */
export function textFlag(node: XmlNode | undefined, name: string): boolean {
  const t = text(node, name);
  return t !== undefined && !['0', 'no', 'false', 'off'].includes(t.trim().toLowerCase());
}
