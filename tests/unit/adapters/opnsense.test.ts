import { opnsenseAdapter } from '../../../src/adapters/firewall/opnsense.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { FirewallRule } from '../../../src/schemas/canonical-types.js';
import { fixture, runOnFixtures } from '../../helpers/adapters.js';

const FIXTURE = 'opnsense/config.xml';
const LINES = fixture(FIXTURE).toString('utf8').split('\n');
const DEVICE = 'opn01.example.net';

function lineOf(marker: string): number {
  return LINES.findIndex((l) => l.includes(marker)) + 1;
}

const result = (): AdapterResult<'firewall'> =>
  runOnFixtures(opnsenseAdapter, [['body', FIXTURE]]) as AdapterResult<'firewall'>;

function rule(id: string, r = result()): FirewallRule {
  const found = r.document.rules.find((x) => x.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

function run(xml: string): AdapterResult<'firewall'> {
  return runAdapter(opnsenseAdapter, [{ name: 'body', bytes: Buffer.from(xml) }], {
    clients: [],
  }) as AdapterResult<'firewall'>;
}

const LEGACY = '6d0c9d52-1c8e-4b7a-9a55-0d3c2c6f0a0';
const MVC = '3f2e1d0c-0000-4000-8000-0000000000b';

describe('opnsense adapter: device', () => {
  it('device from hostname + domain; instance; configChangedAt keeps the fraction of the revision time', () => {
    const r = result();
    expect(r.document.devices).toEqual([
      {
        id: DEVICE,
        source: 'opnsense',
        name: DEVICE,
        defaultInbound: 'deny',
        internetInterfaces: ['wan'],
        internetInterfacesFrom: 'export',
        origin: { part: 'body', line: lineOf('<system>') },
      },
    ]);
    expect(r.instance).toBe('opn01');
    expect(r.collectedAt).toBeUndefined();
    expect(r.configChangedAt).toBe('2024-11-26T05:46:40.573Z');
  });
});

describe('opnsense adapter: legacy <filter> rules', () => {
  it('the default LAN rule: uuid id, <any>1</any>, interface network', () => {
    expect(rule(`${LEGACY}1`)).toEqual({
      id: `${LEGACY}1`,
      device: DEVICE,
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: 'lan',
      protocol: 'any',
      sources: ['10.0.1.0/24'],
      destinations: ['0.0.0.0/0'],
      ports: [],
      log: false,
      exposure: 'internal',
      description: 'Default allow LAN to any rule',
      origin: { part: 'body', line: lineOf(`uuid="${LEGACY}1"`) },
    });
  });

  it('text booleans: <disabled>1</disabled> disables, <disabled>0</disabled> and <log>0</log> do not', () => {
    expect(rule(`${LEGACY}3`)).toMatchObject({ enabled: false, destinations: ['ref:wanip'], exposure: 'internet' });
    expect(rule(`${LEGACY}4`)).toMatchObject({ enabled: true, log: false, action: 'deny' });
  });

  it('<not>1</not> negates the destination', () => {
    expect(rule(`${LEGACY}4`)).toMatchObject({
      sources: ['172.16.50.0/24'],
      destinations: ['!10.0.1.0/24'],
      exposure: 'internal',
    });
  });

  it('presence-only booleans from older releases are accepted too', () => {
    expect(rule(`${LEGACY}5`)).toMatchObject({
      enabled: false,
      log: true,
      sources: ['0.0.0.0/0'],
      ports: [{ from: 51820, to: 51820 }],
    });
  });
});

describe('opnsense adapter: MVC rules', () => {
  it('are emitted after the legacy rules, ordered by sequence (not document order)', () => {
    const all = result().document.rules.map((x) => x.id);
    const ids = all.filter((id) => id.startsWith(MVC));
    expect(ids).toEqual([`${MVC}1`, `${MVC}2@wan`, `${MVC}2@opt1`, `${MVC}3@wan`, `${MVC}3@opt1`]);
    expect(all.indexOf(`${MVC}1`)).toBe(all.indexOf(`${LEGACY}5`) + 1);
  });

  it('a multi-interface rule: one per interface; nested networkgroup (MVC + legacy aliases); port alias; inet46; (self)', () => {
    const wan = rule(`${MVC}2@wan`);
    expect(wan).toEqual({
      id: `${MVC}2@wan`,
      device: DEVICE,
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: 'wan',
      protocol: 'tcp/udp',
      sources: ['10.0.1.10/32', '10.0.1.11/32', '192.0.2.0/24', '2001:db8:ffff::/48'],
      destinations: ['ref:(self)', '10.0.1.1/32', '2001:db8:1::1/128', '172.16.50.1/32'],
      ports: [
        { from: 22, to: 22 },
        { from: 8000, to: 8100 },
      ],
      log: true,
      exposure: 'internet',
      description: 'admins to management ports',
      origin: { part: 'body', line: lineOf(`uuid="${MVC}2"`) },
    });
    expect(rule(`${MVC}2@opt1`).exposure).toBe('internal');
  });

  it('interfacenot → every other interface; direction out; enabled 0; __lan_network; source_not; a disabled alias is a ref', () => {
    const r = result();
    expect(rule(`${MVC}3@wan`, r)).toMatchObject({
      enabled: false,
      action: 'deny',
      direction: 'outbound',
      protocol: 'tcp',
      sources: ['!10.0.1.0/24'],
      destinations: ['ref:old_vendor'],
      ports: [{ from: 8000, to: 8100 }],
      exposure: 'internal',
    });
    expect(r.document.rules.some((x) => x.id === `${MVC}3@lan`)).toBe(false);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'unresolved_alias', message: 'alias old_vendor is disabled' }),
    );
  });

  it('a geoip alias cannot be resolved offline: exposure unknown', () => {
    expect(rule(`${MVC}1`)).toMatchObject({ action: 'deny', sources: ['ref:blocked_countries'], exposure: 'unknown' });
  });

  it('an alias defined in both the MVC model and the legacy list: the MVC one wins, with a warning', () => {
    const xml = `<opnsense><aliases><alias><name>a</name><type>host</type><address>10.9.9.9</address></alias></aliases>
<OPNsense><Firewall><Alias><aliases><alias uuid="x"><enabled>1</enabled><name>a</name><type>host</type><content>10.1.1.1</content></alias></aliases></Alias>
<Filter><rules><rule uuid="u1"><interface>lan</interface><source_net>a</source_net></rule></rules></Filter></Firewall></OPNsense></opnsense>`;
    const r = run(xml);
    expect(r.document.rules[0]!.sources).toEqual(['10.1.1.1/32']);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'duplicate_alias', line: 1 }));
  });

  it('a bare MVC rule takes the model defaults', () => {
    const xml = `<opnsense><interfaces><wan><ipaddr>dhcp</ipaddr></wan></interfaces>
<OPNsense><Firewall><Filter><rules><rule uuid="u1"><interface>wan</interface></rule></rules></Filter></Firewall></OPNsense></opnsense>`;
    expect(run(xml).document.rules).toEqual([
      expect.objectContaining({
        id: 'u1',
        enabled: true,
        action: 'allow',
        direction: 'inbound',
        protocol: 'any',
        sources: ['0.0.0.0/0'],
        destinations: ['0.0.0.0/0'],
        ports: [],
        log: false,
        exposure: 'internet',
        description: null,
      }),
    ]);
  });
});

