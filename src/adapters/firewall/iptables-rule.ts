/**
 * One iptables rule's options → its Match and Verdict.
 *
 * Decoded: -s/-d (comma lists, `!`), -i/-o (`+` patterns), -p, -4/-6, tcp/udp/sctp/dccp
 * `--dport` (ranges `a:b`, `!`), multiport `--dports`, state/conntrack `--ctstate`, comment, set
 * `--match-set` (an ipset the export does not hold → `ref:NAME`), iprange. `--sport` and
 * multiport `--ports` do not narrow the destination ports (the client picks its source port).
 * Every other condition is kept, never dropped (a skipped condition would make a rate-limited
 * DROP look unconditional and hide every rule after it):
 * - `narrowed`: conditions any sender can meet or that only thin the traffic out — rate limits
 *   and quotas (limit, hashlimit, connlimit, quota…), packet type and header tests (pkttype,
 *   addrtype, length, `-f`, TCP flags, ICMP types, `--sport`…). The exposure stays what the
 *   decoded fields say (a rate-limited SSH accept is still SSH from the internet).
 * - `opaque`: conditions on what the export does not show — marks, socket owners, recent
 *   lists, conntrack addresses and any module we do not know: exposure at most `unknown`.
 * - ignored: only what always matches (comment, nfacct, counters).
 */
import type { Origin } from '../../schemas/canonical-types.js';
import type { Warning } from '../types.js';
import {
  cidrFamily,
  type IpFamily,
  normalizeCidr,
  normalizeProtocol,
  portNumber,
  rangeToCidrs,
} from '../../core/net/index.js';
import type { DnatTarget, Verdict } from './iptables-flatten.js';
import { ANY, complementPorts, CT_STATES, mergePorts, type Match, type PortRange } from './iptables-match.js';
import type { Opt } from './iptables-options.js';
import type { TableName } from './iptables-parse.js';
import { lookup } from '../common/lookup.js';

export interface RuleEnv {
  table: TableName;
  /** declared chains of the table: jump targets */
  chains: ReadonlySet<string>;
  origin: Origin;
  warnings: Warning[];
}

export interface DecodedRule {
  match: Match;
  verdict: Verdict;
  comment: string | null;
}

const PORT_MODULES = new Set([null, 'tcp', 'udp', 'sctp', 'dccp', 'udplite']);
/** modules whose options are read one by one (applyOption, otherOption) */
const DECODED_MODULES = new Set([
  'tcp',
  'udp',
  'sctp',
  'dccp',
  'udplite',
  'icmp',
  'icmp6',
  'icmpv6',
  'multiport',
  'state',
  'conntrack',
  'comment',
  'set',
  'iprange',
  'recent',
]);
/** always match: nothing to record */
const ALWAYS_MODULES = new Set(['nfacct']);
/** conditions a sender on the internet can meet, or rate and time limits: see `narrowed` */
const NARROWING_MODULES = new Set([
  'limit',
  'hashlimit',
  'connlimit',
  'quota',
  'statistic',
  'time',
  'connbytes',
  'length',
  'ttl',
  'hl',
  'dscp',
  'tos',
  'tcpmss',
  'ecn',
  'addrtype',
  'pkttype',
  'rpfilter',
  'frag',
  'ipv6header',
  'hbh',
  'dst',
  'rt',
  'mh',
  'esp',
  'ah',
  'cpu',
  'string',
]);
/** options of decoded modules that modify another option and never narrow by themselves */
const MODIFIER_OPTIONS = new Set([
  '--set',
  '--name',
  '--seconds',
  '--hitcount',
  '--rttl',
  '--rsource',
  '--rdest',
  '--mask',
  '--reap',
  '--return-nomatch',
  '--update-counters',
  '--update-subcounters',
]);
const CONNTRACK_ADDRESS_OPTIONS = new Set([
  '--ctorigsrc',
  '--ctorigdst',
  '--ctreplsrc',
  '--ctrepldst',
  '--ctorigsrcport',
  '--ctorigdstport',
  '--ctreplsrcport',
  '--ctrepldstport',
]);
/** `! --ctstate X` complements within the real states (SNAT/DNAT are virtual states that overlap them). */
const ALL_STATES: readonly string[] = CT_STATES;

type Draft = { -readonly [K in keyof Match]: Match[K] } & {
  comment: string | null;
  target?: { name: string; goto: boolean };
};

