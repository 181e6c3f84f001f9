import { iptablesSaveAdapter } from '../../../src/adapters/firewall/iptables-save.js';
import { adapterFor } from '../../../src/adapters/registry.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterContext, type AdapterResult } from '../../../src/adapters/types.js';
import type { FirewallRule } from '../../../src/schemas/canonical-types.js';
import { fixture, runOnFixtures } from '../../helpers/adapters.js';

const WAN = { internetInterfaces: ['eth0', 'ppp0'] };

function run(name: string, context: Partial<AdapterContext> = WAN): AdapterResult<'firewall'> {
  return runOnFixtures(iptablesSaveAdapter, [['body', `iptables-save/${name}`]], context) as AdapterResult<'firewall'>;
}

function runText(texts: string[], context: Partial<AdapterContext> = WAN): AdapterResult<'firewall'> {
  return runAdapter(
    iptablesSaveAdapter,
    texts.map((t) => ({ name: 'body', bytes: Buffer.from(t) })),
    { clients: [], ...context },
  ) as AdapterResult<'firewall'>;
}

const text = (name: string) => fixture(`iptables-save/${name}`).toString('utf8');

/** 1-based line of the first line of the fixture that contains `marker`. */
function lineOf(name: string, marker: string): number {
  const at = text(name)
    .split('\n')
    .findIndex((l) => l.includes(marker));
  if (at < 0) throw new Error(`no line contains ${marker}`);
  return at + 1;
}

/** The rules whose deciding rule sits on the fixture line containing `marker`. */
function rulesAt(r: AdapterResult<'firewall'>, name: string, marker: string): FirewallRule[] {
  const line = lineOf(name, marker);
  return r.document.rules.filter((x) => x.origin.line === line);
}

function only(r: AdapterResult<'firewall'>, name: string, marker: string): FirewallRule {
  const found = rulesAt(r, name, marker);
  if (found.length !== 1) throw new Error(`${found.length} rules at ${marker}`);
  return found[0]!;
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

const ANY4 = ['0.0.0.0/0'];
const base = { device: 'iptables', enabled: true, log: false, description: null, destinations: ANY4 };

describe('iptables-save adapter: device', () => {
  it('is one device per export, default-deny from the filter INPUT policy, no instance or time', () => {
    const r = run('host.rules');
    expect(r.document.devices).toEqual([
      {
        id: 'iptables',
        source: 'iptables-save',
        name: 'iptables',
        defaultInbound: 'deny',
        defaultOutbound: 'allow',
        internetInterfaces: ['eth0', 'ppp0'],
        internetInterfacesFrom: 'request',
        origin: { part: 'body', line: lineOf('host.rules', ':INPUT DROP') },
      },
    ]);
    expect(r.instance).toBeUndefined();
    expect(r.collectedAt).toBeUndefined();
  });

  it('without ?internetInterfaces= the NAT rules name them: MASQUERADE out of eth0 (a warning says so)', () => {
    const r = run('host.rules', {});
    expect(r.document.devices[0]).toMatchObject({ internetInterfaces: ['eth0'], internetInterfacesFrom: 'nat-rules' });
    const warning = r.warnings.find((w) => w.code === 'internet_interfaces_inferred');
    expect(warning?.message).toContain('eth0 taken to face the internet');
    expect(warning?.message).toContain(
      `line ${lineOf('host.rules', '-j MASQUERADE')} masquerades or SNATs out of eth0`,
    );
    // the masquerade names it: the DNAT rules are not needed as evidence
    expect(warning?.message).not.toContain('port-forwards (DNAT)');
    // any interface, any source: judged on the inferred interfaces, and says so
    expect(only(r, 'host.rules', '--dport 3380:3399')).toMatchObject({
      exposure: 'internet',
      assumed: ['internetInterfaces'],
    });
    expect(only(r, 'host.rules', 'rdp to terminal server')).toMatchObject({
      exposure: 'internet',
      assumed: ['internetInterfaces'],
    });
    // ppp+ is not among the inferred interfaces: internal, nothing assumed
    expect(only(r, 'host.rules', '-A WAN_IN -p tcp -m tcp --dport 443').exposure).toBe('internal');
    expect(only(r, 'host.rules', 'allow ssh from mgmt')).not.toHaveProperty('assumed');
    expect(only(r, 'host.rules', 'allow ssh from mgmt').exposure).toBe('internal');
    expect(only(r, 'host.rules', '-A INPUT -i lo').exposure).toBe('internal');
  });

  it('with no MASQUERADE/SNAT naming one, the in-interface of the DNAT rules is taken', () => {
    const r = run('nat-only.rules', {});
    expect(r.document.devices[0]).toMatchObject({ internetInterfaces: ['eth0'], internetInterfacesFrom: 'nat-rules' });
    const warning = r.warnings.find((w) => w.code === 'internet_interfaces_inferred');
    expect(warning?.message).toContain(
      `line ${lineOf('nat-only.rules', '--dport 2222')} port-forwards (DNAT) traffic arriving on eth0`,
    );
    expect(only(r, 'nat-only.rules', '--dport 51820')).toMatchObject({
      exposure: 'internet',
      assumed: ['internetInterfaces'],
    });
  });

  it('an explicit ?internetInterfaces= wins over the NAT rules and nothing is assumed', () => {
    const r = run('host.rules', { internetInterfaces: ['ppp0'] });
    expect(r.document.devices[0]).toMatchObject({ internetInterfaces: ['ppp0'], internetInterfacesFrom: 'request' });
    expect(r.warnings.map((w) => w.code)).not.toContain('internet_interfaces_inferred');
    expect(only(r, 'host.rules', '--dport 3380:3399')).toMatchObject({ exposure: 'internet' });
    expect(only(r, 'host.rules', '--dport 3380:3399')).not.toHaveProperty('assumed');
    expect(only(r, 'host.rules', 'rdp to terminal server').exposure).toBe('internal');
  });

  const NO_NAT = [
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
    '-A INPUT -i eth1 -p tcp -m tcp --dport 3389 -j ACCEPT',
    '-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 5432 -j ACCEPT',
    '-A INPUT -s 198.51.100.0/24 -p tcp -m tcp --dport 3306 -j ACCEPT',
    'COMMIT',
    '',
  ].join('\n');
  const noNatAt = (r: AdapterResult<'firewall'>, port: number) =>
    r.document.rules.find((x) => x.ports.some((p) => p.from === port))!;

  it('with no NAT rule and no ?internetInterfaces=: an any-interface public accept is exposed by assumption, a named interface unknown', () => {
    const r = runText([NO_NAT], {});
    expect(r.document.devices[0]!.internetInterfaces).toBeNull();
    expect(r.document.devices[0]).not.toHaveProperty('internetInterfacesFrom');
    expect(noNatAt(r, 22)).toMatchObject({ interface: null, exposure: 'internet', assumed: ['internetInterfaces'] });
    expect(noNatAt(r, 3389)).toMatchObject({ interface: 'eth1', exposure: 'unknown' });
    expect(noNatAt(r, 3389)).not.toHaveProperty('assumed');
    expect(noNatAt(r, 5432).exposure).toBe('internal');
    expect(noNatAt(r, 5432)).not.toHaveProperty('assumed');
    expect(noNatAt(r, 3306)).toMatchObject({ exposure: 'restricted', assumed: ['internetInterfaces'] });
  });

  it('?internetInterfaces= given empty: no interface faces the internet, every rule is internal', () => {
    const r = runText([NO_NAT], { internetInterfaces: [] });
    expect(r.document.rules.map((x) => x.exposure)).toEqual(['internal', 'internal', 'internal', 'internal']);
    expect(r.document.rules.some((x) => 'assumed' in x)).toBe(false);
  });

  it("Docker's negated MASQUERADE (! -o docker0) and loopback name no internet interface", () => {
    const t = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [0:0]',
      '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
      '-A PREROUTING -i lo -p tcp -m tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080',
      'COMMIT',
      '',
    ].join('\n');
    const r = runText([t, NO_NAT], {});
    expect(r.document.devices[0]!.internetInterfaces).toBeNull();
    expect(r.warnings.map((w) => w.code)).not.toContain('internet_interfaces_inferred');
  });

  it('an unconditional REJECT at the end of INPUT (RHEL) is a default deny despite policy ACCEPT', () => {
    const r = run('rhel.rules');
    expect(r.document.devices[0]!.defaultInbound).toBe('deny');
  });

  it('a rule after an unconditional verdict is kept disabled, with a warning', () => {
    const r = run('rhel.rules');
    const line = lineOf('rhel.rules', '--dport 8080');
    expect(only(r, 'rhel.rules', '--dport 8080')).toMatchObject({
      enabled: false,
      action: 'allow',
      ports: [{ from: 8080, to: 8080 }],
    });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'unreachable_rule', part: 'body', line }));
  });

  it('iptables-save then ip6tables-save: allow when either family lets inbound in', () => {
    const r = run('dual-stack.rules');
    expect(r.document.devices[0]!.defaultInbound).toBe('allow');
    const [v4, v6] = r.document.rules;
    expect(v4).toMatchObject({ sources: ['0.0.0.0/0'], destinations: ['0.0.0.0/0'], ports: [{ from: 443, to: 443 }] });
    expect(v6).toMatchObject({
      sources: ['::/0'],
      destinations: ['::/0'],
      ports: [{ from: 443, to: 443 }],
      origin: { part: 'body', line: 14 },
    });
    expect(v4!.id).not.toBe(v6!.id);
  });

  it('no filter table → defaultInbound unknown', () => {
    expect(run('nat-only.rules').document.devices[0]!.defaultInbound).toBe('unknown');
  });

  it('iptables-nft notes (legacy tables, an incompatible table) become warnings and an unknown default', () => {
    const r = run('iptables-nft-warnings.rules');
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'legacy_tables', part: 'body', line: 1 }),
      expect.objectContaining({ code: 'incompatible_table', part: 'body', line: 7 }),
    ]);
    expect(r.document.devices[0]!.defaultInbound).toBe('unknown');
  });

  it('an empty export is one device with an unknown default and a warning', () => {
    const r = runText(['# Generated by iptables-save v1.8.7\n']);
    expect(r.document).toEqual({
      devices: [
        {
          id: 'iptables',
          source: 'iptables-save',
          name: 'iptables',
          defaultInbound: 'unknown',
          defaultOutbound: 'unknown',
          internetInterfaces: ['eth0', 'ppp0'],
          internetInterfacesFrom: 'request',
          origin: { part: 'body', line: 1 },
        },
      ],
      rules: [],
    });
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'empty_export' })]);
  });
});

