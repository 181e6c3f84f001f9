import { nftablesAdapter } from '../../../src/adapters/firewall/nftables.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterContext, type AdapterResult } from '../../../src/adapters/types.js';
import type { FirewallRule } from '../../../src/schemas/canonical-types.js';
import { fixture, runOnFixtures } from '../../helpers/adapters.js';

const WAN = { internetInterfaces: ['eth0', 'ppp0'] };
const ANY = ['0.0.0.0/0', '::/0'];

function run(name: string, context: Partial<AdapterContext> = WAN): AdapterResult<'firewall'> {
  return runOnFixtures(nftablesAdapter, [['body', `nftables/${name}`]], context) as AdapterResult<'firewall'>;
}

function runJson(docs: unknown[], context: Partial<AdapterContext> = WAN): AdapterResult<'firewall'> {
  return runAdapter(
    nftablesAdapter,
    docs.map((d) => ({ name: 'body', bytes: Buffer.from(JSON.stringify(d)) })),
    { clients: [], ...context },
  ) as AdapterResult<'firewall'>;
}

const load = (name: string) =>
  JSON.parse(fixture(`nftables/${name}`).toString('utf8')) as { nftables: Record<string, Record<string, unknown>>[] };

/** Rules whose origin is the nftables[] entry with that nft handle in that chain. */
function byHandle(r: AdapterResult<'firewall'>, name: string, chain: string, handle: number): FirewallRule[] {
  const at = load(name).nftables.findIndex((o) => o.rule?.chain === chain && o.rule?.handle === handle);
  if (at < 0) throw new Error(`no rule ${chain}/${handle}`);
  return r.document.rules.filter((x) => x.origin.pointer === `/nftables/${at}/rule`);
}

function only(r: AdapterResult<'firewall'>, name: string, chain: string, handle: number): FirewallRule {
  const found = byHandle(r, name, chain, handle);
  if (found.length !== 1) throw new Error(`${found.length} rules for ${chain}/${handle}`);
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

describe('nftables adapter: device', () => {
  it('one device; default deny from the input base chain policy; no instance or time', () => {
    const r = run('host.json');
    expect(r.document.devices).toEqual([
      {
        id: 'nftables',
        source: 'nftables',
        name: 'nftables',
        defaultInbound: 'deny',
        defaultOutbound: 'allow',
        internetInterfaces: ['eth0', 'ppp0'],
        internetInterfacesFrom: 'request',
        origin: { part: 'body', pointer: '/nftables/5/chain' },
      },
    ]);
    expect(r.instance).toBeUndefined();
    expect(r.collectedAt).toBeUndefined();
  });

  it('without ?internetInterfaces= the NAT rules name them: oifname eth0 masquerade, iifname eth0 dnat', () => {
    const r = run('host.json', {});
    expect(r.document.devices[0]).toMatchObject({ internetInterfaces: ['eth0'], internetInterfacesFrom: 'nat-rules' });
    const warning = r.warnings.find((w) => w.code === 'internet_interfaces_inferred');
    expect(warning?.message).toContain('eth0 taken to face the internet');
    expect(warning?.message).toContain('masquerades or SNATs out of eth0');
    expect(only(r, 'host.json', 'input', 14)).toMatchObject({ exposure: 'internet', assumed: ['internetInterfaces'] });
  });

  it('without NAT rules or ?internetInterfaces=: an any-interface accept is exposed by assumption', () => {
    const r = run('ip-only.json', {});
    expect(r.document.devices[0]!.internetInterfaces).toBeNull();
    const exposed = r.document.rules.filter((x) => x.exposure === 'internet');
    expect(exposed.length).toBeGreaterThan(0);
    for (const x of exposed) expect(x).toMatchObject({ interface: null, assumed: ['internetInterfaces'] });
    expect(r.document.rules.filter((x) => x.exposure === 'internet' || x.exposure === 'restricted').length).toBe(
      r.document.rules.filter((x) => x.assumed).length,
    );
  });

  it('two tables hook input: a packet must pass both, so one dropping by default makes it deny', () => {
    expect(run('two-tables.json').document.devices[0]).toMatchObject({
      defaultInbound: 'deny',
      origin: { pointer: '/nftables/5/chain' },
    });
  });

  it('an ip-family table leaves IPv6 unfiltered: allow, with a warning', () => {
    const r = run('ip-only.json');
    expect(r.document.devices[0]!.defaultInbound).toBe('allow');
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'family_unfiltered', message: expect.stringContaining('IPv6') }),
    );
    expect(only(r, 'ip-only.json', 'input', 2)).toMatchObject({ sources: ['0.0.0.0/0'], destinations: ['0.0.0.0/0'] });
  });

  it('a trailing unconditional reject under an accept policy (absent policy = accept) is a default deny', () => {
    const r = run('trailing-reject.json');
    expect(r.document.devices[0]!.defaultInbound).toBe('deny');
    expect(only(r, 'trailing-reject.json', 'input', 3)).toMatchObject({ action: 'deny', protocol: 'any', ports: [] });
  });

  it('no input chain at all → unknown, with a warning', () => {
    const r = run('no-input.json');
    expect(r.document.devices[0]).toMatchObject({
      defaultInbound: 'unknown',
      origin: { part: 'body', pointer: '/nftables' },
    });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'no_input_chain' }));
  });

  it('bridge/netdev/arp tables are skipped with a warning', () => {
    expect(run('host.json').warnings).toContainEqual(
      expect.objectContaining({ code: 'family_ignored', message: expect.stringContaining('bridge') }),
    );
  });
});

