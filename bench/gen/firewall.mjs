/**
 * Firewall exports: `nft -j list ruleset` (libnftables JSON, FORMATS.md §9; shapes as
 * tests/fixtures/nftables) and `aws ec2 describe-security-groups` (FORMATS.md §10, as
 * tests/fixtures/aws-security-groups).
 *
 * nftables: an inet filter table (input drop, forward drop, output accept) with named sets, a
 * jumped `wan_in` chain, mostly forward rules between internal subnets, a few inbound rules on
 * the internet interface (eth0): ~1% of rules expose an admin port (22/3389/5900…) to the
 * internet, ~0.5% allow everything from the internet, ~0.5% allow any to any (forward, at the end), ~0.5% allow broad port ranges, deny rules
 * log 90% of the time, a few outbound any-to-any rules, some counters and comments.
 * `marker: true` puts the comment "ci-build 000000000" on one rule, for the ingest bench to make
 * every request a different export at the same length.
 *
 * AWS: security groups with 1–8 ingress permissions and one egress each; ~1% admin ports from
 * 0.0.0.0/0, ~0.5% all protocols from the internet, ~1% broad port ranges, a few prefix-list and
 * security-group peers; 30% of the groups keep the AWS default egress (all traffic), the others
 * allow only HTTPS out.
 */
import { createRandom } from '../lib/prng.mjs';

const ADMIN_PORTS = [22, 3389, 5900, 23, 445, 5985, 5986, 1433, 3306, 5432];
const SERVICE_PORTS = [80, 443, 8080, 8443, 53, 123, 25, 587, 993, 636, 389, 9100, 6443, 2049, 5060];

const dport = (proto, right) => ({
  match: { op: '==', left: { payload: { protocol: proto, field: 'dport' } }, right },
});
const addr = (field, right, family = 'ip') => ({
  match: { op: '==', left: { payload: { protocol: family, field } }, right },
});
const iif = (name) => ({ match: { op: '==', left: { meta: { key: 'iifname' } }, right: name } });
const prefix = (a, len) => ({ prefix: { addr: a, len } });