describe('iptables-save adapter: filter rules', () => {
  const r = run('host.rules');
  const at = (marker: string) => only(r, 'host.rules', marker);

  it('loopback is internal whatever faces the internet', () => {
    expect(at('-A INPUT -i lo')).toEqual({
      ...base,
      id: expect.stringMatching(/^ipt-[0-9a-f]{16}$/),
      action: 'allow',
      direction: 'inbound',
      interface: 'lo',
      protocol: 'any',
      sources: ANY4,
      ports: [],
      exposure: 'internal',
      origin: { part: 'body', line: lineOf('host.rules', '-A INPUT -i lo') },
    });
  });

  it('an ESTABLISHED,RELATED-only rule opens nothing new: internal, and says so', () => {
    expect(at('-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED')).toMatchObject({
      action: 'allow',
      protocol: 'any',
      exposure: 'internal',
      description: 'conntrack state related,established only: opens no new connection',
    });
    expect(at('-A FORWARD -m state --state RELATED,ESTABLISHED')).toMatchObject({
      direction: 'forward',
      exposure: 'internal',
    });
  });

  it('a quoted comment becomes the description; a private source is internal', () => {
    expect(at('allow ssh from mgmt')).toEqual({
      ...base,
      id: expect.any(String),
      action: 'allow',
      direction: 'inbound',
      interface: null,
      protocol: 'tcp',
      sources: ['10.20.1.0/24'],
      ports: [{ from: 22, to: 22 }],
      exposure: 'internal',
      description: 'allow ssh from mgmt',
      origin: { part: 'body', line: lineOf('host.rules', 'allow ssh from mgmt') },
    });
  });

  it('a negated source jumping to LOG_DROP is a logged deny from everyone else, at the DROP line', () => {
    expect(at('-A LOG_DROP -j DROP')).toEqual({
      ...base,
      id: expect.any(String),
      action: 'deny',
      direction: 'inbound',
      interface: null,
      protocol: 'tcp',
      sources: ['!10.20.1.0/24'],
      ports: [{ from: 22, to: 22 }],
      log: true,
      exposure: 'internet',
      origin: { part: 'body', line: lineOf('host.rules', '-A LOG_DROP -j DROP') },
    });
  });

  it('port ranges and multiport lists are destination port ranges', () => {
    expect(at('--dport 3380:3399')).toMatchObject({
      protocol: 'tcp',
      sources: ANY4,
      ports: [{ from: 3380, to: 3399 }],
      exposure: 'internet',
    });
    expect(at('--dports 161,162,8000:8100')).toMatchObject({
      protocol: 'udp',
      ports: [
        { from: 161, to: 162 },
        { from: 8000, to: 8100 },
      ],
      exposure: 'internet',
    });
  });

  it('rules of a user chain are flattened under the jump (interface ppp+ and its matches)', () => {
    expect(at('-A WAN_IN -p tcp -m tcp --dport 443')).toMatchObject({
      direction: 'inbound',
      interface: 'ppp+',
      ports: [{ from: 443, to: 443 }],
      exposure: 'internet',
      enabled: true,
    });
    expect(at('-A WAN_IN -s 198.51.100.0/24')).toMatchObject({
      interface: 'ppp+',
      sources: ['198.51.100.0/24'],
      ports: [{ from: 5432, to: 5432 }],
      exposure: 'restricted', // a partner's /24: an allow-list
    });
  });

  it('an unconditional RETURN ends the user chain: what follows is disabled', () => {
    expect(at('-A WAN_IN -p tcp -m tcp --dport 80')).toMatchObject({ enabled: false, interface: 'ppp+' });
  });

  it('ppp+ matches ppp0 when it faces the internet, not when only eth0 does', () => {
    const eth0Only = run('host.rules', { internetInterfaces: ['eth0'] });
    expect(only(eth0Only, 'host.rules', '-A WAN_IN -p tcp -m tcp --dport 443').exposure).toBe('internal');
    const pattern = run('host.rules', { internetInterfaces: ['ppp+'] });
    expect(only(pattern, 'host.rules', '-A WAN_IN -p tcp -m tcp --dport 443').exposure).toBe('internet');
  });

  it('a LOG rule right before a DROP with the same matches (rate limit aside) logs that DROP', () => {
    expect(at('-A INPUT -p tcp -m tcp --dport 23 -j DROP')).toMatchObject({
      action: 'deny',
      ports: [{ from: 23, to: 23 }],
      log: true,
    });
    expect(r.document.rules.some((x) => x.origin.line === lineOf('host.rules', '-j LOG --log-prefix "telnet: "'))).toBe(
      false,
    );
  });

  it('an undecodable match module (recent) leaves the exposure unknown, never internet', () => {
    expect(at('--dport 8443 -m recent')).toMatchObject({
      action: 'allow',
      sources: ANY4,
      ports: [{ from: 8443, to: 8443 }],
      exposure: 'unknown',
    });
  });

  it('an ipset is kept as ref: with a warning; exposure unknown', () => {
    const line = lineOf('host.rules', '--match-set trusted_partners');
    expect(at('--match-set trusted_partners')).toMatchObject({
      sources: ['ref:trusted_partners'],
      ports: [{ from: 9000, to: 9000 }],
      exposure: 'unknown',
    });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'unresolved_ipset', part: 'body', line }));
  });

  it('icmp has no ports', () => {
    expect(at('--icmp-type 8')).toMatchObject({ protocol: 'icmp', ports: [], exposure: 'internet' });
  });

  it('FORWARD rules use the ingress interface; OUTPUT rules are outbound and internal', () => {
    expect(at('-A FORWARD -d 10.0.0.5/32')).toMatchObject({
      direction: 'forward',
      interface: 'eth0',
      destinations: ['10.0.0.5/32'],
      ports: [{ from: 3389, to: 3389 }],
      exposure: 'internet',
    });
    expect(at('-A OUTPUT -p udp')).toMatchObject({
      direction: 'outbound',
      interface: null,
      protocol: 'udp',
      ports: [{ from: 53, to: 53 }],
      exposure: 'internal',
    });
  });

  it('mangle rules, LOG rules and MASQUERADE produce no rule', () => {
    for (const marker of ['-j MARK', '-j MASQUERADE', '-A LOG_DROP -j LOG'])
      expect(rulesAt(r, 'host.rules', marker)).toEqual([]);
    expect(r.document.rules).toHaveLength(18); // 13 INPUT, 2 FORWARD, 1 OUTPUT, 2 DNAT
  });
});