describe('nftables adapter: rules', () => {
  const r = run('host.json');
  const at = (chain: string, handle: number) => only(r, 'host.json', chain, handle);

  it('an inet rule without address match covers IPv4 and IPv6; loopback is internal', () => {
    expect(at('input', 11)).toEqual({
      id: expect.stringMatching(/^nft-[0-9a-f]{16}$/),
      device: 'nftables',
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: 'lo',
      protocol: 'any',
      sources: ANY,
      destinations: ANY,
      ports: [],
      log: false,
      exposure: 'internal',
      description: null,
      origin: { part: 'body', pointer: '/nftables/10/rule' },
    });
  });

  it('a named set resolves (strings, prefixes, ranges, elem wrappers); the comment is the description', () => {
    expect(at('input', 12)).toEqual({
      id: expect.any(String),
      device: 'nftables',
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: null,
      protocol: 'tcp',
      sources: [
        '10.20.1.10/32',
        '10.20.2.0/24',
        '10.20.3.1/32',
        '10.20.3.2/31',
        '10.20.3.4/30',
        '10.20.3.8/31',
        '10.20.4.1/32',
      ],
      destinations: ['0.0.0.0/0'],
      ports: [{ from: 22, to: 22 }],
      log: false,
      exposure: 'internal',
      description: 'ssh from mgmt',
      origin: { part: 'body', pointer: '/nftables/11/rule' },
    });
  });

  it('ct state vmap: one rule per entry; established/related and invalid open nothing new', () => {
    expect(byHandle(r, 'host.json', 'input', 10)).toEqual([
      expect.objectContaining({
        action: 'allow',
        exposure: 'internal',
        description: 'conntrack state established only: opens no new connection',
      }),
      expect.objectContaining({
        action: 'allow',
        exposure: 'internal',
        description: 'conntrack state related only: opens no new connection',
      }),
      expect.objectContaining({
        action: 'deny',
        exposure: 'internal',
        description: 'conntrack state invalid only: opens no new connection',
      }),
    ]);
  });

  it('anonymous port sets and ranges; a log statement with the verdict logs it', () => {
    expect(at('input', 13)).toMatchObject({
      protocol: 'tcp',
      ports: [
        { from: 80, to: 80 },
        { from: 443, to: 443 },
      ],
      exposure: 'internet',
      log: false,
    });
    expect(at('input', 14)).toMatchObject({ ports: [{ from: 3380, to: 3399 }], exposure: 'internet', log: true });
  });

  it('a jump to a regular chain is flattened under the base chain; an unconditional return ends it', () => {
    expect(at('wan_in', 30)).toMatchObject({
      direction: 'inbound',
      interface: 'ppp*',
      ports: [{ from: 8443, to: 8443 }],
      exposure: 'internet',
      enabled: true,
    });
    expect(at('wan_in', 32)).toMatchObject({ enabled: false, ports: [{ from: 8444, to: 8444 }] });
  });

  it('an ip6 saddr match makes the rule IPv6-only; link-local is internal', () => {
    expect(at('input', 16)).toMatchObject({
      protocol: 'udp',
      sources: ['fe80::/10'],
      destinations: ['::/0'],
      exposure: 'internal',
    });
  });

  it('a named verdict map gives one rule per entry, deny entries included', () => {
    expect(byHandle(r, 'host.json', 'input', 17)).toEqual([
      expect.objectContaining({ action: 'allow', ports: [{ from: 8080, to: 8080 }], exposure: 'internet' }),
      expect.objectContaining({ action: 'deny', ports: [{ from: 8081, to: 8081 }] }),
    ]);
  });

  it('"!= @blocklist" is a negated source: still internet', () => {
    expect(at('input', 18)).toMatchObject({
      sources: ['!203.0.113.0/24'],
      destinations: ['0.0.0.0/0'],
      ports: [{ from: 25, to: 25 }],
      exposure: 'internet',
    });
  });

  it('meta l4proto {tcp, udp} with th dport', () => {
    expect(at('input', 19)).toMatchObject({ protocol: 'tcp/udp', ports: [{ from: 53, to: 53 }] });
  });

  it('an xt statement keeps the rule, exposure unknown, with a warning', () => {
    expect(at('input', 20)).toMatchObject({ action: 'allow', ports: [{ from: 9000, to: 9000 }], exposure: 'unknown' });
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'xt_statement', pointer: '/nftables/19/rule/expr/1' }),
    );
  });

  it('an unknown named set is ref:@name with a warning; exposure unknown', () => {
    expect(at('input', 21)).toMatchObject({ sources: ['ref:@partners'], exposure: 'unknown' });
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'unresolved_set', pointer: '/nftables/20/rule/expr/0' }),
    );
  });

  it('a log-only rule right before a drop with the same match logs the drop', () => {
    expect(byHandle(r, 'host.json', 'input', 22)).toEqual([]);
    expect(at('input', 23)).toMatchObject({ action: 'deny', ports: [{ from: 23, to: 23 }], log: true });
  });

  it('< and >= on ports become a range; reject is deny', () => {
    expect(at('input', 24)).toMatchObject({ action: 'deny', ports: [{ from: 1000, to: 1023 }] });
  });

  it('forward and output hooks', () => {
    expect(at('forward', 40)).toMatchObject({ direction: 'forward', exposure: 'internal' });
    expect(at('forward', 41)).toMatchObject({
      direction: 'forward',
      destinations: ['10.0.0.5/32'],
      sources: ['0.0.0.0/0'],
      ports: [{ from: 3389, to: 3389 }],
      exposure: 'internet',
    });
    expect(at('output', 50)).toMatchObject({ direction: 'outbound', exposure: 'internal' });
  });

  it('dnat in a nat prerouting chain is a port-forward, allowed when the forward chain accepts it', () => {
    expect(at('prerouting', 5)).toEqual({
      id: expect.any(String),
      device: 'nftables',
      enabled: true,
      action: 'allow',
      direction: 'forward',
      interface: 'eth0',
      protocol: 'tcp',
      sources: ['0.0.0.0/0'],
      destinations: ['10.0.0.5/32'],
      ports: [{ from: 3389, to: 3389 }],
      log: false,
      exposure: 'internet',
      description: 'port-forward tcp/33890 -> 10.0.0.5:3389 (rdp to terminal server)',
      origin: { part: 'body', pointer: '/nftables/33/rule' },
    });
    expect(at('prerouting', 6)).toMatchObject({
      action: 'deny',
      destinations: ['10.0.0.6/32'],
      ports: [{ from: 80, to: 80 }],
    });
    expect(r.document.rules.filter((x) => x.origin.pointer === '/nftables/35/rule')).toEqual([]); // masquerade
  });

  it('with no forward chain nothing filters a port-forward: allow, port unchanged when not translated', () => {
    expect(only(run('no-input.json'), 'no-input.json', 'prerouting', 2)).toMatchObject({
      action: 'allow',
      protocol: 'udp',
      destinations: ['192.168.1.30/32'],
      ports: [{ from: 51820, to: 51820 }],
    });
  });
});

