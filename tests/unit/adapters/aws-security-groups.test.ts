import { awsSecurityGroupsAdapter } from '../../../src/adapters/firewall/aws-security-groups.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { FirewallRule } from '../../../src/schemas/canonical-types.js';
import { collect } from '../../../src/engine/collections.js';
import { judge } from '../../../src/engine/judge.js';
import { runOnFixtures } from '../../helpers/adapters.js';
import { loadCatalog } from '../../helpers/catalog.js';

const DIR = 'aws-security-groups';
const WEB = 'sg-0a1b2c3d4e5f60001';
const DB = 'sg-0a1b2c3d4e5f60002';
const INTERNAL = 'sg-0a1b2c3d4e5f60003';

function run(parts: [string, string][]): AdapterResult<'firewall'> {
  return runOnFixtures(
    awsSecurityGroupsAdapter,
    parts.map(([n, f]) => [n, `${DIR}/${f}`]),
  ) as AdapterResult<'firewall'>;
}

const withPrefixLists = () =>
  run([
    ['groups', 'groups.json'],
    ['prefixLists', 'prefix-lists.json'],
  ]);

/** firewall.egress-restricted over the adapter's document, device by device: the judgement the adapter no longer makes. */
function egressVerdicts(r: AdapterResult<'firewall'>): [string, string][] {
  const rule = loadCatalog().rules.get('firewall.egress-restricted')!;
  const snapshot = {
    id: 's',
    kind: 'firewall' as const,
    source: 'aws-security-groups',
    instance: 'i',
    document: r.document,
  };
  return collect('firewall', 'devices', [snapshot]).items.map((j) => [
    String(j.item.id),
    judge(rule, {}, j, new Date('2026-11-01T00:00:00Z')).state,
  ]);
}

function at(r: AdapterResult<'firewall'>, pointer: string): FirewallRule {
  const found = r.document.rules.find((x) => x.origin.pointer === pointer);
  if (!found) throw new Error(`no rule at ${pointer}`);
  return found;
}

function runJson(groups: unknown): AdapterResult<'firewall'> {
  return runAdapter(awsSecurityGroupsAdapter, [{ name: 'groups', bytes: Buffer.from(JSON.stringify(groups)) }], {
    clients: [],
  }) as AdapterResult<'firewall'>;
}

function thrown(fn: () => unknown): AdapterInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AdapterInputError) return e;
    throw e;
  }
  throw new Error('expected an AdapterInputError');
}

describe('aws-security-groups adapter: devices', () => {
  it('one device per group, default deny, the group itself as its internet-facing attachment', () => {
    const r = withPrefixLists();
    expect(r.document.devices.map((d) => [d.id, d.name])).toEqual([
      [WEB, 'web-public'],
      [DB, 'db-private'],
      [INTERNAL, 'internal'],
    ]);
    expect(r.document.devices[0]).toEqual({
      id: WEB,
      source: 'aws-security-groups',
      name: 'web-public',
      defaultInbound: 'deny',
      defaultOutbound: 'deny',
      internetInterfaces: [WEB],
      origin: { part: 'groups', pointer: '/SecurityGroups/0' },
    });
    expect(r.instance).toBe('123456789012');
    expect(r.collectedAt).toBeUndefined();
  });
});