describe('iptables-save adapter: DNAT port-forwards', () => {
  const r = run('host.rules');

  it('become a forward rule to the translated host and port, allowed when FORWARD accepts it', () => {
    expect(only(r, 'host.rules', '--dport 33890')).toEqual({
      ...base,
      id: expect.stringMatching(/^ipt-/),
      action: 'allow',
      direction: 'forward',
      interface: 'eth0',
      protocol: 'tcp',
      sources: ANY4,
      destinations: ['10.0.0.5/32'],
      ports: [{ from: 3389, to: 3389 }],
      exposure: 'internet',
      description: 'port-forward tcp/33890 -> 10.0.0.5:3389 (rdp to terminal server)',
      origin: { part: 'body', line: lineOf('host.rules', '--dport 33890') },
    });
  });

  it('are deny when FORWARD drops by policy and no FORWARD rule accepts them', () => {
    expect(only(r, 'host.rules', '--dport 8080 -j DNAT')).toMatchObject({
      action: 'deny',
      destinations: ['10.0.0.6/32'],
      ports: [{ from: 80, to: 80 }],
      exposure: 'internet',
    });
  });

  it('through Docker chains (addrtype, DOCKER, ! -i docker0) are allowed by the DOCKER filter chain', () => {
    const d = run('docker.rules', { internetInterfaces: ['eth0'] });
    expect(only(d, 'docker.rules', '-j DNAT --to-destination 172.17.0.2:5432')).toMatchObject({
      action: 'allow',
      direction: 'forward',
      interface: '!docker0',
      destinations: ['172.17.0.2/32'],
      ports: [{ from: 5432, to: 5432 }],
      exposure: 'internet',
    });
  });

  it('without a filter table nothing filters them: allow, sources kept, port unchanged when not translated', () => {
    const n = run('nat-only.rules');
    expect(only(n, 'nat-only.rules', '--dport 2222')).toMatchObject({
      action: 'allow',
      sources: ['198.51.100.0/24'],
      destinations: ['192.168.1.20/32'],
      ports: [{ from: 22, to: 22 }],
      exposure: 'restricted', // only from 198.51.100.0/24: an allow-list
    });
    expect(only(n, 'nat-only.rules', '--dport 51820')).toMatchObject({
      action: 'allow',
      protocol: 'udp',
      destinations: ['192.168.1.30/32'],
      ports: [{ from: 51820, to: 51820 }],
    });
  });
});