describe('nftables adapter: values and chains', () => {
  const r = run('ports-and-names.json');
  const at = (handle: number, chain = 'input') => byHandle(r, 'ports-and-names.json', chain, handle);

  it('a named port set with a range', () => {
    expect(at(5)).toEqual([
      expect.objectContaining({
        ports: [
          { from: 80, to: 80 },
          { from: 443, to: 443 },
          { from: 8000, to: 8100 },
        ],
      }),
    ]);
  });

  it('an interface set splits the rule per interface; service names become ports', () => {
    expect(at(6)).toEqual([
      expect.objectContaining({ interface: 'eth1', ports: [{ from: 22, to: 22 }], exposure: 'internal' }),
      expect.objectContaining({ interface: 'eth2', ports: [{ from: 22, to: 22 }], exposure: 'internal' }),
    ]);
  });

  it('iifname != {eth0, ppp0}: every internet interface excluded → internal', () => {
    expect(at(7)).toEqual([expect.objectContaining({ interface: '!eth0,ppp0', exposure: 'internal' })]);
    const other = run('ports-and-names.json', { internetInterfaces: ['wlan0'] });
    expect(byHandle(other, 'ports-and-names.json', 'input', 7)[0]!.exposure).toBe('internet');
  });

  it('an empty (dynamic) address set matches nobody now: sources [], internal', () => {
    expect(at(8)).toEqual([
      expect.objectContaining({ sources: [], ports: [{ from: 3389, to: 3389 }], exposure: 'internal' }),
    ]);
  });

  it('meta nfproto ipv6 and a negated port set', () => {
    expect(at(9)).toEqual([
      expect.objectContaining({
        action: 'deny',
        sources: ['::/0'],
        ports: [
          { from: 0, to: 5899 },
          { from: 5911, to: 65535 },
        ],
      }),
    ]);
  });

  it('a raw payload match is opaque: exposure unknown', () => {
    expect(at(10)).toEqual([expect.objectContaining({ ports: [{ from: 1025, to: 65535 }], exposure: 'unknown' })]);
  });

  it('goto follows into the chain; a jump loop is not followed and warns; IPv6 ranges become CIDRs', () => {
    expect(at(14, 'loopy')).toEqual([
      expect.objectContaining({
        ports: [{ from: 53, to: 53 }],
        sources: expect.arrayContaining(['2001:db8::1/128', '2001:db8::80/121']),
        description: 'v6 range',
      }),
    ]);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'jump_loop' }));
  });
});

