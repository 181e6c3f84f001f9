/**
 * `aws ec2 describe-security-groups` → canonical firewall document.
 *
 * Decisions (README):
 * - One device per security group (id GroupId, name GroupName), `defaultInbound: deny` and
 *   `defaultOutbound: deny` (a group denies what it does not allow, both ways; `unknown` without
 *   IpPermissionsEgress). AWS's default allow-all egress rule is an outbound allow rule like any
 *   other: firewall.egress-restricted judges it over the group's rules, as for every source.
 *   A group applies to every ENI it is attached to and the export
 *   does not say which ENIs are reachable from the internet (describe-network-interfaces would),
 *   so rules carry `interface: null` and the device `internetInterfaces: [GroupId]`: a public
 *   source is judged internet-exposed, as CIS AWS 5.x and Security Hub judge it.
 * - One canonical rule per permission (IpPermissions → inbound, IpPermissionsEgress → outbound)
 *   with all its peers; id = a hash of (group, direction, protocol, ports, sorted peers), since
 *   this output carries no SecurityGroupRuleId.
 * - The group's own ENIs are written `sg:<GroupId>` (destination of ingress, source of egress);
 *   a referenced group (UserIdGroupPairs) is `sg:<GroupId>` too, `sg:<UserId>/<GroupId>` across
 *   accounts. Such peers admit only traffic from ENIs in that group, never from the internet, so
 *   they are left out of the exposure computation (an SG-only rule is `internal`).
 * - Prefix lists resolve to their CIDRs from the optional `prefixLists` part, else `ref:pl-…`
 *   (exposure `unknown`) with a warning.
 * - Addresses and protocols are read by core/net, as in every adapter: a CIDR that is not one
 *   (`010.1.1.1/32`: a leading zero) is kept as `ref:` with a warning, others are written
 *   canonically (host bits cleared, lower-case hex; AWS itself prints them so).
 * - `IpProtocol` `-1` → `any`, numbers → their IANA keyword (6 tcp, 17 udp, 1 icmp, 58 icmpv6, 47 gre…);
 *   ports only for tcp/udp (ICMP From/To are type/code; other protocols ignore ports).
 * - `log: false`: security groups cannot log (VPC flow logs are configured elsewhere).
 * - `enabled: true`, `action: allow` (groups have no disabled or deny rules).
 * - `instance` = OwnerId (the account) when every group shares it; no `collectedAt` (the output has no time).
 */
import { uniqueIdAllocator } from '../common/unique-ids.js';
import type { FirewallDevice, FirewallRule } from '../../schemas/canonical-types.js';
import { allRecords, originOf, type Record_ } from '../common/envelope.js';
import type { Adapter, AdapterInput, AdapterResult, Page, Warning } from '../types.js';
import { computeExposure, contentId, interfaceFacing } from './exposure.js';
import type { JsonSchema } from '../../schemas/json-schema.js';
import { normalizeCidr, normalizeProtocol } from '../../core/net/index.js';

const SOURCE = 'aws-security-groups';
const PORTED = new Set(['tcp', 'udp']);

type Obj = Record<string, unknown>;
type Direction = 'inbound' | 'outbound';

interface Ctx {
  prefixLists: Map<string, string[]>;
  warnings: Warning[];
  warned: Set<string>;
  pageCount: number;
}

function normalize(input: AdapterInput): AdapterResult<'firewall'> {
  const pages = input.parts.groups ?? [];
  const ctx: Ctx = {
    prefixLists: readPrefixLists(input.parts.prefixLists),
    warnings: [],
    warned: new Set(),
    pageCount: pages.length,
  };
  const devices: FirewallDevice[] = [];
  const rules: FirewallRule[] = [];
  const owners = new Set<string>();
  for (const rec of allRecords(pages, ['SecurityGroups'])) {
    const groupId = str(rec.value.GroupId)!;
    if (devices.some((d) => d.id === groupId)) {
      warn(ctx, 'duplicate_group', `security group ${groupId} appears more than once; the first copy is used`, rec);
      continue;
    }
    owners.add(str(rec.value.OwnerId) ?? '');
    const own = groupRules(ctx, rec, groupId);
    devices.push(deviceOf(rec, groupId, ctx));
    rules.push(...own);
  }
  const owner = owners.size === 1 ? [...owners][0] : undefined;
  return {
    document: { devices, rules: uniqueIds(rules) },
    warnings: ctx.warnings,
    ...(owner ? { instance: owner } : {}),
  };
}

function deviceOf(rec: Record_, groupId: string, ctx: Ctx): FirewallDevice {
  return {
    id: groupId,
    source: SOURCE,
    name: str(rec.value.GroupName) ?? groupId,
    defaultInbound: 'deny',
    defaultOutbound: Array.isArray(rec.value.IpPermissionsEgress) ? 'deny' : 'unknown',
    internetInterfaces: [groupId],
    origin: originOf(rec, ctx.pageCount),
  };
}

