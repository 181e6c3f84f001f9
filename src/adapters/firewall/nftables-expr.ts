/**
 * One nft `match` statement → the Match it adds to its rule (undefined: no packet can match).
 *
 * Decoded: `ip`/`ip6` saddr/daddr, tcp/udp/sctp/dccp/th dport (==, !=, in, <, <=, >, >=),
 * `ip protocol`/`ip6 nexthdr`/`meta l4proto`, meta iifname/iif/oifname/oif, `ct state`,
 * `meta nfproto`, `ct status dnat|snat` (as the conntrack NAT states). Nothing is dropped:
 * - narrowed (exposure as decoded, never unconditional): what any sender can meet — other
 *   fields of ip/ip6/tcp/udp/icmp (flags, source port, ttl…, still implying their protocol and
 *   family), fib lookups (`fib daddr type broadcast`), meta pkttype/length/time…, ct direction,
 *   bytes, packets, count;
 * - opaque (exposure at most unknown): what the export does not show — meta marks, uids,
 *   cgroups, interface groups and kinds, ct mark/zone/helper/label, other ct status bits, raw
 *   payloads, concatenations, ether, socket, osf…
 */
import type { Origin } from '../../schemas/canonical-types.js';
import type { Warning } from '../types.js';
import type { IpFamily } from '../../core/net/index.js';
import { ANY, complementPorts, CT_STATES, type Match, type PortRange } from './iptables-match.js';
import { normalizeProtocol } from '../../core/net/index.js';
import { located } from './nftables-ruleset.js';
import { resolveValues, toAddresses, toNames, toPorts, type ValueEnv } from './nftables-values.js';
import { lookup } from '../common/lookup.js';

export interface ExprEnv extends ValueEnv {
  warnings: Warning[];
}

type Field =
  | { kind: 'addr'; side: 'sources' | 'destinations'; family: IpFamily }
  | { kind: 'dport'; protocol: string | null }
  /** a header field we do not decode: narrowed, implying its protocol and family */
  | { kind: 'implies'; name: string; protocol?: string; family?: IpFamily }
  | { kind: 'proto'; family?: IpFamily }
  | { kind: 'iif' | 'oif' | 'ctstate' | 'ctstatus' | 'nfproto' }
  | { kind: 'narrowed' | 'opaque'; name: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const OPS = new Set(['==', '!=', '<', '>', '<=', '>=', 'in']);
const TRANSPORT = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);
/** meta keys any sender can meet (or time and sampling): narrowed */
const META_NARROWING = new Set(['pkttype', 'length', 'time', 'day', 'hour', 'cpu', 'random']);
/** ct keys that thin the traffic out without selecting who connects: narrowed */
const CT_NARROWING = new Set(['direction', 'expiration', 'l3proto', 'protocol', 'bytes', 'packets', 'avgpkt', 'count']);
/** `ct status` bits that are conntrack's NAT states */
const NAT_STATUS = new Set(['dnat', 'snat']);
const ALL_STATES = [...CT_STATES];
const opaque = (name: string): Field => ({ kind: 'opaque', name });
const narrowed = (name: string): Field => ({ kind: 'narrowed', name });

function classify(left: unknown): Field {
  if (!isObj(left)) return opaque('expression');
  if (isObj(left.payload)) return classifyPayload(left.payload);
  if (isObj(left.meta)) return classifyMeta(String(left.meta.key));
  if (isObj(left.ct)) return classifyCt(String(left.ct.key));
  if ('fib' in left) return narrowed('fib');
  return opaque(Object.keys(left)[0] ?? 'expression');
}

function classifyPayload(p: Obj): Field {
  const { protocol: proto, field } = p;
  if (typeof proto !== 'string' || typeof field !== 'string') return opaque('payload');
  if (proto === 'ip' || proto === 'ip6') {
    const family: IpFamily = proto === 'ip' ? 'ipv4' : 'ipv6';
    if (field === 'saddr' || field === 'daddr')
      return { kind: 'addr', side: field === 'saddr' ? 'sources' : 'destinations', family };
    return field === 'protocol' || field === 'nexthdr'
      ? { kind: 'proto', family }
      : { kind: 'implies', name: `${proto} ${field}`, family };
  }
  if (field === 'dport' && (TRANSPORT.has(proto) || proto === 'th'))
    return { kind: 'dport', protocol: proto === 'th' ? null : proto };
  const name = `${proto} ${field}`;
  if (TRANSPORT.has(proto)) return { kind: 'implies', name, protocol: proto };
  if (proto === 'icmp') return { kind: 'implies', name, protocol: 'icmp', family: 'ipv4' };
  if (proto === 'icmpv6') return { kind: 'implies', name, protocol: 'icmpv6', family: 'ipv6' };
  return proto === 'th' ? narrowed(name) : opaque(proto);
}

function classifyMeta(key: string): Field {
  if (key === 'iifname' || key === 'iif') return { kind: 'iif' };
  if (key === 'oifname' || key === 'oif') return { kind: 'oif' };
  if (key === 'l4proto') return { kind: 'proto' };
  if (key === 'nfproto' || key === 'protocol') return { kind: 'nfproto' };
  return META_NARROWING.has(key) ? narrowed(`meta ${key}`) : opaque(`meta ${key}`);
}

function classifyCt(key: string): Field {
  if (key === 'state') return { kind: 'ctstate' };
  if (key === 'status') return { kind: 'ctstatus' };
  return CT_NARROWING.has(key) ? narrowed(`ct ${key}`) : opaque(`ct ${key}`);
}

