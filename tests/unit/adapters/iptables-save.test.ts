import { iptablesSaveAdapter } from '../../../src/adapters/firewall/iptables-save.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterContext, type AdapterResult } from '../../../src/adapters/types.js';
import type { FirewallRule } from '../../../src/schemas/canonical-types.js';
import { fixture, runOnFixtures } from '../../helpers/adapters.js';

const WAN = { internetInterfaces: ['eth0', 'ppp0'] };

function run(name: string, context: Partial<AdapterContext> = WAN): AdapterResult<'firewall'> {
  return runOnFixtures(iptablesSaveAdapter, [['body', `iptables-save/${name}`]], context) as AdapterResult<'firewall'>;
}

function runText(texts: string[], context: Partial<AdapterContext> = WAN): AdapterResult<'firewall'> {
  return runAdapter(iptablesSaveAdapter, texts.map((t) => ({ name: 'body', bytes: Buffer.from(t) })), { clients: [], ...context }) as AdapterResult<'firewall'>;
}

const text = (name: string) => fixture(`iptables-save/${name}`).toString('utf8');

/** 1-based line of the first line of the fixture that contains `marker`. */
function lineOf(name: string, marker: string): number {
  const at = text(name).split('\n').findIndex((l) => l.includes(marker));
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
        internetInterfaces: ['eth0', 'ppp0'],
        origin: { part: 'body', line: lineOf('host.rules', ':INPUT DROP') },
      },
    ]);
    expect(r.instance).toBeUndefined();
    expect(r.collectedAt).toBeUndefined();
  });

  it('without ?internetInterfaces= the facing is unknown: internetInterfaces null, public rules unknown', () => {
    const r = run('host.rules', {});
    expect(r.document.devices[0]!.internetInterfaces).toBeNull();
    expect(only(r, 'host.rules', '--dport 3380:3399').exposure).toBe('unknown');
    expect(only(r, 'host.rules', 'allow ssh from mgmt').exposure).toBe('internal');
    expect(only(r, 'host.rules', '-A INPUT -i lo').exposure).toBe('internal');
  });

  it('an unconditional REJECT at the end of INPUT (RHEL) is a default deny despite policy ACCEPT', () => {
    const r = run('rhel.rules');
    expect(r.document.devices[0]!.defaultInbound).toBe('deny');
  });

  it('a rule after an unconditional verdict is kept disabled, with a warning', () => {
    const r = run('rhel.rules');
    const line = lineOf('rhel.rules', '--dport 8080');
    expect(only(r, 'rhel.rules', '--dport 8080')).toMatchObject({ enabled: false, action: 'allow', ports: [{ from: 8080, to: 8080 }] });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'unreachable_rule', part: 'body', line }));
  });

  it('iptables-save then ip6tables-save: allow when either family lets inbound in', () => {
    const r = run('dual-stack.rules');
    expect(r.document.devices[0]!.defaultInbound).toBe('allow');
    const [v4, v6] = r.document.rules;
    expect(v4).toMatchObject({ sources: ['0.0.0.0/0'], destinations: ['0.0.0.0/0'], ports: [{ from: 443, to: 443 }] });
    expect(v6).toMatchObject({ sources: ['::/0'], destinations: ['::/0'], ports: [{ from: 443, to: 443 }], origin: { part: 'body', line: 14 } });
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
      devices: [{ id: 'iptables', source: 'iptables-save', name: 'iptables', defaultInbound: 'unknown', internetInterfaces: ['eth0', 'ppp0'], origin: { part: 'body', line: 1 } }],
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
    expect(at('-A FORWARD -m state --state RELATED,ESTABLISHED')).toMatchObject({ direction: 'forward', exposure: 'internal' });
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
    expect(at('--dport 3380:3399')).toMatchObject({ protocol: 'tcp', sources: ANY4, ports: [{ from: 3380, to: 3399 }], exposure: 'internet' });
    expect(at('--dports 161,162,8000:8100')).toMatchObject({ protocol: 'udp', ports: [{ from: 161, to: 162 }, { from: 8000, to: 8100 }], exposure: 'internet' });
  });

  it('rules of a user chain are flattened under the jump (interface ppp+ and its matches)', () => {
    expect(at('-A WAN_IN -p tcp -m tcp --dport 443')).toMatchObject({ direction: 'inbound', interface: 'ppp+', ports: [{ from: 443, to: 443 }], exposure: 'internet', enabled: true });
    expect(at('-A WAN_IN -s 198.51.100.0/24')).toMatchObject({ interface: 'ppp+', sources: ['198.51.100.0/24'], ports: [{ from: 5432, to: 5432 }], exposure: 'internet' });
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
    expect(at('-A INPUT -p tcp -m tcp --dport 23 -j DROP')).toMatchObject({ action: 'deny', ports: [{ from: 23, to: 23 }], log: true });
    expect(r.document.rules.some((x) => x.origin.line === lineOf('host.rules', '-j LOG --log-prefix "telnet: "'))).toBe(false);
  });

  it('an undecodable match module (recent) leaves the exposure unknown, never internet', () => {
    expect(at('--dport 8443 -m recent')).toMatchObject({ action: 'allow', sources: ANY4, ports: [{ from: 8443, to: 8443 }], exposure: 'unknown' });
  });

  it('an ipset is kept as ref: with a warning; exposure unknown', () => {
    const line = lineOf('host.rules', '--match-set trusted_partners');
    expect(at('--match-set trusted_partners')).toMatchObject({ sources: ['ref:trusted_partners'], ports: [{ from: 9000, to: 9000 }], exposure: 'unknown' });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'unresolved_ipset', part: 'body', line }));
  });

  it('icmp has no ports', () => {
    expect(at('--icmp-type 8')).toMatchObject({ protocol: 'icmp', ports: [], exposure: 'internet' });
  });

  it('FORWARD rules use the ingress interface; OUTPUT rules are outbound and internal', () => {
    expect(at('-A FORWARD -d 10.0.0.5/32')).toMatchObject({ direction: 'forward', interface: 'eth0', destinations: ['10.0.0.5/32'], ports: [{ from: 3389, to: 3389 }], exposure: 'internet' });
    expect(at('-A OUTPUT -p udp')).toMatchObject({ direction: 'outbound', interface: null, protocol: 'udp', ports: [{ from: 53, to: 53 }], exposure: 'internal' });
  });

  it('mangle rules, LOG rules and MASQUERADE produce no rule', () => {
    for (const marker of ['-j MARK', '-j MASQUERADE', '-A LOG_DROP -j LOG']) expect(rulesAt(r, 'host.rules', marker)).toEqual([]);
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
    expect(only(r, 'host.rules', '--dport 8080 -j DNAT')).toMatchObject({ action: 'deny', destinations: ['10.0.0.6/32'], ports: [{ from: 80, to: 80 }], exposure: 'internet' });
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
    expect(only(n, 'nat-only.rules', '--dport 2222')).toMatchObject({ action: 'allow', sources: ['198.51.100.0/24'], destinations: ['192.168.1.20/32'], ports: [{ from: 22, to: 22 }], exposure: 'internet' });
    expect(only(n, 'nat-only.rules', '--dport 51820')).toMatchObject({ action: 'allow', protocol: 'udp', destinations: ['192.168.1.30/32'], ports: [{ from: 51820, to: 51820 }] });
  });
});