function groupRules(ctx: Ctx, rec: Record_, groupId: string): FirewallRule[] {
  const out: FirewallRule[] = [];
  for (const [key, direction] of [
    ['IpPermissions', 'inbound'],
    ['IpPermissionsEgress', 'outbound'],
  ] as const) {
    const perms = rec.value[key];
    if (!Array.isArray(perms)) continue;
    perms.forEach((perm: unknown, i) => {
      if (!isObj(perm)) return;
      const at = { ...rec, pointer: `${rec.pointer}/${key}/${i}` };
      out.push(permissionRule(ctx, groupId, perm, direction, at));
    });
  }
  return out;
}

function permissionRule(ctx: Ctx, groupId: string, perm: Obj, direction: Direction, at: Record_): FirewallRule {
  const protocol = protocolOf(perm.IpProtocol);
  const ports = portsOf(ctx, protocol, perm, at);
  const peers = peersOf(ctx, perm, at);
  const self = `sg:${groupId}`;
  const sources = direction === 'inbound' ? peers : [self];
  const destinations = direction === 'inbound' ? [self] : peers;
  const addressed = sources.filter((s) => !s.startsWith('sg:'));
  return {
    id: contentId('aws', { group: groupId, direction, protocol, ports, peers: [...peers].sort() }),
    device: groupId,
    enabled: true,
    action: 'allow',
    direction,
    interface: null,
    protocol,
    sources,
    destinations,
    ports,
    log: false,
    exposure: computeExposure({ direction, sources: addressed, facing: interfaceFacing(null, [groupId]) }),
    description: descriptionOf(perm),
    origin: originOf(at, ctx.pageCount),
  };
}

function peersOf(ctx: Ctx, perm: Obj, at: Record_): string[] {
  const peers = new Set<string>();
  const cidrs = [
    ...objs(perm.IpRanges).map((r) => str(r.CidrIp)),
    ...objs(perm.Ipv6Ranges).map((r) => str(r.CidrIpv6)),
  ];
  for (const c of cidrs) if (c !== undefined) peers.add(peer(ctx, c, at));
  for (const p of objs(perm.PrefixListIds)) {
    const id = str(p.PrefixListId);
    if (!id) continue;
    const cidrs = ctx.prefixLists.get(id);
    if (!cidrs)
      warn(
        ctx,
        'unresolved_prefix_list',
        `prefix list ${id} is not in the prefixLists part; its rules' exposure is unknown`,
        at,
      );
    for (const c of cidrs ?? []) peers.add(peer(ctx, c, at));
    if (!cidrs) peers.add(`ref:${id}`);
  }
  for (const g of objs(perm.UserIdGroupPairs)) {
    const ref = str(g.GroupId) ?? str(g.GroupName);
    if (!ref) continue;
    const owner = str(g.UserId);
    peers.add(owner && owner !== str(at.value.OwnerId) ? `sg:${owner}/${ref}` : `sg:${ref}`);
  }
  return [...peers];
}

/** A CIDR as core/net writes it; one it cannot read stays visible as `ref:` (exposure unknown). */
function peer(ctx: Ctx, cidr: string, at: Record_): string {
  const canonical = normalizeCidr(cidr);
  if (canonical === undefined)
    warn(ctx, 'invalid_cidr', `${cidr} is not a CIDR; it is kept as an unresolved reference`, at);
  return canonical ?? `ref:${cidr}`;
}

function protocolOf(raw: unknown): string {
  return normalizeProtocol(typeof raw === 'string' || typeof raw === 'number' ? raw : '-1');
}

function portsOf(ctx: Ctx, protocol: string, perm: Obj, at: Record_): { from: number; to: number }[] {
  if (!PORTED.has(protocol)) return [];
  const from = perm.FromPort;
  const to = perm.ToPort ?? from;
  if (from === undefined || from === null || from === -1) return [];
  if (!isPort(from) || !isPort(to)) {
    warn(
      ctx,
      'invalid_port_range',
      `port range ${String(from)}-${String(to)} is not valid; the rule is read as matching every port`,
      at,
    );
    return [];
  }
  return [{ from: Math.min(from, to), to: Math.max(from, to) }];
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
}

function descriptionOf(perm: Obj): string | null {
  const all = ['IpRanges', 'Ipv6Ranges', 'PrefixListIds', 'UserIdGroupPairs'].flatMap((k) =>
    objs(perm[k]).map((r) => str(r.Description)),
  );
  const unique = [...new Set(all.filter((d): d is string => d !== undefined))];
  return unique.length > 0 ? unique.join('; ') : null;
}

/**
 * The `prefixLists` part: `{PrefixLists: [{PrefixListId, Entries: [{Cidr}]}]}` (describe-managed-
 * prefix-lists with each list's get-managed-prefix-list-entries `Entries` added), a bare array of
 * those, or `{"pl-…": {Entries: [{Cidr}]}}` (the get-managed-prefix-list-entries output keyed by id).
 */