export function decodeRule(opts: readonly Opt[], env: RuleEnv): DecodedRule {
  const d: Draft = { ...ANY, opaque: [], narrowed: [], comment: null };
  for (const o of opts) applyOption(o, d, env);
  const { comment, target, ...match } = d;
  match.opaque = [...new Set(match.opaque)];
  match.narrowed = [...new Set(match.narrowed)];
  return { match, verdict: decodeTarget(target, opts, env), comment };
}

function applyOption(o: Opt, d: Draft, env: RuleEnv): void {
  if (o.module === '@target') return;
  const v = o.values[0] ?? '';
  switch (o.name) {
    case '-s':
      d.sources = addressList(v, o.negated, env);
      return;
    case '-d':
      d.destinations = addressList(v, o.negated, env);
      return;
    case '-i':
      d.iif = { names: [v], negated: o.negated };
      return;
    case '-o':
      d.oif = { names: [v], negated: o.negated };
      return;
    case '-p': {
      const p = normalizeProtocol(v);
      d.protocols = o.negated || p === 'any' ? null : [p];
      return;
    }
    case '-4':
      d.family = 'ipv4';
      return;
    case '-6':
      d.family = 'ipv6';
      return;
    case '-m':
      moduleCondition(v, d);
      return;
    case '-j':
    case '-g':
      d.target = { name: v, goto: o.name === '-g' };
      return;
    case '--comment':
      d.comment = v;
      return;
    case '--state':
    case '--ctstate':
      d.ctStates = states(v, o.negated);
      return;
    case '--dport':
      if (PORT_MODULES.has(o.module)) setPorts(d, v, ':', o.negated);
      else otherOption(o, d);
      return;
    case '--dports':
      setPorts(d, v, ',', o.negated);
      return;
    case '--match-set':
      matchSet(o, d, env);
      return;
    case '--src-range':
      d.sources = rangeList(v, o.negated, env);
      return;
    case '--dst-range':
      d.destinations = rangeList(v, o.negated, env);
      return;
    default:
      otherOption(o, d);
  }
}

/** The options of a module that is not decoded are covered by its `-m`. */
function moduleCondition(name: string, d: Draft): void {
  if (DECODED_MODULES.has(name) || ALWAYS_MODULES.has(name)) return;
  if (NARROWING_MODULES.has(name)) d.narrowed.push(name);
  else d.opaque.push(name);
}

function otherOption(o: Opt, d: Draft): void {
  if (o.module === null) {
    if (o.name === '-c') return;
    if (o.name === '-f' || o.name === '--sport') d.narrowed.push(o.name);
    else d.opaque.push(o.name);
  } else if (DECODED_MODULES.has(o.module) && o.module !== 'comment') {
    if (o.module === 'recent' && ['--rcheck', '--update', '--remove'].includes(o.name)) d.opaque.push('recent');
    else if (o.module === 'conntrack' && (CONNTRACK_ADDRESS_OPTIONS.has(o.name) || o.name === '--ctstatus'))
      d.opaque.push('conntrack');
    else if (!MODIFIER_OPTIONS.has(o.name)) d.narrowed.push(`${o.module} ${o.name}`);
  }
}

function addressList(value: string, negated: boolean, env: RuleEnv): string[] {
  return value.split(',').map((a) => {
    const cidr = normalizeCidr(a);
    if (cidr) return negated ? `!${cidr}` : cidr;
    env.warnings.push({
      code: 'unresolved_address',
      message: 'an address is not an IP address or CIDR (a host name?): kept as a ref: and not resolved',
      ...env.origin,
    });
    return negated ? `ref:!${a}` : `ref:${a}`;
  });
}

function rangeList(value: string, negated: boolean, env: RuleEnv): string[] {
  const [lo = '', hi = lo] = value.split('-');
  const cidrs = rangeToCidrs(lo, hi);
  if (!cidrs) {
    env.warnings.push({
      code: 'unresolved_address',
      message: 'an address range is not two IP addresses of one family in order: kept as a ref: and not resolved',
      ...env.origin,
    });
    return [negated ? `ref:!${value}` : `ref:${value}`];
  }
  return negated ? cidrs.map((c) => `!${c}`) : cidrs;
}

function matchSet(o: Opt, d: Draft, env: RuleEnv): void {
  const [name = '', flags = ''] = o.values;
  const ref = o.negated ? `ref:!${name}` : `ref:${name}`;
  if (flags.split(',')[0] === 'dst') d.destinations = [ref];
  else d.sources = [ref];
  env.warnings.push({
    code: 'unresolved_ipset',
    message: 'the rule matches an ipset, whose members are not in an iptables-save export: kept as ref:',
    ...env.origin,
  });
}