describe('opnsense adapter: NAT', () => {
  it('a legacy port-forward pairs with its filter rule', () => {
    expect(rule(`${LEGACY}2`)).toMatchObject({
      destinations: ['10.0.1.20/32'],
      ports: [{ from: 443, to: 443 }],
      log: true,
      exposure: 'internet',
    });
  });

  it('<pass>rule</pass> registers a rule: a synthetic allow to the (alias) target; 0 flags are false', () => {
    expect(rule('nat:a1b2c3d4-0000-4000-8000-00000000aa02')).toEqual({
      id: 'nat:a1b2c3d4-0000-4000-8000-00000000aa02',
      device: DEVICE,
      enabled: true,
      action: 'allow',
      direction: 'inbound',
      interface: 'wan',
      protocol: 'tcp',
      sources: ['0.0.0.0/0'],
      destinations: ['10.0.1.40/32'],
      ports: [{ from: 22, to: 22 }],
      log: true,
      exposure: 'internet',
      description: 'jump host (registered rule)',
      origin: { part: 'body', line: lineOf('uuid="a1b2c3d4-0000-4000-8000-00000000aa02"') },
    });
  });

  it('a disabled port-forward creates nothing', () => {
    expect(result().document.rules.some((x) => x.id.endsWith('aa03') || x.destinations.includes('10.0.1.30/32'))).toBe(
      false,
    );
  });
});

describe('opnsense adapter: secrets and bad input', () => {
  it('never copies hashes, OTP seeds or keys', () => {
    const out = JSON.stringify(result());
    for (const secret of ['FAKEOPNSENSEHASH', 'FAKEOTPSEED', 'LS0tLS1CRUdJTiBQUklW']) expect(out).not.toContain(secret);
  });

  it('a pfSense config given as opnsense → 422', () => {
    let err: unknown;
    try {
      runOnFixtures(opnsenseAdapter, [['body', 'pfsense/config.xml']]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterInputError);
    expect((err as AdapterInputError).status).toBe(422);
  });

  it('an unclosed element → 400 with its line', () => {
    let err: unknown;
    try {
      run('<opnsense>\n<system>\n<hostname>x</hostname>\n</opnsense>');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterInputError);
    expect((err as AdapterInputError).status).toBe(400);
    expect((err as AdapterInputError).problems[0]!.line).toBeGreaterThanOrEqual(2);
  });
});

describe('opnsense adapter: interface networks that cannot be resolved (lan-dhcp.xml)', () => {
  const r = () => runOnFixtures(opnsenseAdapter, [['body', 'opnsense/lan-dhcp.xml']]) as AdapterResult<'firewall'>;

  it('a DHCP LAN\'s "LAN net" and an interface without an address are ref: (unknown), never any', () => {
    const out = r();
    expect(rule('8a1f6c2e-0001-4c5e-9d01-3f1e2d3c4b01', out)).toMatchObject({
      sources: ['ref:lan'],
      exposure: 'unknown',
    });
    expect(rule('8a1f6c2e-0002-4c5e-9d01-3f1e2d3c4b02', out)).toMatchObject({
      sources: ['ref:opt1'],
      exposure: 'unknown',
    });
    expect(rule('8a1f6c2e-0003-4c5e-9d01-3f1e2d3c4b03', out)).toMatchObject({
      sources: ['0.0.0.0/0'],
      exposure: 'internet',
    });
    expect(out.warnings).toContainEqual(expect.objectContaining({ code: 'dynamic_interface_address' }));
  });
});