describe('nftables adapter: iptables-nft rulesets', () => {
  const r = run('iptables-nft.json');
  const at = (handle: number) => byHandle(r, 'iptables-nft.json', 'INPUT', handle);

  it('an xt match keeps the rule with its verdict, exposure unknown', () => {
    expect(at(4)).toEqual([
      expect.objectContaining({ action: 'allow', ports: [{ from: 3306, to: 3306 }], exposure: 'unknown' }),
    ]);
    expect(at(6)).toEqual([
      expect.objectContaining({ action: 'allow', ports: [{ from: 25, to: 25 }], exposure: 'unknown' }),
    ]);
  });

  it('an xt REJECT target denies; an unknown xt target is not modelled (warning), never a deny', () => {
    expect(at(5)).toEqual([
      expect.objectContaining({ action: 'deny', ports: [{ from: 23, to: 23 }], exposure: 'unknown' }),
    ]);
    expect(at(7)).toEqual([]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'unknown_verdict', message: expect.stringContaining('TARPIT') }),
    );
  });

  it('an unknown statement is kept as opaque with a warning', () => {
    expect(at(8)).toEqual([expect.objectContaining({ action: 'allow', exposure: 'unknown' })]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'statement_not_decoded', pointer: '/nftables/9/rule/expr/1' }),
    );
  });
});

describe('nftables adapter: ids', () => {
  const r = run('host.json');

  it('are content hashes, unique within the export', () => {
    const ids = r.document.rules.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^nft-[0-9a-f]{16}$/);
  });

  it('survive a reboot: new handles, new counters, rules listed in another table order', () => {
    const doc = load('host.json');
    for (const o of doc.nftables) {
      for (const v of Object.values(o)) if (typeof v.handle === 'number') v.handle += 100;
      for (const s of (o.rule?.expr as Record<string, Record<string, number>>[] | undefined) ?? [])
        if (s.counter) s.counter.packets = 999;
    }
    const nat = doc.nftables.splice(doc.nftables.findIndex((o) => o.table?.name === 'nat'));
    doc.nftables.splice(1, 0, ...nat);
    expect(new Set(runJson([doc]).document.rules.map((x) => x.id))).toEqual(new Set(r.document.rules.map((x) => x.id)));
  });

  it('do not change with the "last used" time of a last statement', () => {
    const withLast = (last: unknown) =>
      runJson([
        ruleset({
          input: 'drop',
          rules: [['input', [dport('tcp', 22), { last }, { counter: { packets: 1, bytes: 60 } }, { accept: null }]]],
        }),
      ]).document.rules[0]!;
    const a = withLast({ used: 1200 });
    expect(a).toMatchObject({ action: 'allow', ports: [{ from: 22, to: 22 }], exposure: 'internet' });
    expect(withLast({ used: 5400 }).id).toBe(a.id);
    expect(withLast(null).id).toBe(a.id);
  });

  it('change when the rule changes; an identical duplicate gets -2', () => {
    const doc = load('ip-only.json');
    const first = runJson([doc]).document.rules[0]!.id;
    doc.nftables.push(structuredClone(doc.nftables[3]!));
    const dup = runJson([doc]).document.rules;
    expect(dup.map((x) => x.id)).toEqual([first, `${first}-2`]);
    (doc.nftables[3]!.rule!.expr as Record<string, Record<string, unknown>>[])[0]!.match!.right = 2222;
    expect(runJson([doc]).document.rules[0]!.id).not.toBe(first);
  });
});