describe('aws-security-groups adapter: ingress', () => {
  it('an IPv4 + IPv6 permission is one rule with both sources, internet-exposed', () => {
    expect(at(withPrefixLists(), '/SecurityGroups/0/IpPermissions/0')).toEqual({
      id: expect.stringMatching(/^aws-[0-9a-f]{16}$/),
      device: WEB,
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: null,
      protocol: 'tcp',
      sources: ['0.0.0.0/0', '::/0'],
      destinations: [`sg:${WEB}`],
      ports: [{ from: 443, to: 443 }],
      log: false,
      exposure: 'internet',
      description: 'HTTPS from anywhere; HTTPS from anywhere (IPv6)',
      origin: { part: 'groups', pointer: '/SecurityGroups/0/IpPermissions/0' },
    });
  });

  it('a port range stays a range (3380–3399 contains 3389)', () => {
    expect(at(withPrefixLists(), '/SecurityGroups/0/IpPermissions/2').ports).toEqual([{ from: 3380, to: 3399 }]);
  });

  it('ICMP From/To are type/code, not ports', () => {
    expect(at(withPrefixLists(), '/SecurityGroups/0/IpPermissions/3')).toMatchObject({
      protocol: 'icmp',
      ports: [],
      exposure: 'internet',
    });
  });

  it('IpProtocol -1 is any protocol on every port (FromPort/ToPort omitted)', () => {
    expect(at(withPrefixLists(), '/SecurityGroups/2/IpPermissions/0')).toMatchObject({
      protocol: 'any',
      ports: [],
      sources: ['10.0.0.0/8'],
      exposure: 'internal',
    });
  });

  it('protocol numbers: 6 → tcp, 58 → icmpv6, others by their IANA keyword (50 → esp), without ports', () => {
    const r = withPrefixLists();
    expect(at(r, '/SecurityGroups/1/IpPermissions/1').protocol).toBe('tcp');
    expect(at(r, '/SecurityGroups/2/IpPermissions/1')).toMatchObject({
      protocol: 'icmpv6',
      ports: [],
      sources: ['2001:db8::/32'],
    });
    expect(at(r, '/SecurityGroups/2/IpPermissions/2')).toMatchObject({
      protocol: 'esp',
      ports: [],
      exposure: 'restricted', // from one IPsec peer
    });
  });

  it('a security-group reference is internal; across accounts it names the account', () => {
    const r = withPrefixLists();
    expect(at(r, '/SecurityGroups/1/IpPermissions/0')).toMatchObject({
      sources: [`sg:${WEB}`],
      exposure: 'internal',
      description: 'from the web tier',
    });
    expect(at(r, '/SecurityGroups/1/IpPermissions/1')).toMatchObject({
      sources: ['sg:210987654321/sg-0fedcba9876543210'],
      exposure: 'internal',
    });
  });

  it('a group reference next to a public CIDR is still internet-exposed', () => {
    const r = runJson([
      {
        GroupId: 'sg-1',
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }],
            UserIdGroupPairs: [{ GroupId: 'sg-2' }],
          },
        ],
      },
    ]);
    expect(r.document.rules[0]).toMatchObject({ sources: ['0.0.0.0/0', 'sg:sg-2'], exposure: 'internet' });
  });

  it('a prefix list resolves to its CIDRs from the prefixLists part', () => {
    expect(at(withPrefixLists(), '/SecurityGroups/1/IpPermissions/2')).toMatchObject({
      sources: ['10.20.0.0/16', '192.0.2.0/24'],
      exposure: 'restricted', // a private range beside one public /24: an allow-list
      description: 'corporate networks',
    });
  });

  it('an unknown prefix list is a ref: exposure unknown, a warning with its pointer', () => {
    const r = withPrefixLists();
    expect(at(r, '/SecurityGroups/1/IpPermissions/3')).toMatchObject({
      sources: ['ref:pl-0unknown0000000009'],
      exposure: 'unknown',
    });
    expect(r.warnings).toEqual([
      {
        code: 'unresolved_prefix_list',
        message: "prefix list pl-0unknown0000000009 is not in the prefixLists part; its rules' exposure is unknown",
        part: 'groups',
        pointer: '/SecurityGroups/1/IpPermissions/3',
      },
    ]);
  });

  it('prefix lists keyed by id (get-managed-prefix-list-entries output) are accepted', () => {
    const r = run([
      ['groups', 'groups.json'],
      ['prefixLists', 'prefix-lists-by-id.json'],
    ]);
    expect(at(r, '/SecurityGroups/1/IpPermissions/2')).toMatchObject({
      sources: ['10.20.0.0/16'],
      exposure: 'internal',
    });
    expect(at(r, '/SecurityGroups/1/IpPermissions/3')).toMatchObject({
      sources: ['10.99.0.0/16'],
      exposure: 'internal',
    });
    expect(r.warnings).toEqual([]);
  });

  it('without the prefixLists part every prefix list is a ref', () => {
    const r = run([['groups', 'groups.json']]);
    expect(at(r, '/SecurityGroups/1/IpPermissions/2')).toMatchObject({
      sources: ['ref:pl-0corp00000000001'],
      exposure: 'unknown',
    });
  });
});