describe('iptables-save adapter: edge cases', () => {
  const r = run('edge-cases.rules', { internetInterfaces: ['eth0'] });
  const at = (marker: string) => rulesAt(r, 'edge-cases.rules', marker);

  it('-s with a comma list is one rule with both sources', () => {
    expect(at('-s 10.0.0.1/32,10.0.0.2/32')).toEqual([
      expect.objectContaining({ sources: ['10.0.0.1/32', '10.0.0.2/32'], exposure: 'internal' }),
    ]);
  });

  it('! -i and ! --dport: negated interface, complemented ports', () => {
    expect(at('! -i eth1')).toEqual([
      expect.objectContaining({
        interface: '!eth1',
        ports: [
          { from: 0, to: 0 },
          { from: 1024, to: 65535 },
        ],
        exposure: 'internet',
      }),
    ]);
    const lan = run('edge-cases.rules', { internetInterfaces: ['eth1'] });
    expect(rulesAt(lan, 'edge-cases.rules', '! -i eth1')[0]!.exposure).toBe('internal');
  });

  it('iprange becomes CIDRs', () => {
    expect(at('--src-range')[0]!.sources).toEqual(['192.0.2.10/31', '192.0.2.12/30', '192.0.2.16/30', '192.0.2.20/32']);
  });

  it('escaped quotes inside a quoted comment', () => {
    expect(at('--dport 2222')[0]!.description).toBe('ssh "alt" port; see ticket #42');
  });

  it('a jump narrows the sources of the chain it reaches; disjoint paths are dropped', () => {
    expect(at('-A SSH_IN -s 10.20.5.0/24')).toEqual([
      expect.objectContaining({ direction: 'inbound', sources: ['10.20.5.0/24'] }),
      expect.objectContaining({ direction: 'forward', interface: 'eth0', sources: ['10.20.5.0/24'] }),
    ]);
    expect(at('-A SSH_IN -s 192.168.0.0/16')).toEqual([
      expect.objectContaining({ direction: 'forward', sources: ['192.168.0.0/16'] }),
    ]);
  });

  it('--sport does not narrow the destination ports (the client picks its source port)', () => {
    expect(at('--sport 53')).toEqual([expect.objectContaining({ protocol: 'udp', ports: [], exposure: 'internet' })]);
  });

  it('an unknown module (geoip) keeps the rule at exposure unknown', () => {
    expect(at('-m geoip')).toEqual([
      expect.objectContaining({ ports: [{ from: 8080, to: 8080 }], exposure: 'unknown' }),
    ]);
  });

  it('NFQUEUE cannot be evaluated: no rule, a warning', () => {
    expect(at('NFQUEUE')).toEqual([]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'unknown_verdict', line: lineOf('edge-cases.rules', 'NFQUEUE') }),
    );
  });

  it('LOG with the same interface and port logs the ACCEPT after it', () => {
    expect(at('--dport 5000 -j ACCEPT')).toEqual([
      expect.objectContaining({ interface: 'eth0', log: true, exposure: 'internet' }),
    ]);
  });

  it('a host name is not resolved: ref:, warning, exposure unknown', () => {
    expect(at('mgmt.example.com')).toEqual([
      expect.objectContaining({ sources: ['ref:mgmt.example.com/32'], exposure: 'unknown' }),
    ]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'unresolved_address', line: lineOf('edge-cases.rules', 'mgmt.example.com') }),
    );
  });
});

describe('iptables-save adapter: IPv6', () => {
  it('ip6tables-save uses ::/0 for any, icmpv6 for ipv6-icmp; link-local is internal', () => {
    const r = run('ip6tables.rules');
    const at = (m: string) => only(r, 'ip6tables.rules', m);
    expect(at('-p ipv6-icmp')).toMatchObject({
      protocol: 'icmpv6',
      sources: ['::/0'],
      destinations: ['::/0'],
      exposure: 'internet',
    });
    expect(at('-s fe80::/10')).toMatchObject({ sources: ['fe80::/10'], exposure: 'internal' });
    expect(at('-s 2001:db8:10::/48')).toMatchObject({ sources: ['2001:db8:10::/48'], exposure: 'internet' });
  });

  it('a table without a Generated-by header takes the family of its first address', () => {
    const r = run('no-header.rules');
    expect(only(r, 'no-header.rules', '--dport 25')).toMatchObject({ sources: ['::/0'], destinations: ['::/0'] });
  });
});

describe('iptables-save adapter: ids', () => {
  const r = run('host.rules');

  it('are content hashes, unique within the export', () => {
    const ids = r.document.rules.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^ipt-[0-9a-f]{16}$/);
  });

  it('do not change with counters (iptables-save -c)', () => {
    const c = run('counters.rules');
    const byPort = (res: AdapterResult<'firewall'>, from: number) =>
      res.document.rules.find((x) => x.ports[0]?.from === from)!.id;
    expect(byPort(c, 3380)).toBe(byPort(r, 3380));
    expect(c.document.rules.find((x) => x.interface === 'lo')!.id).toBe(
      r.document.rules.find((x) => x.interface === 'lo')!.id,
    );
  });

  it('do not change when rules move', () => {
    const lines = text('host.rules').split('\n');
    const a = lines.findIndex((l) => l.includes('--dport 3380:3399'));
    const b = lines.findIndex((l) => l.includes('--dports 161,162'));
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    const moved = runText([lines.join('\n')]);
    expect(new Set(moved.document.rules.map((x) => x.id))).toEqual(new Set(r.document.rules.map((x) => x.id)));
  });

  it('change when the rule changes; an identical duplicate gets -2', () => {
    const changed = runText([text('host.rules').replace('--dport 3380:3399', '--dport 3380:3390')]);
    expect(changed.document.rules.map((x) => x.id)).not.toContain(only(r, 'host.rules', '--dport 3380:3399').id);
    const line = text('counters.rules').split('\n')[6]!;
    const dup = runText([text('counters.rules').replace(line, `${line}\n${line}`)]);
    const [first, second] = dup.document.rules.filter((x) => x.ports[0]?.from === 3380);
    expect(second!.id).toBe(`${first!.id}-2`);
  });
});