describe('nftables adapter: several pages', () => {
  it('origins carry the page', () => {
    const r = runJson([load('ip-only.json'), load('two-tables.json')]);
    expect(r.document.rules[0]!.origin).toEqual({ part: 'body', page: 0, pointer: '/nftables/3/rule' });
    expect(r.document.rules.at(-1)!.origin).toEqual({ part: 'body', page: 1, pointer: '/nftables/7/rule' });
  });
});

describe('nftables adapter: bad input → 422 with a pointer', () => {
  it.each([
    ['not-envelope.json', '/nftables', /nftables/],
    ['expr-not-array.json', '/nftables/3/rule/expr', /array/],
    ['match-without-op.json', '/nftables/3/rule/expr/0', /"op", "left" and "right"/],
    ['unknown-op.json', '/nftables/3/rule/expr/0', /unknown match operator/],
    ['rule-unknown-chain.json', '/nftables/3/rule/chain', /chain the ruleset does not list/],
    ['jump-without-target.json', '/nftables/3/rule/expr/0', /target chain name/],
    ['bad-prefix.json', '/nftables/3/rule/expr/0', /prefix/],
    ['two-key-statement.json', '/nftables/3/rule/expr/0', /exactly one key/],
  ])('%s → %s', (name, pointer, message) => {
    const e = thrown(() => run(`bad/${name}`));
    expect(e.status).toBe(422);
    expect(e.problems).toContainEqual(
      expect.objectContaining({ part: 'body', pointer, message: expect.stringMatching(message) }),
    );
  });

  it('nesting deeper than any ruleset is refused, not a stack overflow', () => {
    const deep = `${'{"set": ['.repeat(5000)}22${']}'.repeat(5000)}`;
    const text = fixture('nftables/ip-only.json').toString('utf8').replace('"right": 22', `"right": ${deep}`);
    const e = thrown(() => runAdapter(nftablesAdapter, [{ name: 'body', bytes: Buffer.from(text) }], { clients: [] }));
    expect(e.problems[0]).toMatchObject({
      pointer: '/nftables/3/rule',
      message: expect.stringMatching(/nested deeper/),
    });
  });

  it('malformed JSON is a 400 with a line', () => {
    const e = thrown(() =>
      runAdapter(nftablesAdapter, [{ name: 'body', bytes: Buffer.from('{"nftables": [\n{"table": }\n]}') }], {
        clients: [],
      }),
    );
    expect(e).toMatchObject({ status: 400, problems: [expect.objectContaining({ part: 'body', line: 2 })] });
  });
});

/** An inet table with an input chain (policy), a forward chain and optionally an ip nat prerouting chain; rules as [chain, expr]. */
function ruleset(opts: {
  input?: string;
  forward?: string;
  output?: string;
  rules: [string, unknown[]][];
  dnat?: unknown[][];
}): unknown {
  const chain = (name: string, hook: string, policy: string) => ({
    chain: { family: 'inet', table: 'f', name, handle: 1, type: 'filter', hook, prio: 0, policy },
  });
  const items: unknown[] = [
    { table: { family: 'inet', name: 'f', handle: 1 } },
    chain('input', 'input', opts.input ?? 'accept'),
    chain('forward', 'forward', opts.forward ?? 'accept'),
    chain('output', 'output', opts.output ?? 'accept'),
    ...opts.rules.map(([c, expr], i) => ({ rule: { family: 'inet', table: 'f', chain: c, handle: 10 + i, expr } })),
  ];
  if (opts.dnat) {
    items.push({ table: { family: 'ip', name: 'nat', handle: 2 } });
    items.push({
      chain: {
        family: 'ip',
        table: 'nat',
        name: 'prerouting',
        handle: 1,
        type: 'nat',
        hook: 'prerouting',
        prio: -100,
        policy: 'accept',
      },
    });
    opts.dnat.forEach((expr, i) =>
      items.push({ rule: { family: 'ip', table: 'nat', chain: 'prerouting', handle: 50 + i, expr } }),
    );
  }
  return { nftables: items };
}

const dport = (proto: string, port: number) => ({
  match: { op: '==', left: { payload: { protocol: proto, field: 'dport' } }, right: port },
});
const ruleAt = (r: AdapterResult<'firewall'>, index: number) =>
  r.document.rules.filter((x) => x.origin.pointer === `/nftables/${index + 4}/rule`);