describe('aws-security-groups adapter: egress', () => {
  it('egress permissions are outbound, from the group to the peers, internal', () => {
    const r = withPrefixLists();
    expect(at(r, '/SecurityGroups/0/IpPermissionsEgress/0')).toMatchObject({
      direction: 'outbound',
      protocol: 'any',
      sources: [`sg:${WEB}`],
      destinations: ['0.0.0.0/0', '::/0'],
      ports: [],
      exposure: 'internal',
      log: false,
    });
    expect(at(r, '/SecurityGroups/2/IpPermissionsEgress/0').destinations).toEqual(['10.20.0.0/16', '192.0.2.0/24']);
  });

  it('defaultOutbound is deny (a group denies what it does not allow); the allow-all egress rule fails egress-restricted', () => {
    const r = withPrefixLists();
    expect(r.document.devices.map((d) => [d.id, d.defaultOutbound])).toEqual([
      [WEB, 'deny'],
      [DB, 'deny'],
      [INTERNAL, 'deny'],
    ]);
    expect(egressVerdicts(r)).toEqual([
      [WEB, 'fail'],
      [DB, 'pass'],
      [INTERNAL, 'pass'],
    ]);
  });

  it('egress-restricted: every TCP and every UDP port to anywhere fails; TCP alone, or to a private range, passes; no IpPermissionsEgress is unknown', () => {
    const all = (proto: string, cidr = '0.0.0.0/0') => ({
      IpProtocol: proto,
      FromPort: 0,
      ToPort: 65535,
      IpRanges: [{ CidrIp: cidr }],
    });
    const group = (id: string, egress?: unknown[]) => ({
      GroupId: id,
      GroupName: id,
      OwnerId: '1',
      IpPermissions: [],
      ...(egress ? { IpPermissionsEgress: egress } : {}),
    });
    const r = runJson({
      SecurityGroups: [
        group('sg-tcpudp', [all('tcp'), all('17')]),
        group('sg-tcp', [all('tcp')]),
        group('sg-private', [all('-1', '10.0.0.0/8')]),
        group('sg-trimmed'),
      ],
    });
    expect(r.document.devices.map((d) => [d.id, d.defaultOutbound])).toEqual([
      ['sg-tcpudp', 'deny'],
      ['sg-tcp', 'deny'],
      ['sg-private', 'deny'],
      ['sg-trimmed', 'unknown'],
    ]);
    expect(egressVerdicts(r)).toEqual([
      ['sg-tcpudp', 'fail'],
      ['sg-tcp', 'pass'],
      ['sg-private', 'pass'],
      ['sg-trimmed', 'insufficient_evidence'],
    ]);
  });
});