describe('iptables-save adapter: several dumps as pages', () => {
  it('gives every origin its page', () => {
    const r = runText([text('counters.rules'), text('ip6tables.rules')]);
    expect(r.document.rules[0]!.origin).toEqual({ part: 'body', page: 0, line: 6 });
    expect(r.document.rules.at(-1)!.origin).toEqual({ part: 'body', page: 1, line: 10 });
    expect(r.document.devices[0]!.origin).toEqual({ part: 'body', page: 0, line: 3 });
  });

  it('locates a syntax error in its page', () => {
    const e = thrown(() => runText([text('counters.rules'), text('bad/missing-value.rules')]));
    expect(e.problems).toEqual([expect.objectContaining({ part: 'body', page: 1, line: 4 })]);
  });
});

describe('iptables-save adapter: syntax errors → 400 with the line', () => {
  it.each([
    ['unknown-table.rules', 2, /unknown table/],
    ['rule-before-table.rules', 2, /before any \*table/],
    ['missing-commit.rules', 3, /no COMMIT/],
    ['missing-commit-before-table.rules', 4, /no COMMIT before the next table/],
    ['unterminated-quote.rules', 3, /unterminated quote/],
    ['undeclared-chain.rules', 6, /"WAN_IN", which table filter does not declare/],
    ['missing-value.rules', 4, /--dport is missing its value/],
    ['unsupported-command.rules', 3, /unsupported command/],
  ])('%s → line %i', (name, line, message) => {
    const e = thrown(() => run(`bad/${name}`));
    expect(e.status).toBe(400);
    expect(e.problems).toEqual([{ message: expect.stringMatching(message), part: 'body', line }]);
  });

  it.each(['*constructor', '*__proto__', '*toString'])('%s is an unknown table, not an Object property', (table) => {
    const e = thrown(() => runText([`${table}\nCOMMIT\n`]));
    expect(e.problems).toEqual([{ message: expect.stringMatching(/unknown table/), part: 'body', line: 1 }]);
  });

  it('never echoes values from the input', () => {
    const e = thrown(() => run('bad/unterminated-quote.rules'));
    expect(e.problems[0]!.message).not.toContain('allow ssh');
  });

  it.each([
    ['a value before any option', '-A INPUT 10.0.0.1 -j ACCEPT'],
    ['"!" at the end', '-A INPUT -j ACCEPT !'],
    ['too many values', '-A INPUT -s 10.0.0.1 10.0.0.2 -j ACCEPT'],
    ['malformed counters', '[12] -A INPUT -j ACCEPT'],
    ['a garbage line', 'hello'],
  ])('%s → 400 at its line', (_, rule) => {
    const e = thrown(() => runText([`*filter\n:INPUT DROP [0:0]\n${rule}\nCOMMIT\n`]));
    expect(e.status).toBe(400);
    expect(e.problems[0]).toMatchObject({ part: 'body', line: 3 });
  });
});

/** A filter table (policies, rules) and optionally a nat table, as iptables-save prints them. */
function dump(
  filter: { input?: string; forward?: string; output?: string; chains?: string[]; rules: string[] },
  nat: string[] = [],
): string {
  const natTable =
    nat.length > 0
      ? [
          '*nat',
          ':PREROUTING ACCEPT [0:0]',
          ':INPUT ACCEPT [0:0]',
          ':OUTPUT ACCEPT [0:0]',
          ':POSTROUTING ACCEPT [0:0]',
          ...nat,
          'COMMIT',
        ]
      : [];
  return [
    '# Generated by iptables-save v1.8.7',
    ...natTable,
    '*filter',
    `:INPUT ${filter.input ?? 'ACCEPT'} [0:0]`,
    `:FORWARD ${filter.forward ?? 'ACCEPT'} [0:0]`,
    `:OUTPUT ${filter.output ?? 'ACCEPT'} [0:0]`,
    ...(filter.chains ?? []).map((c) => `:${c} - [0:0]`),
    ...filter.rules,
    'COMMIT',
    '',
  ].join('\n');
}

/** The rules decided on the line (1-based) of `text` that contains `marker`. */
function rulesOn(r: AdapterResult<'firewall'>, textOf: string, marker: string): FirewallRule[] {
  const line = textOf.split('\n').findIndex((l) => l.includes(marker)) + 1;
  if (line === 0) throw new Error(`no line contains ${marker}`);
  return r.document.rules.filter((x) => x.origin.line === line);
}