describe('nftables adapter: conditions that are not decoded are still conditions', () => {
  it.each([
    [
      'fib daddr type broadcast',
      { match: { op: '==', left: { fib: { result: 'type', flags: ['daddr'] } }, right: 'broadcast' } },
      'fib',
    ],
    ['limit rate over', { limit: { rate: 100, burst: 5, per: 'second', inv: true } }, 'limit'],
    ['quota over', { quota: { val: 10, val_unit: 'mbytes', inv: true } }, 'quota'],
    [
      'meter',
      {
        meter: {
          name: 'flood',
          key: { payload: { protocol: 'ip', field: 'saddr' } },
          stmt: { limit: { rate: 10, per: 'second', inv: true } },
        },
      },
      'meter',
    ],
    ['ct count over', { 'ct count': { val: 20, inv: true } }, 'ct count'],
    ['meta pkttype', { match: { op: '==', left: { meta: { key: 'pkttype' } }, right: 'broadcast' } }, 'meta pkttype'],
    ['meta mark (opaque)', { match: { op: '==', left: { meta: { key: 'mark' } }, right: 1 } }, 'meta mark'],
    [
      'ct status assured (opaque)',
      { match: { op: 'in', left: { ct: { key: 'status' } }, right: 'assured' } },
      'ct status',
    ],
  ])('a drop narrowed by %s is not a default deny and hides nothing after it', (_name, condition, named) => {
    const r = runJson([
      ruleset({
        rules: [
          ['input', [condition, { drop: null }]],
          ['input', [dport('tcp', 22), { accept: null }]],
        ],
      }),
    ]);
    expect(r.document.devices[0]!.defaultInbound).toBe('allow');
    expect(ruleAt(r, 0)).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'deny',
        protocol: 'any',
        ports: [],
        description: `only part of this traffic: also matches on ${named}`,
      }),
    ]);
    expect(ruleAt(r, 1)).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'allow',
        protocol: 'tcp',
        sources: ANY,
        ports: [{ from: 22, to: 22 }],
        exposure: 'internet',
        description: null,
      }),
    ]);
    expect(r.warnings.filter((w) => w.code === 'unreachable_rule')).toEqual([]);
  });

  it('a rate-limited accept keeps the decoded exposure; a TCP-flags match still implies tcp', () => {
    const r = runJson([
      ruleset({
        input: 'drop',
        rules: [
          ['input', [dport('tcp', 22), { limit: { rate: 5, per: 'minute' } }, { accept: null }]],
          [
            'input',
            [
              { match: { op: 'in', left: { payload: { protocol: 'tcp', field: 'flags' } }, right: 'syn' } },
              { drop: null },
            ],
          ],
        ],
      }),
    ]);
    expect(ruleAt(r, 0)).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'allow',
        ports: [{ from: 22, to: 22 }],
        exposure: 'internet',
        description: null,
      }),
    ]);
    expect(ruleAt(r, 1)).toEqual([
      expect.objectContaining({
        action: 'deny',
        protocol: 'tcp',
        description: 'only part of this traffic: also matches on tcp flags',
      }),
    ]);
  });

  it('a rate-limited forward drop does not cover a port-forward', () => {
    const r = runJson([
      ruleset({
        rules: [['forward', [{ limit: { rate: 500, per: 'second', inv: true } }, { drop: null }]]],
        dnat: [[dport('tcp', 3389), { dnat: { addr: '10.0.0.5', port: 3389 } }]],
      }),
    ]);
    expect(r.document.rules.find((x) => x.description?.startsWith('port-forward'))).toMatchObject({
      action: 'allow',
      destinations: ['10.0.0.5/32'],
      exposure: 'internet',
    });
  });
});

describe('nftables adapter: ct status dnat', () => {
  const ctStatusDnat = { match: { op: 'in', left: { ct: { key: 'status' } }, right: 'dnat' } };

  it('firewalld\'s "ct status dnat accept" admits only what the port-forwards expose: internal, later rules live, trailing reject is the default', () => {
    const r = runJson([
      ruleset({
        rules: [
          [
            'input',
            [
              { match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } },
              { accept: null },
            ],
          ],
          ['input', [ctStatusDnat, { accept: null }]],
          ['input', [dport('tcp', 22), { accept: null }]],
          ['input', [{ reject: { type: 'icmpx', expr: 'admin-prohibited' } }]],
        ],
      }),
    ]);
    expect(r.document.devices[0]!.defaultInbound).toBe('deny');
    expect(ruleAt(r, 1)).toEqual([
      {
        id: expect.stringMatching(/^nft-/),
        device: 'nftables',
        enabled: true,
        action: 'allow',
        direction: 'inbound',
        interface: null,
        protocol: 'any',
        sources: ANY,
        destinations: ANY,
        ports: [],
        log: false,
        exposure: 'internal',
        description:
          'conntrack state dnat only: admits only connections a NAT rule opened, as the port-forward rules show',
        origin: { part: 'body', pointer: '/nftables/5/rule' },
      },
    ]);
    expect(ruleAt(r, 2)).toEqual([
      expect.objectContaining({ enabled: true, ports: [{ from: 22, to: 22 }], exposure: 'internet' }),
    ]);
    expect(ruleAt(r, 3)).toEqual([expect.objectContaining({ enabled: true, action: 'deny' })]);
  });

  it('in a forward chain it admits the port-forward; with ct state new it is still a rule (the states meet as dnat)', () => {
    const r = runJson([
      ruleset({
        forward: 'drop',
        rules: [
          [
            'forward',
            [{ match: { op: 'in', left: { ct: { key: 'state' } }, right: 'new' } }, ctStatusDnat, { accept: null }],
          ],
        ],
        dnat: [[dport('tcp', 8080), { dnat: { addr: '10.0.0.5', port: 80 } }]],
      }),
    ]);
    expect(ruleAt(r, 0)).toEqual([
      expect.objectContaining({ enabled: true, direction: 'forward', exposure: 'internal' }),
    ]);
    expect(r.document.rules.find((x) => x.description?.startsWith('port-forward'))).toMatchObject({
      action: 'allow',
      destinations: ['10.0.0.5/32'],
      ports: [{ from: 80, to: 80 }],
      exposure: 'internet',
    });
  });
});

