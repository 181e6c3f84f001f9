import { pfsenseAdapter } from '../../../src/adapters/firewall/pfsense.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterContext, type AdapterResult } from '../../../src/adapters/types.js';
import type { FirewallRule } from '../../../src/schemas/canonical-types.js';
import { fixture, runOnFixtures } from '../../helpers/adapters.js';

const FIXTURE = 'pfsense/config.xml';
const LINES = fixture(FIXTURE).toString('utf8').split('\n');
const DEVICE = 'fw01.example.com';

/** 1-based line of the `<rule>` element that contains `marker` (a tracker, a description). */
function ruleLine(marker: string): number {
  const at = LINES.findIndex((l) => l.includes(marker));
  for (let i = at; i >= 0; i--) if (/^\s*<rule[\s>]/.test(LINES[i]!)) return i + 1;
  throw new Error(`no rule contains ${marker}`);
}

function lineOf(marker: string): number {
  return LINES.findIndex((l) => l.includes(marker)) + 1;
}

const result = (): AdapterResult<'firewall'> =>
  runOnFixtures(pfsenseAdapter, [['body', FIXTURE]]) as AdapterResult<'firewall'>;

function rule(id: string, r = result()): FirewallRule {
  const found = r.document.rules.find((x) => x.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

function run(xml: string, context: Partial<AdapterContext> = {}): AdapterResult<'firewall'> {
  return runAdapter(pfsenseAdapter, [{ name: 'body', bytes: Buffer.from(xml) }], {
    clients: [],
    ...context,
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

const minimal = (
  body: string,
  interfaces = '<wan><if>em0</if><ipaddr>dhcp</ipaddr></wan><lan><ipaddr>192.168.1.1</ipaddr><subnet>24</subnet></lan>',
) =>
  `<?xml version="1.0"?>\n<pfsense>\n<system><hostname>t</hostname></system>\n<interfaces>${interfaces}</interfaces>\n${body}\n</pfsense>`;

describe('pfsense adapter: device', () => {
  it('names the device from hostname + domain, instance from the hostname, time from the revision', () => {
    const r = result();
    expect(r.document.devices).toEqual([
      {
        id: DEVICE,
        source: 'pfsense',
        name: DEVICE,
        defaultInbound: 'deny',
        internetInterfaces: ['wan', 'opt2'],
        internetInterfacesFrom: 'export',
        origin: { part: 'body', line: lineOf('<system>') },
      },
    ]);
    expect(r.instance).toBe('fw01');
    // the newest revision says when the configuration changed, not when it was exported
    expect(r.collectedAt).toBeUndefined();
    expect(r.configChangedAt).toBe('2024-11-26T05:46:40.000Z');
  });

  it('an interface with an upstream gateway faces the internet; a gateway-less static one does not', () => {
    const { internetInterfaces } = result().document.devices[0]!;
    expect(internetInterfaces).toContain('opt2');
    expect(internetInterfaces).not.toContain('opt1');
    expect(internetInterfaces).not.toContain('lan');
  });

  it('falls back to ?internetInterfaces= when no interface is WAN-type, else unknown (null)', () => {
    const xml = minimal('<filter/>', '<lan><ipaddr>192.168.1.1</ipaddr><subnet>24</subnet></lan>');
    expect(run(xml, { internetInterfaces: ['lan'] }).document.devices[0]).toMatchObject({
      internetInterfaces: ['lan'],
      internetInterfacesFrom: 'request',
    });
    expect(run(xml).document.devices[0]!.internetInterfaces).toBeNull();
    expect(run(xml).document.devices[0]).not.toHaveProperty('internetInterfacesFrom');
  });
});

describe('pfsense adapter: filter rules', () => {
  it('a WAN pass rule to the (dynamic) WAN address: tracker id, ref for the address, internet exposure', () => {
    expect(rule('1000000101')).toEqual({
      id: '1000000101',
      device: DEVICE,
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: 'wan',
      protocol: 'tcp',
      sources: ['0.0.0.0/0'],
      destinations: ['ref:wanip'],
      ports: [{ from: 443, to: 443 }],
      log: false,
      exposure: 'internet',
      description: 'HTTPS to the firewall',
      origin: { part: 'body', line: ruleLine('<tracker>1000000101<') },
    });
    expect(result().warnings).toContainEqual(
      expect.objectContaining({ code: 'dynamic_interface_address', line: ruleLine('<tracker>1000000101<') }),
    );
  });

  it('expands nested host/network aliases, resolves (self), reads presence-only <log></log>, decodes &amp;', () => {
    const r = rule('1000000102');
    expect(r.sources).toEqual(['192.168.1.10/32', '192.168.1.11/32', '198.51.100.64/27']);
    expect(r.destinations).toEqual(['ref:(self)', '192.168.1.1/32', '10.10.10.1/32', '198.51.100.2/32']);
    expect(r.log).toBe(true);
    // the office /27 is public address space, but 32 addresses: an allow-list, not the internet
    expect(r.exposure).toBe('restricted');
    expect(r.description).toBe('SSH from admins & office');
  });

  it('a url/urltable alias cannot be resolved offline: ref:, exposure unknown, a warning', () => {
    const r = rule('1000000103');
    expect(r).toMatchObject({
      action: 'deny',
      protocol: 'any',
      sources: ['ref:blocklist'],
      ports: [],
      log: true,
      exposure: 'unknown',
    });
    expect(result().warnings).toContainEqual({
      code: 'unresolved_alias',
      message: 'alias blocklist has type urltable, which cannot be resolved offline',
      part: 'body',
      line: lineOf('<name>blocklist<') - 1,
    });
  });

  it('<not/> on an unresolvable (urltable) alias is everyone but a list: exposure internet, not unknown', () => {
    const xml =
      minimal(`<aliases><alias><name>pfB_Top_v4</name><type>urltable</type><url>https://127.0.0.1:8443/pfB_Top_v4.txt</url><address></address></alias></aliases>
<filter><rule><tracker>1700000001</tracker><type>pass</type><interface>wan</interface><ipprotocol>inet</ipprotocol><protocol>tcp</protocol>
<source><address>pfB_Top_v4</address><not></not></source><destination><address>192.168.1.20</address><port>3389</port></destination><descr>RDP from everyone except the pfBlockerNG list</descr></rule></filter>`);
    expect(run(xml).document.rules).toEqual([
      {
        id: '1700000001',
        device: 't',
        enabled: true,
        action: 'allow',
        direction: 'inbound',
        interface: 'wan',
        protocol: 'tcp',
        sources: ['ref:!pfB_Top_v4'],
        destinations: ['192.168.1.20/32'],
        ports: [{ from: 3389, to: 3389 }],
        log: false,
        exposure: 'internet',
        description: 'RDP from everyone except the pfBlockerNG list',
        origin: { part: 'body', line: 6 },
      },
    ]);
  });

  it('a disabled rule (<disabled></disabled>) is emitted with enabled false', () => {
    expect(rule('1000000107')).toMatchObject({ enabled: false, ports: [{ from: 23, to: 23 }], exposure: 'internet' });
  });

  it('<not/> negates the source: !CIDR, which still admits the internet', () => {
    expect(rule('1000000108')).toMatchObject({ sources: ['!10.0.0.0/8'], exposure: 'internet', protocol: 'udp' });
  });

  it('a floating rule on "wan,opt2" becomes one rule per interface; direction any reads as inbound', () => {
    const r = result();
    const floating = r.document.rules.filter((x) => x.id.startsWith('1000000109'));
    expect(floating.map((x) => [x.id, x.interface, x.direction, x.exposure])).toEqual([
      ['1000000109@wan', 'wan', 'inbound', 'internet'],
      ['1000000109@opt2', 'opt2', 'inbound', 'internet'],
    ]);
  });

  it('reject is a deny; tcp/udp is kept; interface networks resolve from ipaddr + subnet', () => {
    expect(rule('1000000110')).toMatchObject({
      action: 'deny',
      protocol: 'tcp/udp',
      interface: 'opt1',
      sources: ['10.10.10.0/24'],
      destinations: ['192.168.1.0/24'],
      ports: [{ from: 445, to: 445 }],
      exposure: 'internal',
    });
  });

  it('an IP-range alias becomes CIDRs; a port alias with ":" ranges becomes port ranges', () => {
    expect(rule('1000000111')).toMatchObject({
      interface: 'opt2',
      sources: ['203.0.113.10/31', '203.0.113.12/30', '203.0.113.16/30', '203.0.113.20/32'],
      destinations: ['10.10.10.5/32'],
      ports: [
        { from: 80, to: 80 },
        { from: 443, to: 443 },
        { from: 8000, to: 8100 },
      ],
      exposure: 'restricted', // 11 public addresses: an allow-list
    });
  });

  it('inet46 "any" is both families; a rule on an interface group of internal members is internal', () => {
    expect(rule('1000000112')).toMatchObject({
      interface: 'SERVERS',
      sources: ['0.0.0.0/0', '::/0'],
      destinations: ['0.0.0.0/0', '::/0'],
      exposure: 'internal',
    });
  });

  it('an IPv6 rule on a tracking (track6) interface network is a ref', () => {
    expect(rule('0100000102')).toMatchObject({ sources: ['ref:lan'], destinations: ['::/0'], exposure: 'internal' });
  });

  it('a rule without a tracker gets a stable content id; a host alias holding an FQDN is a ref', () => {
    const r = result().document.rules.find((x) => x.description === 'no tracker: an old hand-edited rule')!;
    expect(r.id).toMatch(/^pfsense-[0-9a-f]{16}$/);
    expect(r.id).toBe(result().document.rules.find((x) => x.description === r.description)!.id);
    expect(r.destinations).toEqual(['ref:partner.example.com']);
    expect(result().warnings).toContainEqual(
      expect.objectContaining({
        code: 'unresolved_reference',
        message: expect.stringContaining('partner.example.com'),
      }),
    );
  });

  it('a content id does not depend on where the rule sits in the file', () => {
    const a =
      '<rule><type>pass</type><interface>lan</interface><source><any/></source><destination><any/></destination></rule>';
    const b =
      '<rule><type>block</type><interface>lan</interface><source><any/></source><destination><any/></destination></rule>';
    const first = run(minimal(`<filter>${a}${b}</filter>`)).document.rules.map((x) => x.id);
    const second = run(minimal(`<filter>${b}${a}</filter>`)).document.rules.map((x) => x.id);
    expect(second).toEqual([first[1], first[0]]);
  });

  it('a match rule neither passes nor blocks: skipped with a warning', () => {
    const r = result();
    expect(r.document.rules.some((x) => x.id === '1000000114')).toBe(false);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'rule_skipped', line: ruleLine('<tracker>1000000114<') }),
    );
  });

  it('an alias cycle resolves to a ref with a warning instead of looping', () => {
    expect(rule('1000000115').sources).toEqual(['192.168.1.20/32', 'ref:loop_a']);
    expect(result().warnings).toContainEqual(
      expect.objectContaining({ code: 'unresolved_alias', message: 'alias loop_a refers back to itself' }),
    );
  });

  it('the network of a DHCP WAN stays a ref and is unknown: an ISP subnet, or a CGNAT / upstream router range', () => {
    const xml = minimal(
      '<filter><rule><tracker>3</tracker><type>pass</type><interface>wan</interface><source><network>wan</network></source><destination><network>wanip</network></destination></rule></filter>',
    );
    expect(run(xml).document.rules[0]).toMatchObject({
      sources: ['ref:wan'],
      destinations: ['ref:wanip'],
      exposure: 'unknown',
    });
  });

  it('icmp in an IPv6 rule is ICMPv6; an absent protocol is any', () => {
    const xml = minimal(`<filter>
<rule><tracker>1</tracker><type>pass</type><interface>wan</interface><ipprotocol>inet6</ipprotocol><protocol>icmp</protocol><source><any/></source><destination><any/></destination></rule>
<rule><tracker>2</tracker><type>pass</type><interface>wan</interface><source><any/></source><destination><any/></destination></rule>
</filter>`);
    const rules = run(xml).document.rules;
    expect(rules.map((x) => [x.protocol, x.sources])).toEqual([
      ['icmpv6', ['::/0']],
      ['any', ['0.0.0.0/0']],
    ]);
  });

  it('duplicate trackers keep ids unique (suffix) and warn', () => {
    const r =
      '<rule><tracker>7</tracker><type>pass</type><interface>lan</interface><source><any/></source><destination><any/></destination></rule>';
    const out = run(minimal(`<filter>${r}${r}</filter>`));
    expect(out.document.rules.map((x) => x.id)).toEqual(['7', '7~2']);
    expect(out.warnings).toContainEqual(expect.objectContaining({ code: 'duplicate_rule_id' }));
  });

  it('an unknown port name matches every port, with a warning', () => {
    const xml = minimal(
      '<filter><rule><tracker>9</tracker><type>pass</type><interface>wan</interface><protocol>tcp</protocol><source><any/></source><destination><any/><port>no_such_alias</port></destination></rule></filter>',
    );
    const out = run(xml);
    expect(out.document.rules[0]!.ports).toEqual([]);
    expect(out.warnings).toContainEqual(expect.objectContaining({ code: 'unresolved_port' }));
  });
});

describe('pfsense adapter: NAT port-forwards', () => {
  it('the paired filter rule targets the internal host on the redirect target port', () => {
    expect(rule('1000000104')).toEqual({
      id: '1000000104',
      device: DEVICE,
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: 'wan',
      protocol: 'tcp',
      sources: ['0.0.0.0/0'],
      destinations: ['192.168.1.50/32'],
      ports: [{ from: 3389, to: 3389 }], // external 33389 → local 3389
      log: false,
      exposure: 'internet',
      description: 'NAT RDP to terminal server',
      origin: { part: 'body', line: ruleLine('<tracker>1000000104<') },
    });
  });

  it('the NAT rule wins over a stale paired filter rule', () => {
    const xml =
      minimal(`<aliases><alias><name>srv</name><type>host</type><address>192.168.1.9</address></alias></aliases>
<filter><rule><tracker>5</tracker><interface>wan</interface><protocol>tcp</protocol><source><any/></source>
<destination><address>192.168.1.99</address><port>80</port></destination><associated-rule-id>nat_x</associated-rule-id></rule></filter>
<nat><rule><interface>wan</interface><protocol>tcp</protocol><source><any/></source><destination><network>wanip</network><port>8000-8010</port></destination>
<target>srv</target><local-port>9000</local-port><associated-rule-id>nat_x</associated-rule-id></rule></nat>`);
    expect(run(xml).document.rules[0]).toMatchObject({
      id: '5',
      destinations: ['192.168.1.9/32'],
      ports: [{ from: 9000, to: 9010 }],
      exposure: 'internet',
    });
  });

  it('associated-rule-id "pass" creates a synthetic allow rule (rdr pass) with the local port range', () => {
    const r = result().document.rules.find((x) => x.description === 'web admin, rdr pass')!;
    expect(r).toEqual({
      id: expect.stringMatching(/^pfsense-[0-9a-f]{16}$/),
      device: DEVICE,
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: 'wan',
      protocol: 'tcp',
      sources: ['0.0.0.0/0'],
      destinations: ['10.10.10.5/32'],
      ports: [{ from: 443, to: 444 }],
      log: false,
      exposure: 'internet',
      description: 'web admin, rdr pass',
      origin: { part: 'body', line: ruleLine('web admin, rdr pass') },
    });
  });

  it('a disabled port-forward leaves its (disabled) filter rule as is; nordr creates nothing', () => {
    const r = result();
    expect(rule('1000000116', r)).toMatchObject({ enabled: false, destinations: ['192.168.1.60/32'] });
    expect(r.document.rules.some((x) => x.description?.includes('8080'))).toBe(false);
    // every filter rule but the match rule (the floating one twice) + the rdr-pass synthetic rule
    expect(r.document.rules.map((x) => x.id)).toEqual([
      '1000000101',
      '1000000102',
      '1000000103',
      '1000000104',
      '0100000101',
      '0100000102',
      '1000000107',
      '1000000108',
      '1000000109@wan',
      '1000000109@opt2',
      '1000000110',
      '1000000111',
      '1000000112',
      expect.stringMatching(/^pfsense-/),
      '1000000115',
      '1000000116',
      expect.stringMatching(/^pfsense-/),
    ]);
  });

  it('a port-forward whose filter rule is gone creates no exposure and warns', () => {
    const r = result();
    expect(r.document.rules.some((x) => x.destinations.includes('192.168.1.70/32'))).toBe(false);
    expect(r.warnings).toContainEqual({
      code: 'nat_rule_unpaired',
      message:
        'a port-forward names filter rule nat_6745a1b2c3d4e5.99999999, which is not in the export: it creates no exposure',
      part: 'body',
      line: ruleLine('whose filter rule was deleted'),
    });
  });
});

describe('pfsense adapter: secrets and bad input', () => {
  it('never copies password hashes, keys, certificates or PSKs', () => {
    const out = JSON.stringify(result());
    for (const secret of [
      '$2y$10$FAKEHASH',
      'c3NoLXJzYSBGQUtF',
      'LS0tLS1CRUdJTiBQUklW',
      'LS0tLS1CRUdJTiBDRVJU',
      'FAKE-PSK',
    ]) {
      expect(out).not.toContain(secret);
    }
  });

  it('malformed XML → 400 with the line, without echoing the content', () => {
    const err = thrown(() => run('<pfsense>\n<system>\n<hostname>secret-host</hostnme>\n</system>\n</pfsense>'));
    expect(err.status).toBe(400);
    expect(err.problems[0]).toMatchObject({ part: 'body', line: 3 });
    expect(err.problems[0]!.message).not.toContain('secret-host');
  });

  it('a DOCTYPE / external entity is refused (400)', () => {
    const xml =
      '<?xml version="1.0"?>\n<!DOCTYPE pfsense [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<pfsense><system><hostname>&xxe;</hostname></system></pfsense>';
    const err = thrown(() => run(xml));
    expect(err.status).toBe(400);
    expect(err.problems[0]).toMatchObject({ part: 'body', line: 2 });
  });

  it('an OPNsense config given as pfsense → 422', () => {
    const err = thrown(() => runOnFixtures(pfsenseAdapter, [['body', 'opnsense/config.xml']]));
    expect(err.status).toBe(422);
    expect(err.problems[0]!.message).toMatch(/root element is <opnsense>/);
  });

  it('config.xml given twice: the first is read, with a warning', () => {
    const bytes = fixture(FIXTURE);
    const r = runAdapter(
      pfsenseAdapter,
      [
        { name: 'body', bytes },
        { name: 'body', bytes },
      ],
      { clients: [] },
    ) as AdapterResult<'firewall'>;
    expect(r.document.devices).toHaveLength(1);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'extra_pages_ignored' }));
  });

  it('an empty document → 400', () => {
    expect(thrown(() => run('')).status).toBe(400);
  });
});