/** `count` rules (approximately: the base of fixed rules is included). */
export function nftablesExport({ seed, count, stream = 'nftables', marker = false }) {
  const rnd = createRandom(seed, stream);
  const T = { family: 'inet', table: 'filter' };
  const out = [
    { metainfo: { version: '1.0.9', release_name: 'Old Doc Yak #3', json_schema_version: 1 } },
    { table: { family: 'inet', name: 'filter', handle: 1 } },
  ];
  out.push({
    set: {
      ...T,
      name: 'mgmt_hosts',
      type: 'ipv4_addr',
      handle: 2,
      flags: ['interval'],
      elem: ['10.20.1.10', prefix('10.20.2.0', 24), { range: ['10.20.3.1', '10.20.3.9'] }],
    },
  });
  out.push({
    set: {
      ...T,
      name: 'partners',
      type: 'ipv4_addr',
      handle: 3,
      flags: ['interval'],
      elem: [prefix('198.51.100.0', 24), prefix('192.0.2.0', 25)],
    },
  });
  out.push({ chain: { ...T, name: 'input', handle: 5, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } });
  out.push({ chain: { ...T, name: 'forward', handle: 6, type: 'filter', hook: 'forward', prio: 0, policy: 'drop' } });
  out.push({ chain: { ...T, name: 'output', handle: 7, type: 'filter', hook: 'output', prio: 0, policy: 'accept' } });
  out.push({ chain: { ...T, name: 'wan_in', handle: 8 } });
  let handle = 10;
  const rule = (chain, expr, comment) =>
    out.push({ rule: { ...T, chain, handle: handle++, expr, ...(comment ? { comment } : {}) } });
  rule('input', [
    {
      vmap: {
        key: { ct: { key: 'state' } },
        data: {
          set: [
            ['established', { accept: null }],
            ['related', { accept: null }],
            ['invalid', { drop: null }],
          ],
        },
      },
    },
  ]);
  rule('input', [iif('lo'), { accept: null }]);
  rule(
    'input',
    [
      addr('saddr', '@mgmt_hosts'),
      dport('tcp', 22),
      { counter: { packets: rnd.int(0, 9999), bytes: rnd.int(0, 999999) } },
      { accept: null },
    ],
    'ssh from mgmt',
  );
  rule('input', [iif('eth0'), { jump: { target: 'wan_in' } }]);
  rule('forward', [
    { match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } },
    { accept: null },
  ]);
  const wanRules = Math.max(3, Math.round(count * 0.01));
  const fixed = 5;
  const rest = Math.max(0, count - fixed - wanRules);
  let markerPlaced = !marker;
  const last = [];
  for (let i = 0; i < wanRules; i++) {
    const kind = rnd.weighted([
      ['service', 80],
      ['admin', 10],
      ['partner', 10],
    ]);
    if (kind === 'admin')
      rule(
        'wan_in',
        [
          dport('tcp', rnd.pick(ADMIN_PORTS)),
          { counter: { packets: rnd.int(0, 999), bytes: rnd.int(0, 99999) } },
          { accept: null },
        ],
        'temporary vendor access',
      );
    else if (kind === 'partner')
      rule(
        'wan_in',
        [addr('saddr', '@partners'), dport('tcp', rnd.pick(ADMIN_PORTS)), { accept: null }],
        'partner support',
      );
    else rule('wan_in', [dport('tcp', { set: [80, 443] }), { accept: null }]);
  }
  const placeMarker = () => {
    markerPlaced = true;
    return 'ci-build 000000000';
  };
  for (let i = 0; i < rest; i++) {
    const where = rnd.weighted([
      ['forward', 85],
      ['input', 8],
      ['output', 7],
    ]);
    const comment =
      !markerPlaced && i === Math.floor(rest / 2)
        ? placeMarker()
        : rnd.chance(0.3)
          ? `change CHG${rnd.digits(6)} ${rnd.pick(['app', 'db', 'backup', 'monitoring', 'print', 'voip'])}`
          : undefined;
    const counter = rnd.chance(0.5) ? [{ counter: { packets: rnd.int(0, 99999), bytes: rnd.int(0, 9999999) } }] : [];
    if (where === 'output') {
      if (rnd.chance(0.05)) last.push(['output', [...counter, { accept: null }], comment ?? 'allow all outbound']);
      else
        rule(
          'output',
          [
            addr('daddr', prefix(`10.${rnd.int(0, 60)}.0.0`, 16)),
            dport(rnd.pick(['tcp', 'udp']), rnd.pick(SERVICE_PORTS)),
            ...counter,
            { accept: null },
          ],
          comment,
        );
      continue;
    }
    const kind = rnd.weighted([
      ['allow', 80],
      ['deny', 15],
      ['range', 1.5],
      ['anyany', 0.5],
      ['inet-admin', 1],
      ['inet-all', 0.5],
      ['reject', 1.5],
    ]);
    const src = addr('saddr', prefix(`10.${rnd.int(0, 60)}.${rnd.int(0, 255)}.0`, rnd.pick([16, 24, 24, 24, 28])));
    const dst = addr('daddr', `10.${rnd.int(0, 60)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}`);
    const proto = rnd.weighted([
      ['tcp', 80],
      ['udp', 20],
    ]);
    if (kind === 'allow')
      rule(
        where,
        [
          src,
          dst,
          dport(
            proto,
            rnd.chance(0.2) ? { set: [rnd.pick(SERVICE_PORTS), rnd.pick(SERVICE_PORTS) + 1] } : rnd.pick(SERVICE_PORTS),
          ),
          ...counter,
          { accept: null },
        ],
        comment,
      );
    else if (kind === 'deny')
      rule(
        where,
        [src, dst, ...(rnd.chance(0.9) ? [{ log: { prefix: 'deny ' } }] : []), ...counter, { drop: null }],
        comment,
      );
    else if (kind === 'reject')
      rule(where, [src, dport('tcp', rnd.pick(ADMIN_PORTS)), { reject: { type: 'tcp reset' } }], comment);
    else if (kind === 'range')
      rule(where, [src, dst, dport('tcp', { range: [1024, 65535] }), { accept: null }], comment ?? 'ephemeral');
    // an unconditional accept shadows every later rule of its chain: these go last
    else if (kind === 'anyany')
      last.push(['forward', [...counter, { accept: null }], comment ?? 'temporary: allow all']);
    else if (kind === 'inet-admin')
      rule(where, [iif('eth0'), dport('tcp', rnd.pick(ADMIN_PORTS)), { accept: null }], comment ?? 'remote admin');
    else rule(where, [iif('eth0'), dst, { accept: null }], comment ?? 'dmz host');
  }
  for (const r of last) rule(...r);
  rule('input', [dport('tcp', 23), { log: { prefix: 'telnet ', level: 'info' } }]);
  rule('input', [dport('tcp', 23), { counter: { packets: 3, bytes: 180 } }, { drop: null }]);
  return { nftables: out };
}