describe('iptables-save adapter: conditions that are not decoded are still conditions', () => {
  const SSH = '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT';

  it.each([
    [
      'hashlimit',
      '-A INPUT -m hashlimit --hashlimit-above 200/sec --hashlimit-burst 1000 --hashlimit-mode srcip --hashlimit-name inflood -j DROP',
      'hashlimit',
    ],
    ['limit', '-A INPUT -m limit --limit 100/sec -j DROP', 'limit'],
    ['fragments (-f)', '-A INPUT -f -j DROP', '-f'],
    ['pkttype', '-A INPUT -m pkttype --pkt-type broadcast -j DROP', 'pkttype'],
    ['addrtype', '-A INPUT -m addrtype --dst-type BROADCAST -j DROP', 'addrtype'],
    ['TCP flags', '-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE -j DROP', 'tcp --tcp-flags'],
    ['mark (opaque)', '-A INPUT -m mark --mark 0x1/0x1 -j DROP', 'mark'],
  ])('a DROP narrowed by %s is not a default deny and hides nothing after it', (_name, drop, condition) => {
    const t = dump({ rules: ['-A INPUT -i lo -j ACCEPT', drop, SSH] });
    const r = runText([t]);
    expect(r.document.devices[0]!.defaultInbound).toBe('allow');
    expect(rulesOn(r, t, drop)).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'deny',
        direction: 'inbound',
        description: expect.stringContaining(`also matches on ${condition}`),
      }),
    ]);
    expect(rulesOn(r, t, SSH)).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'allow',
        protocol: 'tcp',
        sources: ANY4,
        ports: [{ from: 22, to: 22 }],
        exposure: 'internet',
        description: null,
      }),
    ]);
    expect(r.warnings.filter((w) => w.code === 'unreachable_rule')).toEqual([]);
  });

  it('a rate-limited ACCEPT keeps the exposure of what it decodes (SSH from the internet)', () => {
    const t = dump({
      input: 'DROP',
      rules: [
        '-A INPUT -p tcp -m tcp --dport 22 -m hashlimit --hashlimit-upto 5/min --hashlimit-mode srcip --hashlimit-name ssh -j ACCEPT',
        '-A INPUT -p udp -m udp --sport 53 -j ACCEPT',
      ],
    });
    const r = runText([t]);
    expect(rulesOn(r, t, '--hashlimit-upto')).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'allow',
        protocol: 'tcp',
        ports: [{ from: 22, to: 22 }],
        exposure: 'internet',
        description: null,
      }),
    ]);
    expect(rulesOn(r, t, '--sport 53')).toEqual([
      expect.objectContaining({ enabled: true, protocol: 'udp', ports: [], exposure: 'internet' }),
    ]);
  });

  it("kube-proxy's mark ACCEPT is not unconditional and not internet any-to-any: exposure unknown, later rules live", () => {
    const t = dump({
      forward: 'DROP',
      chains: ['KUBE-FORWARD'],
      rules: [
        '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
        '-A FORWARD -i eth1 -o eth0 -j ACCEPT',
        '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      ],
    });
    const r = runText([t], { internetInterfaces: ['eth0'] });
    expect(rulesOn(r, t, '--mark 0x4000/0x4000')).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'allow',
        direction: 'forward',
        protocol: 'any',
        ports: [],
        exposure: 'unknown',
        description: 'kubernetes forwarding rules',
      }),
    ]);
    expect(rulesOn(r, t, 'kubernetes forwarding conntrack rule')).toEqual([
      expect.objectContaining({ enabled: true, exposure: 'internal' }),
    ]);
    expect(rulesOn(r, t, '-A FORWARD -i eth1 -o eth0')).toEqual([
      expect.objectContaining({ enabled: true, interface: 'eth1', exposure: 'internal' }),
    ]);
  });

  it('a rate-limited FORWARD DROP does not cover a port-forward: the FORWARD policy ACCEPT admits it', () => {
    const t = dump(
      {
        input: 'DROP',
        rules: [
          '-A FORWARD -m hashlimit --hashlimit-above 500/sec --hashlimit-mode srcip --hashlimit-name fwdflood -j DROP',
        ],
      },
      ['-A PREROUTING -i eth0 -p tcp -m tcp --dport 3389 -j DNAT --to-destination 10.0.0.5:3389'],
    );
    const r = runText([t]);
    expect(rulesOn(r, t, '-j DNAT')).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'allow',
        direction: 'forward',
        interface: 'eth0',
        destinations: ['10.0.0.5/32'],
        ports: [{ from: 3389, to: 3389 }],
        exposure: 'internet',
      }),
    ]);
  });

  it('after a conditional RETURN a DROP sees only the traffic not returned: it does not cover a port-forward', () => {
    const t = dump(
      {
        input: 'DROP',
        chains: ['CHK'],
        rules: ['-A FORWARD -j CHK', '-A CHK -s 198.51.100.0/24 -j RETURN', '-A CHK -j DROP'],
      },
      ['-A PREROUTING -i eth0 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.7:443'],
    );
    const r = runText([t]);
    expect(rulesOn(r, t, '-j DNAT')).toEqual([
      expect.objectContaining({ action: 'allow', destinations: ['10.0.0.7/32'], exposure: 'internet' }),
    ]);
    expect(rulesOn(r, t, '-A CHK -j DROP')).toEqual([
      expect.objectContaining({ enabled: true, action: 'deny', direction: 'forward' }),
    ]);
  });
});

describe('iptables-save adapter: conntrack NAT states', () => {
  it('--ctstate RELATED,ESTABLISHED,DNAT admits only what the port-forwards expose: internal, not unconditional', () => {
    const t = dump({
      rules: [
        '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT',
        '-A INPUT -i lo -j ACCEPT',
        '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT',
        '-A INPUT -j REJECT --reject-with icmp-host-prohibited',
      ],
    });
    const r = runText([t]);
    expect(r.document.devices[0]!.defaultInbound).toBe('deny');
    expect(rulesOn(r, t, 'DNAT -j ACCEPT')).toEqual([
      {
        id: expect.stringMatching(/^ipt-/),
        device: 'iptables',
        enabled: true,
        action: 'allow',
        direction: 'inbound',
        interface: null,
        protocol: 'any',
        sources: ANY4,
        destinations: ANY4,
        ports: [],
        log: false,
        exposure: 'internal',
        description:
          'conntrack state related,established,dnat only: admits only connections a NAT rule opened, as the port-forward rules show',
        origin: { part: 'body', line: rulesOn(r, t, 'DNAT -j ACCEPT')[0]!.origin.line },
      },
    ]);
    expect(rulesOn(r, t, '--dport 22')).toEqual([
      expect.objectContaining({ enabled: true, ports: [{ from: 22, to: 22 }], exposure: 'internet' }),
    ]);
  });

  it("a FORWARD accept of DNAT'ed connections admits the port-forward; one of SNAT'ed connections does not", () => {
    const nat = ['-A PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.6:80'];
    const dnat = runText([dump({ forward: 'DROP', rules: ['-A FORWARD -m conntrack --ctstate DNAT -j ACCEPT'] }, nat)]);
    expect(dnat.document.rules.find((x) => x.description?.startsWith('port-forward'))).toMatchObject({
      action: 'allow',
      exposure: 'internet',
    });
    const snat = runText([dump({ forward: 'DROP', rules: ['-A FORWARD -m conntrack --ctstate SNAT -j ACCEPT'] }, nat)]);
    expect(snat.document.rules.find((x) => x.description?.startsWith('port-forward'))).toMatchObject({
      action: 'deny',
    });
  });
});