describe('aws-security-groups adapter: envelopes, pages and ids', () => {
  it('accepts a bare array', () => {
    const r = run([['groups', 'groups-bare.json']]);
    expect(r.document.devices.map((d) => d.id)).toEqual(['sg-0a1b2c3d4e5f60004']);
    expect(r.document.rules[0]!.origin).toEqual({ part: 'groups', pointer: '/0/IpPermissions/0' });
  });

  it('several pages: origins carry the page; no instance when accounts differ', () => {
    const r = run([
      ['groups', 'groups-page1.json'],
      ['groups', 'groups-page2.json'],
    ]);
    expect(r.document.devices.map((d) => d.origin)).toEqual([
      { part: 'groups', page: 0, pointer: '/SecurityGroups/0' },
      { part: 'groups', page: 1, pointer: '/SecurityGroups/0' },
    ]);
    expect(r.instance).toBeUndefined();
    expect(r.document.rules[0]).toMatchObject({
      sources: ['sg:sg-0b0000000000000a1'],
      protocol: 'any',
      exposure: 'internal',
    });
  });

  it('a group given twice is kept once, with a warning', () => {
    const r = run([
      ['groups', 'groups-bare.json'],
      ['groups', 'groups-bare.json'],
    ]);
    expect(r.document.devices).toHaveLength(1);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'duplicate_group', page: 1, pointer: '/0' }));
  });

  it('rule ids ignore the order of the peers; identical permissions get distinct ids', () => {
    const perm = (ranges: string[]) => ({
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
      IpRanges: ranges.map((CidrIp) => ({ CidrIp })),
    });
    const a = runJson([{ GroupId: 'sg-1', IpPermissions: [perm(['10.0.0.0/8', '192.0.2.0/24'])] }]).document.rules[0]!
      .id;
    const b = runJson([{ GroupId: 'sg-1', IpPermissions: [perm(['192.0.2.0/24', '10.0.0.0/8'])] }]).document.rules[0]!
      .id;
    expect(a).toBe(b);
    const dup = runJson([{ GroupId: 'sg-1', IpPermissions: [perm(['10.0.0.0/8']), perm(['10.0.0.0/8'])] }]).document
      .rules;
    expect(dup.map((x) => x.id)).toEqual([dup[0]!.id, `${dup[0]!.id}~2`]);
  });

  it('a CidrIp that is not a CIDR becomes a ref (exposure unknown), with a warning', () => {
    const r = runJson([
      {
        GroupId: 'sg-1',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: 'office' }] }],
      },
    ]);
    expect(r.document.rules[0]).toMatchObject({ sources: ['ref:office'], exposure: 'unknown' });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'invalid_cidr', pointer: '/0/IpPermissions/0' }));
  });

  it('an out-of-range port range matches every port, with a warning', () => {
    const r = runJson([
      {
        GroupId: 'sg-1',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 70000, ToPort: 70001, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
    ]);
    expect(r.document.rules[0]!.ports).toEqual([]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'invalid_port_range', pointer: '/0/IpPermissions/0' }),
    );
  });
});

describe('aws-security-groups adapter: bad input', () => {
  it('schema violations → 422 pointing at the fields', () => {
    const err = thrown(() => run([['groups', 'groups-invalid.json']]));
    expect(err.status).toBe(422);
    expect(err.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ part: 'groups', page: 0, pointer: '/SecurityGroups/0/GroupId' }),
        expect.objectContaining({ part: 'groups', page: 0, pointer: '/SecurityGroups/0/IpPermissions/0/FromPort' }),
      ]),
    );
  });

  it('a prefixLists part of an unknown shape → 422', () => {
    const err = thrown(() =>
      runAdapter(
        awsSecurityGroupsAdapter,
        [
          { name: 'groups', bytes: Buffer.from('[]') },
          { name: 'prefixLists', bytes: Buffer.from('{"corp": {"Entries": []}}') },
        ],
        { clients: [] },
      ),
    );
    expect(err.status).toBe(422);
    expect(err.problems[0]).toMatchObject({ part: 'prefixLists' });
  });

  it('malformed JSON → 400 with line and pointer', () => {
    const err = thrown(() => run([['groups', 'groups-malformed.json']]));
    expect(err.status).toBe(400);
    expect(err.problems[0]).toMatchObject({ part: 'groups', line: 3 });
  });

  it('no groups at all is an empty document', () => {
    expect(runJson({ SecurityGroups: [] }).document).toEqual({ devices: [], rules: [] });
  });
});