/** The Match a `match` statement adds; undefined when it can match no packet (an empty set, `dport < 0`). */
export function decodeMatch(value: unknown, env: ExprEnv, origin: Origin): Match | undefined {
  if (!isObj(value) || typeof value.op !== 'string' || !('left' in value) || !('right' in value)) {
    throw located('a match needs "op", "left" and "right"', origin);
  }
  if (!OPS.has(value.op)) throw located('unknown match operator (expected ==, !=, <, >, <=, >= or in)', origin);
  const field = classify(value.left);
  const base: Match = { ...ANY, opaque: [], narrowed: [] };
  if (field.kind === 'narrowed') return { ...base, narrowed: [field.name] };
  if (field.kind === 'opaque') return { ...base, opaque: [field.name] };
  if (field.kind === 'implies')
    return {
      ...base,
      protocols: field.protocol ? [field.protocol] : null,
      family: field.family ?? null,
      narrowed: [field.name],
    };
  const r = resolveValues(value.right, env, origin);
  if ('unresolved' in r) return unresolved(field, r.unresolved, value.op === '!=', env, origin);
  if (r.atoms.length === 0 && value.op !== '!=' && field.kind !== 'addr') {
    env.warnings.push({
      code: 'empty_set',
      message: 'the rule matches against an empty set: it matches nothing now',
      ...origin,
    });
    return undefined;
  }
  const refused = (text: string) =>
    env.warnings.push({
      code: 'unresolved_address',
      message: `${JSON.stringify(text.slice(0, 100))} is not an IP address, network or range: kept as ref: and not resolved`,
      ...origin,
    });
  return fromValues(field, value.op, r.atoms, base, refused);
}

function fromValues(
  field: Field,
  op: string,
  atoms: unknown[],
  base: Match,
  refused: (text: string) => void,
): Match | undefined {
  const neg = op === '!=';
  const plain = op === '==' || op === 'in' || neg;
  switch (field.kind) {
    case 'addr': {
      const list = plain ? toAddresses(atoms, refused) : undefined;
      if (!list) return { ...base, family: field.family, opaque: ['address'] };
      return { ...base, family: field.family, [field.side]: neg ? list.map(negate) : list };
    }
    case 'dport': {
      const ports = portsFor(op, atoms);
      if (ports === null) return { ...base, protocols: field.protocol ? [field.protocol] : null, opaque: ['port'] };
      return ports.length === 0 ? undefined : { ...base, protocols: field.protocol ? [field.protocol] : null, ports };
    }
    case 'proto': {
      const names = plain ? toNames(atoms)?.map((n) => normalizeProtocol(n)) : undefined;
      const known = names && !names.includes('any') ? names : null;
      return { ...base, family: field.family ?? null, protocols: neg ? null : known };
    }
    default:
      return fromNames(field, op, atoms, base);
  }
}

function fromNames(field: Field, op: string, atoms: unknown[], base: Match): Match {
  const neg = op === '!=';
  const names = op === '==' || op === 'in' || neg ? toNames(atoms) : undefined;
  if (!names) return { ...base, opaque: [field.kind] };
  if (field.kind === 'iif' || field.kind === 'oif') return { ...base, [field.kind]: { names, negated: neg } };
  if (field.kind === 'ctstate') {
    const listed = names.map((n) => n.toLowerCase());
    return { ...base, ctStates: neg ? ALL_STATES.filter((s) => !listed.includes(s)) : listed };
  }
  if (field.kind === 'ctstatus') return ctStatus(names, neg, base);
  const fam =
    names.length === 1 && !neg && Object.hasOwn(FAMILY_NAMES, names[0]!) ? FAMILY_NAMES[names[0]!] : undefined;
  return fam ? { ...base, family: fam } : base;
}

/**
 * `ct status dnat` (firewalld's filter_INPUT and filter_FORWARD accept it): the connection was
 * port-forwarded, i.e. conntrack's DNAT state. A status is a bitmask (`in` tests bits): only a
 * positive test of the NAT bits is decoded; other bits (assured, seen-reply…) are opaque.
 */
function ctStatus(names: string[], neg: boolean, base: Match): Match {
  const bits = names.map((n) => n.toLowerCase());
  if (neg || bits.length !== 1 || !NAT_STATUS.has(bits[0]!)) return { ...base, opaque: ['ct status'] };
  return { ...base, ctStates: bits };
}

const FAMILY_NAMES = lookup<IpFamily>({ ipv4: 'ipv4', ip: 'ipv4', ipv6: 'ipv6', ip6: 'ipv6' });

function negate(entry: string): string {
  return entry.startsWith('ref:') ? `ref:!${entry.slice(4)}` : `!${entry}`;
}

/** null: not decodable; []: no port can match. */
function portsFor(op: string, atoms: unknown[]): PortRange[] | null {
  const list = toPorts(atoms);
  if (!list) return null;
  if (op === '==' || op === 'in') return list;
  if (op === '!=') return complementPorts(list);
  const p = list.length === 1 && list[0]!.from === list[0]!.to ? list[0]!.from : undefined;
  if (p === undefined) return null;
  const range = { '<': [0, p - 1], '<=': [0, p], '>': [p + 1, 65535], '>=': [p, 65535] }[op as '<'];
  return range[0]! <= range[1]! ? [{ from: range[0]!, to: range[1]! }] : [];
}

function unresolved(field: Field, name: string, neg: boolean, env: ExprEnv, origin: Origin): Match {
  env.warnings.push({
    code: 'unresolved_set',
    message: `named set ${JSON.stringify(name)} is not in the ruleset: kept as ref:${name}`,
    ...origin,
  });
  const base: Match = { ...ANY, opaque: [], narrowed: [] };
  if (field.kind !== 'addr') return { ...base, opaque: [name] };
  return { ...base, family: field.family, [field.side]: [neg ? `ref:!${name}` : `ref:${name}`] };
}