function readPrefixLists(pages: readonly Page[] | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: unknown, entries: unknown) => {
    if (typeof id !== 'string' || !Array.isArray(entries)) return;
    const cidrs = objs(entries)
      .map((e) => str(e.Cidr))
      .filter((c): c is string => c !== undefined);
    out.set(id, [...new Set([...(out.get(id) ?? []), ...cidrs])]);
  };
  for (const page of pages ?? []) {
    const v = page.value;
    const list = Array.isArray(v) ? v : isObj(v) && Array.isArray(v.PrefixLists) ? v.PrefixLists : undefined;
    if (list) for (const pl of objs(list)) add(pl.PrefixListId, pl.Entries);
    else if (isObj(v)) for (const [id, body] of Object.entries(v)) if (isObj(body)) add(id, body.Entries);
  }
  return out;
}

/** Identical permissions (same content) would share an id: later copies get a suffix. */
function uniqueIds(rules: FirewallRule[]): FirewallRule[] {
  const unique = uniqueIdAllocator();
  return rules.map((r) => {
    const id = unique(r.id);
    return id === r.id ? r : { ...r, id };
  });
}

function warn(ctx: Ctx, code: string, message: string, at: Record_): void {
  const key = `${code}\u0000${message}`;
  if (ctx.warned.has(key)) return;
  ctx.warned.add(key);
  ctx.warnings.push({
    code,
    message,
    part: at.part,
    ...(ctx.pageCount > 1 ? { page: at.page } : {}),
    pointer: at.pointer,
  });
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

// ---------------------------------------------------------------- part schemas (the fields read)

const nullableString = { type: ['string', 'null'] } as const;
const described = (required: string) =>
  ({
    type: 'array',
    items: {
      type: 'object',
      required: [required],
      properties: { [required]: { type: 'string' }, Description: nullableString },
    },
  }) as const;

const permission = {
  type: 'object',
  required: ['IpProtocol'],
  properties: {
    IpProtocol: { type: ['string', 'integer'] },
    FromPort: { type: ['integer', 'null'] },
    ToPort: { type: ['integer', 'null'] },
    IpRanges: described('CidrIp'),
    Ipv6Ranges: described('CidrIpv6'),
    PrefixListIds: described('PrefixListId'),
    UserIdGroupPairs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          GroupId: nullableString,
          GroupName: nullableString,
          UserId: nullableString,
          Description: nullableString,
        },
      },
    },
  },
} as const;

const securityGroup = {
  type: 'object',
  required: ['GroupId'],
  properties: {
    GroupId: { type: 'string', minLength: 1 },
    GroupName: nullableString,
    OwnerId: nullableString,
    IpPermissions: { type: ['array', 'null'], items: permission },
    IpPermissionsEgress: { type: ['array', 'null'], items: permission },
  },
} as const;

export const groupsSchema = {
  $id: 'posture:vendor/aws-security-groups/groups',
  type: ['object', 'array'],
  if: { type: 'array' },
  then: { items: securityGroup },
  else: {
    required: ['SecurityGroups'],
    properties: { SecurityGroups: { type: 'array', items: securityGroup }, NextToken: nullableString },
  },
} as const satisfies JsonSchema;

const entries = {
  type: 'array',
  items: { type: 'object', required: ['Cidr'], properties: { Cidr: { type: 'string' } } },
} as const;
const prefixList = {
  type: 'object',
  required: ['PrefixListId'],
  properties: { PrefixListId: { type: 'string', minLength: 1 }, PrefixListName: nullableString, Entries: entries },
} as const;

export const prefixListsSchema = {
  $id: 'posture:vendor/aws-security-groups/prefixLists',
  type: ['object', 'array'],
  if: { type: 'array' },
  then: { items: prefixList },
  else: {
    if: { properties: { PrefixLists: true }, required: ['PrefixLists'] },
    then: { properties: { PrefixLists: { type: 'array', items: prefixList } } },
    else: {
      propertyNames: { pattern: '^pl-' },
      additionalProperties: { type: 'object', required: ['Entries'], properties: { Entries: entries } },
    },
  },
} as const satisfies JsonSchema;

export const awsSecurityGroupsAdapter: Adapter<'firewall'> = {
  kind: 'firewall',
  source: SOURCE,
  parts: [
    {
      name: 'groups',
      format: 'json',
      required: true,
      schema: groupsSchema,
      description:
        '`aws ec2 describe-security-groups` output ({SecurityGroups: [...]}) or a bare array; may be given once per page',
    },
    {
      name: 'prefixLists',
      format: 'json',
      required: false,
      schema: prefixListsSchema,
      description:
        'managed prefix lists with their entries: {PrefixLists: [{PrefixListId, Entries: [{Cidr}]}]}, a bare array of those, or {"pl-…": get-managed-prefix-list-entries output}',
    },
  ],
  bodyPart: 'groups',
  normalize,
};