describe('iptables-save adapter: the effective default follows unconditional jumps', () => {
  it('INPUT ACCEPT then -j LOG_DROP (LOG, DROP) is a default deny, the DROP logged', () => {
    const t = dump({
      chains: ['LOG_DROP'],
      rules: [
        '-A INPUT -i lo -j ACCEPT',
        '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT',
        '-A INPUT -j LOG_DROP',
        '-A LOG_DROP -j LOG --log-prefix "INPUT drop: "',
        '-A LOG_DROP -j DROP',
      ],
    });
    const r = runText([t]);
    expect(r.document.devices[0]).toEqual({
      id: 'iptables',
      source: 'iptables-save',
      name: 'iptables',
      defaultInbound: 'deny',
      defaultOutbound: 'allow',
      internetInterfaces: ['eth0', 'ppp0'],
      internetInterfacesFrom: 'request',
      origin: { part: 'body', line: 3 },
    });
    expect(rulesOn(r, t, '-A LOG_DROP -j DROP')).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'deny',
        protocol: 'any',
        log: true,
        exposure: 'internet',
        description: null,
      }),
    ]);
  });

  it('a chain reached by goto, or by a jump after its accepts, that ends in DROP is the default', () => {
    const viaGoto = runText([
      dump({
        chains: ['CHK'],
        rules: ['-A INPUT -g CHK', '-A CHK -p tcp -m tcp --dport 80 -j ACCEPT', '-A CHK -j DROP'],
      }),
    ]);
    expect(viaGoto.document.devices[0]!.defaultInbound).toBe('deny');
    const viaJump = runText([
      dump({
        chains: ['CHK'],
        rules: [
          '-A INPUT -p tcp --dport 443 -j ACCEPT',
          '-A INPUT -j CHK',
          '-A CHK -p tcp --dport 80 -j ACCEPT',
          '-A CHK -j DROP',
        ],
      }),
    ]);
    expect(viaJump.document.devices[0]!.defaultInbound).toBe('deny');
  });

  it('a conditional jump, a conditional RETURN before the DROP, or a rate-limited jump is not the default', () => {
    const conditional = runText([
      dump({ chains: ['LOG_DROP'], rules: ['-A INPUT -i eth0 -j LOG_DROP', '-A LOG_DROP -j DROP'] }),
    ]);
    expect(conditional.document.devices[0]!.defaultInbound).toBe('allow');
    const returned = runText([
      dump({ chains: ['CHK'], rules: ['-A INPUT -j CHK', '-A CHK -s 10.0.0.0/8 -j RETURN', '-A CHK -j DROP'] }),
    ]);
    expect(returned.document.devices[0]!.defaultInbound).toBe('allow');
    const limited = runText([
      dump({ chains: ['LOG_DROP'], rules: ['-A INPUT -m limit --limit 10/sec -j LOG_DROP', '-A LOG_DROP -j DROP'] }),
    ]);
    expect(limited.document.devices[0]!.defaultInbound).toBe('allow');
  });
});

describe('iptables-save adapter: negated unresolved sources', () => {
  it('! --match-set blocklist src is everyone but a list: exposure internet, not unknown', () => {
    const t = dump({
      input: 'DROP',
      rules: [
        '-A INPUT -p tcp -m tcp --dport 3389 -m set ! --match-set blocklist src -j ACCEPT',
        '-A INPUT -p tcp -m tcp --dport 9000 -m set --match-set partners src -j ACCEPT',
      ],
    });
    const r = runText([t]);
    expect(rulesOn(r, t, '! --match-set blocklist')).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'allow',
        protocol: 'tcp',
        sources: ['ref:!blocklist'],
        ports: [{ from: 3389, to: 3389 }],
        exposure: 'internet',
      }),
    ]);
    expect(rulesOn(r, t, '--match-set partners')).toEqual([
      expect.objectContaining({ sources: ['ref:partners'], exposure: 'unknown' }),
    ]);
  });
});

describe('iptables-save adapter: defaultOutbound', () => {
  it.each([
    ['OUTPUT ACCEPT', { output: 'ACCEPT', rules: [] }, 'allow'],
    [
      'OUTPUT DROP with tcp and udp accepts (conditional: rules, not the default)',
      { output: 'DROP', rules: ['-A OUTPUT -p tcp -j ACCEPT', '-A OUTPUT -p udp -j ACCEPT'] },
      'deny',
    ],
    [
      'OUTPUT DROP then an unconditional accept',
      { output: 'DROP', rules: ['-A OUTPUT -o lo -j ACCEPT', '-A OUTPUT -j ACCEPT'] },
      'allow',
    ],
    [
      'OUTPUT ACCEPT then a jump to a chain that ends in REJECT',
      {
        output: 'ACCEPT',
        chains: ['OUT_DENY'],
        rules: [
          '-A OUTPUT -p udp --dport 53 -j ACCEPT',
          '-A OUTPUT -j OUT_DENY',
          '-A OUT_DENY -j LOG',
          '-A OUT_DENY -j REJECT',
        ],
      },
      'deny',
    ],
    [
      'OUTPUT ACCEPT behind a rate-limited DROP',
      { output: 'ACCEPT', rules: ['-A OUTPUT -m limit --limit 10/sec -j DROP'] },
      'allow',
    ],
  ])('%s → %s', (_name, filter, expected) => {
    const r = runText([dump(filter)]);
    expect(r.document.devices[0]).toMatchObject({ defaultInbound: 'allow', defaultOutbound: expected });
  });

  it('is per family like the inbound default: an IPv6 OUTPUT ACCEPT beside an IPv4 OUTPUT DROP is allow; no filter table is unknown', () => {
    const v6 = dump({ output: 'ACCEPT', rules: [] }).replace('iptables-save', 'ip6tables-save');
    expect(runText([dump({ output: 'DROP', rules: [] }), v6]).document.devices[0]!.defaultOutbound).toBe('allow');
    expect(
      runText([dump({ output: 'DROP', rules: [] }), v6.replace(':OUTPUT ACCEPT', ':OUTPUT DROP')]).document.devices[0]!
        .defaultOutbound,
    ).toBe('deny');
    expect(run('nat-only.rules').document.devices[0]!.defaultOutbound).toBe('unknown');
  });

  it('the tcp and udp accepts stay outbound rules to anywhere on every port (firewall.egress-restricted judges them)', () => {
    const t = dump({ output: 'DROP', rules: ['-A OUTPUT -p tcp -j ACCEPT', '-A OUTPUT -p udp -j ACCEPT'] });
    expect(
      runText([t]).document.rules.map((x) => [x.direction, x.action, x.protocol, x.destinations, x.ports, x.enabled]),
    ).toEqual([
      ['outbound', 'allow', 'tcp', ANY4, [], true],
      ['outbound', 'allow', 'udp', ANY4, [], true],
    ]);
  });
});