describe('pfsense adapter: first match per interface (first-match.xml)', () => {
  const fm = () => runOnFixtures(pfsenseAdapter, [['body', 'pfsense/first-match.xml']]) as AdapterResult<'firewall'>;
  const byId = (r: AdapterResult<'firewall'>, id: string) => r.document.rules.find((x) => x.id === id)!;

  it('a pass below an unconditional block of the same interface and direction is unreachable', () => {
    const r = fm();
    expect(byId(r, '2006')).toMatchObject({ enabled: false, action: 'allow', exposure: 'internet' });
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'unreachable_rule', message: expect.stringContaining('rule 2006') }),
    );
    // above the block, another interface, or another family: live
    expect(byId(r, '2004')).toMatchObject({ enabled: true, exposure: 'internet' });
    expect(byId(r, '2007')).toMatchObject({ enabled: true, exposure: 'internet' });
    expect(byId(r, '2008')).toMatchObject({ enabled: true, exposure: 'internal' });
    expect(byId(r, '2005')).toMatchObject({ enabled: true, action: 'deny' });
  });

  it('a floating quick block shadows the interface rules under it; one without quick, or on a tag, never does', () => {
    const r = fm();
    expect(byId(r, '2009')).toMatchObject({ enabled: false });
    // 2001 (no quick) and 2002 (<tagged>) precede 2004, which stays live
    expect(byId(r, '2001').enabled).toBe(true);
    expect(byId(r, '2002').enabled).toBe(true);
    expect(byId(r, '2004').enabled).toBe(true);
    expect(r.warnings.filter((w) => w.code === 'unreachable_rule').map((w) => w.message)).toEqual([
      expect.stringContaining('rule 2006'),
      expect.stringContaining('rule 2009'),
    ]);
  });
});