function states(value: string, negated: boolean): string[] {
  const listed = value.toLowerCase().split(',');
  return negated ? ALL_STATES.filter((s) => !listed.includes(s)) : listed;
}

/** `22`, `ssh`, `3380:3399`, `:1023`, `1024:`; lists with `sep` between items. Unreadable → opaque. */
function setPorts(d: Draft, value: string, sep: ':' | ',', negated: boolean): void {
  const items = sep === ',' ? value.split(',') : [value];
  const ranges: PortRange[] = [];
  for (const item of items) {
    const r = portRange(item);
    if (!r) {
      d.opaque.push('port');
      return;
    }
    ranges.push(r);
  }
  d.ports = negated ? complementPorts(ranges) : mergePorts(ranges);
}

function portRange(item: string): PortRange | undefined {
  const colon = item.indexOf(':');
  if (colon < 0) {
    const p = portNumber(item);
    return p === undefined ? undefined : { from: p, to: p };
  }
  const from = colon === 0 ? 0 : portNumber(item.slice(0, colon));
  const to = colon === item.length - 1 ? 65535 : portNumber(item.slice(colon + 1));
  return from === undefined || to === undefined ? undefined : { from, to };
}

const TERMINAL = lookup<Verdict['kind']>({
  ACCEPT: 'accept',
  DROP: 'drop',
  REJECT: 'drop',
  TARPIT: 'drop',
  RETURN: 'return',
  LOG: 'log',
  NFLOG: 'log',
  ULOG: 'log',
});
const NON_DECIDING = new Set([
  'MARK',
  'CONNMARK',
  'CT',
  'TCPMSS',
  'CLASSIFY',
  'DSCP',
  'TOS',
  'TRACE',
  'AUDIT',
  'SET',
  'TEE',
  'NOTRACK',
  'CHECKSUM',
  'TTL',
  'HL',
  'SECMARK',
  'CONNSECMARK',
  'REDIRECT',
  'NETMAP',
  'IDLETIMER',
  'LED',
  'RATEEST',
  'CONNLIMIT',
]);

function decodeTarget(target: Draft['target'], opts: readonly Opt[], env: RuleEnv): Verdict {
  if (!target) return { kind: 'continue' };
  const { name } = target;
  const kind = Object.hasOwn(TERMINAL, name) ? TERMINAL[name] : undefined;
  if (env.chains.has(name) && !kind) return { kind: target.goto ? 'goto' : 'jump', target: name };
  if (kind) return { kind } as Verdict;
  if (name === 'DNAT' && env.table === 'nat') {
    const spec = opts.find((o) => o.module === '@target' && o.name === '--to-destination')?.values[0];
    const to = spec === undefined ? undefined : parseDnat(spec);
    return to ? { kind: 'dnat', to } : { kind: 'unknown', name };
  }
  if ((name === 'MASQUERADE' || name === 'SNAT') && env.table === 'nat') return { kind: 'snat' };
  return NON_DECIDING.has(name) || name === 'MASQUERADE' || name === 'SNAT'
    ? { kind: 'continue' }
    : { kind: 'unknown', name };
}

/** `10.0.0.5`, `10.0.0.5:3389`, `10.0.0.5-10.0.0.7:3389-3390`, `:8080`, `[2001:db8::5]:443`. */
export function parseDnat(spec: string): DnatTarget | undefined {
  let addr = spec;
  let port = '';
  if (spec.startsWith('[')) {
    const end = spec.indexOf(']');
    if (end < 0 || (end + 1 < spec.length && spec[end + 1] !== ':')) return undefined;
    addr = spec.slice(1, end);
    port = spec.slice(end + 2);
  } else if (spec.indexOf(':') === spec.lastIndexOf(':') && spec.includes(':')) {
    [addr = '', port = ''] = spec.split(':');
  }
  port = port.split('/')[0] ?? '';
  const [lo = '', hi = lo] = addr.split('-');
  const addresses = addr === '' ? null : rangeToCidrs(lo, hi);
  const [pFrom = '', pTo = pFrom] = port.split('-');
  const from = portNumber(pFrom);
  const to = portNumber(pTo);
  if (addresses === undefined || (port !== '' && (from === undefined || to === undefined))) return undefined;
  return { addresses, ports: port === '' ? null : mergePorts([{ from: from!, to: to! }]) };
}

/** The family a table without a `# Generated by` header holds: that of its first address. */
export function inferFamily(values: Iterable<string>): IpFamily | undefined {
  for (const v of values) {
    const family = v.includes('/') ? cidrFamily(v) : undefined;
    if (family) return family;
  }
  return undefined;
}