describe('nftables adapter: the effective default follows unconditional jumps', () => {
  it('an accept-policy input chain that jumps to a chain ending in drop is a default deny', () => {
    const doc = ruleset({
      rules: [
        ['input', [dport('tcp', 443), { accept: null }]],
        ['input', [{ jump: { target: 'log_drop' } }]],
        ['log_drop', [{ log: { prefix: 'drop ' } }, { drop: null }]],
      ],
    }) as { nftables: unknown[] };
    doc.nftables.splice(4, 0, { chain: { family: 'inet', table: 'f', name: 'log_drop', handle: 5 } });
    const r = runJson([doc]);
    expect(r.document.devices[0]!.defaultInbound).toBe('deny');
    expect(r.document.rules.filter((x) => x.action === 'deny')).toEqual([
      expect.objectContaining({ enabled: true, protocol: 'any', log: true }),
    ]);
  });

  it('meta nfproto ipv4 drop is the IPv4 default only: IPv6 is let in, so allow', () => {
    const r = runJson([
      ruleset({
        rules: [
          ['input', [{ match: { op: '==', left: { meta: { key: 'nfproto' } }, right: 'ipv4' } }, { drop: null }]],
        ],
      }),
    ]);
    expect(r.document.devices[0]!.defaultInbound).toBe('allow');
    const both = runJson([
      ruleset({
        rules: [
          ['input', [{ match: { op: '==', left: { meta: { key: 'nfproto' } }, right: 'ipv4' } }, { drop: null }]],
          ['input', [{ match: { op: '==', left: { meta: { key: 'nfproto' } }, right: 'ipv6' } }, { drop: null }]],
        ],
      }),
    ]);
    expect(both.document.devices[0]!.defaultInbound).toBe('deny');
  });
});

describe('nftables adapter: negated unresolved sources', () => {
  it('ip saddr != @set the ruleset does not hold is everyone but a list: exposure internet', () => {
    const r = runJson([
      ruleset({
        input: 'drop',
        rules: [
          [
            'input',
            [
              { match: { op: '!=', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: '@blocklist' } },
              dport('tcp', 3389),
              { accept: null },
            ],
          ],
        ],
      }),
    ]);
    expect(ruleAt(r, 0)).toEqual([
      expect.objectContaining({
        enabled: true,
        action: 'allow',
        sources: ['ref:!@blocklist'],
        destinations: ['0.0.0.0/0'],
        ports: [{ from: 3389, to: 3389 }],
        exposure: 'internet',
      }),
    ]);
  });
});

describe('nftables adapter: defaultOutbound', () => {
  it.each([
    ['output policy accept', { output: 'accept', rules: [] }, 'allow'],
    [
      'output policy drop with tcp and udp accepts',
      {
        output: 'drop',
        rules: [
          ['output', [{ match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'tcp' } }, { accept: null }]],
          ['output', [{ match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'udp' } }, { accept: null }]],
        ],
      },
      'deny',
    ],
    [
      'output policy drop then an unconditional accept',
      { output: 'drop', rules: [['output', [{ accept: null }]]] },
      'allow',
    ],
    [
      'output policy accept with a trailing reject',
      {
        output: 'accept',
        rules: [
          ['output', [dport('udp', 53), { accept: null }]],
          ['output', [{ reject: null }]],
        ],
      },
      'deny',
    ],
  ] as [string, { output: string; rules: [string, unknown[]][] }, string][])('%s → %s', (_name, opts, expected) => {
    const r = runJson([ruleset({ input: 'drop', ...opts })]);
    expect(r.document.devices[0]).toMatchObject({ defaultInbound: 'deny', defaultOutbound: expected });
  });

  it('a ruleset that filters but hooks no chain on output lets everything out; one with no filter chain is unknown', () => {
    const doc = ruleset({ input: 'drop', rules: [] }) as { nftables: { chain?: { hook?: string } }[] };
    doc.nftables = doc.nftables.filter((o) => o.chain?.hook !== 'output');
    expect(runJson([doc]).document.devices[0]).toMatchObject({ defaultInbound: 'deny', defaultOutbound: 'allow' });
    expect(run('no-input.json').document.devices[0]).toMatchObject({
      defaultInbound: 'unknown',
      defaultOutbound: 'unknown',
    });
  });
});