describe('canonical firewall documents (the schema every firewall adapter output is checked against)', () => {
  const canonical = adapterFor('canonical', 'firewall')!;
  const doc = (protocol: string) => ({
    devices: [
      {
        id: 'fw',
        source: 'canonical',
        name: 'fw',
        defaultInbound: 'deny',
        internetInterfaces: ['wan'],
        origin: { part: 'body', pointer: '/devices/0' },
      },
    ],
    rules: [
      {
        id: 'r1',
        device: 'fw',
        enabled: true,
        action: 'allow',
        direction: 'inbound',
        interface: 'wan',
        protocol,
        sources: ['0.0.0.0/0'],
        destinations: ['0.0.0.0/0'],
        ports: [{ from: 22, to: 22 }],
        log: false,
        exposure: 'internet',
        origin: { part: 'body', pointer: '/rules/0' },
      },
    ],
  });
  const post = (d: unknown) =>
    runAdapter(canonical, [{ name: 'body', bytes: Buffer.from(JSON.stringify(d)) }], {
      clients: [],
    }) as AdapterResult<'firewall'>;

  it.each(['TCP', 'Tcp/Udp', 'ANY'])(
    'protocol %s is refused (422, with the JSON Pointer): rules compare names in lower case',
    (protocol) => {
      const e = thrown(() => post(doc(protocol)));
      expect(e.status).toBe(422);
      expect(e.problems).toEqual([expect.objectContaining({ part: 'body', pointer: '/rules/0/protocol' })]);
    },
  );

  it('lower-case names, numbers and names with digits and punctuation are accepted; defaultOutbound is optional', () => {
    for (const protocol of ['tcp', 'tcp/udp', 'any', '6', 'ipv6-frag', 'a/n'])
      expect(post(doc(protocol)).document.rules[0]!.protocol).toBe(protocol);
    const withOutbound = doc('tcp');
    (withOutbound.devices[0] as Record<string, unknown>).defaultOutbound = 'allow';
    expect(post(withOutbound).document.devices[0]).toMatchObject({ defaultOutbound: 'allow' });
    (withOutbound.devices[0] as Record<string, unknown>).defaultOutbound = 'sometimes';
    expect(thrown(() => post(withOutbound)).problems).toEqual([
      expect.objectContaining({ pointer: '/devices/0/defaultOutbound' }),
    ]);
  });
});

describe('iptables-save adapter: verdicts that real rulesets depend on', () => {
  it('an interface-only DROP narrows the rules after it: SSH after `-i eth0 -j DROP` is not reachable from eth0', () => {
    for (const context of [{}, { internetInterfaces: ['eth0'] }]) {
      const r = run('interface-verdict.rules', context);
      expect(r.document.devices[0]!.internetInterfaces).toEqual(['eth0']);
      expect(only(r, 'interface-verdict.rules', '--dport 443')).toMatchObject({
        interface: 'eth0',
        exposure: 'internet',
      });
      const ssh = only(r, 'interface-verdict.rules', '--dport 22');
      expect(ssh).toMatchObject({ interface: '!eth0', exposure: 'internal', enabled: true });
      expect(ssh).not.toHaveProperty('assumed');
      // an eth0 rule after the eth0 drop can never match
      expect(only(r, 'interface-verdict.rules', '--dport 3389')).toMatchObject({ enabled: false });
      expect(r.warnings).toContainEqual(
        expect.objectContaining({ code: 'unreachable_rule', line: lineOf('interface-verdict.rules', '--dport 3389') }),
      );
    }
  });

  it('the same rules with another internet interface: the narrowed SSH rule faces it', () => {
    const r = run('interface-verdict.rules', { internetInterfaces: ['ppp0'] });
    expect(only(r, 'interface-verdict.rules', '--dport 22')).toMatchObject({
      interface: '!eth0',
      exposure: 'internet',
    });
  });

  it('a DNAT whose FORWARD accept hinges on a --mark (kube-proxy) before a REJECT is unknown, not internet', () => {
    const r = run('mark-forward.rules', {});
    const ssh = only(r, 'mark-forward.rules', '--dport 30022');
    expect(ssh).toMatchObject({
      action: 'allow',
      direction: 'forward',
      destinations: ['10.244.1.7/32'],
      ports: [{ from: 22, to: 22 }],
      exposure: 'unknown',
    });
    expect(ssh.description).toContain('admitted only on mark, which the export does not show');
    expect(ssh).not.toHaveProperty('assumed');
    // a forward that a plain accept admits stays internet
    expect(only(r, 'mark-forward.rules', '--dport 30080')).toMatchObject({ exposure: 'internet', action: 'allow' });
  });

  it('a DNAT keeps its original destination: a ClusterIP (-d 10.96.12.7) is no internet port-forward, its node port is', () => {
    const r = run('kube-clusterip.rules', {});
    const forwards = rulesAt(r, 'kube-clusterip.rules', '-j DNAT --to-destination 10.244.2.9:5432');
    expect(forwards).toHaveLength(2);
    const clusterIp = forwards.find((f) => f.description?.includes('10.96.12.7'))!;
    expect(clusterIp).toMatchObject({
      destinations: ['10.244.2.9/32'],
      ports: [{ from: 5432, to: 5432 }],
      exposure: 'internal',
    });
    expect(clusterIp.description).toContain('only for 10.96.12.7, which the internet cannot route to');
    expect(clusterIp).not.toHaveProperty('assumed');
    const nodePort = forwards.find((f) => f !== clusterIp)!;
    expect(nodePort).toMatchObject({ exposure: 'internet', assumed: ['internetInterfaces'] });
    expect(nodePort.description).toMatch(/^port-forward tcp\/30432 -> 10\.244\.2\.9:5432/);
  });
});