/** `count` canonical rules: one per permission, ingress 1–8 per group plus one egress. */
export function awsSecurityGroupsExport({ seed, count }) {
  const rnd = createRandom(seed, 'aws-security-groups');
  const owner = rnd.digits(12);
  const vpc = `vpc-${rnd.hex(17)}`;
  const groups = [];
  let rules = 0;
  while (rules < count) {
    const id = `sg-${rnd.hex(17)}`;
    const name = `${rnd.pick(['web', 'app', 'db', 'cache', 'bastion', 'batch', 'lb', 'k8s-node', 'vpn'])}-${groups.length}`;
    const ingress = [];
    const n = Math.min(rnd.int(1, 8), count - rules - 1 > 0 ? count - rules - 1 : 1);
    for (let k = 0; k < n; k++) {
      const kind = rnd.weighted([
        ['cidr', 70],
        ['sg', 18],
        ['pl', 4],
        ['public-web', 5],
        ['public-admin', 1],
        ['public-all', 0.5],
        ['range', 1],
        ['v6', 0.5],
      ]);
      const port = rnd.pick(SERVICE_PORTS);
      const perm = {
        FromPort: port,
        IpProtocol: rnd.weighted([
          ['tcp', 85],
          ['udp', 10],
          ['6', 5],
        ]),
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        ToPort: port,
        UserIdGroupPairs: [],
      };
      if (kind === 'cidr')
        perm.IpRanges.push({
          CidrIp: `10.${rnd.int(0, 255)}.${rnd.int(0, 255)}.0/${rnd.pick([16, 20, 24])}`,
          Description: rnd.chance(0.4) ? 'internal' : undefined,
        });
      else if (kind === 'sg')
        perm.UserIdGroupPairs.push({
          GroupId: groups.length > 0 ? rnd.pick(groups).GroupId : id,
          UserId: owner,
          Description: 'from peer tier',
        });
      else if (kind === 'pl')
        perm.PrefixListIds.push({ PrefixListId: `pl-${rnd.hex(17)}`, Description: 'corp offices' });
      else if (kind === 'public-web')
        Object.assign(perm, {
          FromPort: 443,
          ToPort: 443,
          IpProtocol: 'tcp',
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTPS from anywhere' }],
        });
      else if (kind === 'public-admin') {
        const p = rnd.pick(ADMIN_PORTS);
        Object.assign(perm, { FromPort: p, ToPort: p, IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
      } else if (kind === 'public-all') {
        delete perm.FromPort;
        delete perm.ToPort;
        Object.assign(perm, { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
      } else if (kind === 'range')
        Object.assign(perm, { FromPort: 1024, ToPort: 65535, IpRanges: [{ CidrIp: `10.${rnd.int(0, 255)}.0.0/16` }] });
      else Object.assign(perm, { FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Ipv6Ranges: [{ CidrIpv6: '::/0' }] });
      ingress.push(perm);
    }
    groups.push({
      Description: `${name} security group`,
      GroupName: name,
      IpPermissions: ingress,
      OwnerId: owner,
      GroupId: id,
      IpPermissionsEgress: [
        rnd.chance(0.3)
          ? {
              IpProtocol: '-1',
              IpRanges: [{ CidrIp: '0.0.0.0/0' }],
              Ipv6Ranges: rnd.chance(0.5) ? [{ CidrIpv6: '::/0' }] : [],
              PrefixListIds: [],
              UserIdGroupPairs: [],
            }
          : {
              FromPort: 443,
              IpProtocol: 'tcp',
              IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTPS out' }],
              Ipv6Ranges: [],
              PrefixListIds: [],
              ToPort: 443,
              UserIdGroupPairs: [],
            },
      ],
      Tags: [
        { Key: 'Name', Value: name },
        { Key: 'env', Value: rnd.pick(['prod', 'staging', 'dev']) },
      ],
      VpcId: vpc,
      SecurityGroupArn: `arn:aws:ec2:eu-west-1:${owner}:security-group/${id}`,
    });
    rules += n + 1;
  }
  return { SecurityGroups: groups };
}