describe('nftables adapter: verdicts that real rulesets depend on', () => {
  it('an interface-only drop narrows the rules after it; `iifname != "wg0" accept` before a dnat leaves it to wg0', () => {
    for (const context of [{}, { internetInterfaces: ['eth0'] }]) {
      const r = run('interface-verdict.json', context);
      expect(r.document.devices[0]!.internetInterfaces).toEqual(['eth0']);
      expect(only(r, 'interface-verdict.json', 'input', 12)).toMatchObject({ interface: 'eth0', exposure: 'internet' });
      expect(only(r, 'interface-verdict.json', 'input', 14)).toMatchObject({
        interface: '!eth0',
        exposure: 'internal',
        enabled: true,
      });
      const rdp = only(r, 'interface-verdict.json', 'prerouting', 21);
      expect(rdp).toMatchObject({
        direction: 'forward',
        interface: 'wg0',
        destinations: ['10.0.0.5/32'],
        ports: [{ from: 3389, to: 3389 }],
        exposure: 'internal',
      });
    }
  });

  it('map-based dnat: each key is a port-forward to its target, and the rules after the maps still match', () => {
    const r = run('dnat-maps.json', {});
    expect(r.document.devices[0]).toMatchObject({ internetInterfaces: ['eth0'], internetInterfacesFrom: 'nat-rules' });
    const web = byHandle(r, 'dnat-maps.json', 'prerouting', 20);
    expect(web.map((x) => [x.destinations, x.ports, x.protocol, x.exposure, x.enabled])).toEqual([
      [['10.0.0.2/32'], [{ from: 8080, to: 8080 }], 'tcp', 'internet', true],
      [['10.0.0.5/32'], [{ from: 3389, to: 3389 }], 'tcp', 'internet', true],
    ]);
    // an address-and-port map: public 2222 → 10.0.0.3:22
    expect(only(r, 'dnat-maps.json', 'prerouting', 21)).toMatchObject({
      destinations: ['10.0.0.3/32'],
      ports: [{ from: 22, to: 22 }],
      exposure: 'internet',
      enabled: true,
    });
    expect(only(r, 'dnat-maps.json', 'prerouting', 21).description).toMatch(
      /^port-forward tcp\/2222 -> 10\.0\.0\.3:22/,
    );
    // a named map
    expect(only(r, 'dnat-maps.json', 'prerouting', 22)).toMatchObject({
      destinations: ['10.0.0.7/32'],
      ports: [{ from: 8443, to: 8443 }],
    });
    // a failed lookup falls through: the VNC forward after the maps is live
    expect(only(r, 'dnat-maps.json', 'prerouting', 23)).toMatchObject({
      destinations: ['10.0.0.9/32'],
      ports: [{ from: 5900, to: 5900 }],
      exposure: 'internet',
      enabled: true,
    });
    expect(r.warnings.map((w) => w.code)).not.toContain('unreachable_rule');
    expect(r.document.rules.some((x) => x.destinations.includes('ref:dnat-map'))).toBe(false);
  });

  it('a dnat through a map the export does not hold is one forward to ref:dnat-map that does not end the chain', () => {
    const doc = ruleset({
      rules: [],
      dnat: [
        [{ dnat: { addr: { map: { key: { payload: { protocol: 'tcp', field: 'dport' } }, data: '@missing' } } } }],
        [dport('tcp', 5900), { dnat: { addr: '10.0.0.9' } }],
      ],
    });
    const r = runJson([doc], { internetInterfaces: ['eth0'] });
    const forwards = r.document.rules.filter(
      (x) => x.direction === 'forward' && x.description?.startsWith('port-forward'),
    );
    expect(forwards.map((x) => [x.destinations, x.enabled])).toEqual([
      [['ref:dnat-map'], true],
      [['10.0.0.9/32'], true],
    ]);
  });
});