describe('iptables-save adapter: edge cases', () => {
  const r = run('edge-cases.rules', { internetInterfaces: ['eth0'] });
  const at = (marker: string) => rulesAt(r, 'edge-cases.rules', marker);

  it('-s with a comma list is one rule with both sources', () => {
    expect(at('-s 10.0.0.1/32,10.0.0.2/32')).toEqual([expect.objectContaining({ sources: ['10.0.0.1/32', '10.0.0.2/32'], exposure: 'internal' })]);
  });

  it('! -i and ! --dport: negated interface, complemented ports', () => {
    expect(at('! -i eth1')).toEqual([expect.objectContaining({ interface: '!eth1', ports: [{ from: 0, to: 0 }, { from: 1024, to: 65535 }], exposure: 'internet' })]);
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
    expect(at('-A SSH_IN -s 192.168.0.0/16')).toEqual([expect.objectContaining({ direction: 'forward', sources: ['192.168.0.0/16'] })]);
  });

  it('--sport does not narrow the destination ports (the client picks its source port)', () => {
    expect(at('--sport 53')).toEqual([expect.objectContaining({ protocol: 'udp', ports: [], exposure: 'internet' })]);
  });

  it('an unknown module (geoip) keeps the rule at exposure unknown', () => {
    expect(at('-m geoip')).toEqual([expect.objectContaining({ ports: [{ from: 8080, to: 8080 }], exposure: 'unknown' })]);
  });

  it('NFQUEUE cannot be evaluated: no rule, a warning', () => {
    expect(at('NFQUEUE')).toEqual([]);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'unknown_verdict', line: lineOf('edge-cases.rules', 'NFQUEUE') }));
  });

  it('LOG with the same interface and port logs the ACCEPT after it', () => {
    expect(at('--dport 5000 -j ACCEPT')).toEqual([expect.objectContaining({ interface: 'eth0', log: true, exposure: 'internet' })]);
  });

  it('a host name is not resolved: ref:, warning, exposure unknown', () => {
    expect(at('mgmt.example.com')).toEqual([expect.objectContaining({ sources: ['ref:mgmt.example.com/32'], exposure: 'unknown' })]);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'unresolved_address', line: lineOf('edge-cases.rules', 'mgmt.example.com') }));
  });
});

describe('iptables-save adapter: IPv6', () => {
  it('ip6tables-save uses ::/0 for any, icmpv6 for ipv6-icmp; link-local is internal', () => {
    const r = run('ip6tables.rules');
    const at = (m: string) => only(r, 'ip6tables.rules', m);
    expect(at('-p ipv6-icmp')).toMatchObject({ protocol: 'icmpv6', sources: ['::/0'], destinations: ['::/0'], exposure: 'internet' });
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
    const byPort = (res: AdapterResult<'firewall'>, from: number) => res.document.rules.find((x) => x.ports[0]?.from === from)!.id;
    expect(byPort(c, 3380)).toBe(byPort(r, 3380));
    expect(c.document.rules.find((x) => x.interface === 'lo')!.id).toBe(r.document.rules.find((x) => x.interface === 'lo')!.id);
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
