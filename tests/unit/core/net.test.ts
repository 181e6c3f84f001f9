/**
 * One reading of addresses everywhere: each tricky address, range or negation below is read by
 * core/net, by every adapter that reads addresses (built into a tiny export of that vendor) and
 * by the CEL functions — and all of them agree.
 */
import {
  addressCount,
  isIpAddress,
  normalizeAddress,
  normalizeProtocol,
  portNumber,
  publicAllowList,
  rangeIncludesPublic,
} from '../../../src/core/net/index.js';
import { createCelEnvironment } from '../../../src/engine/cel-env.js';
import { ADDRESS_SOURCES, type AddressSource, addressYield, type Form } from '../../helpers/address-exports.js';

interface Row {
  text: string;
  form: Form;
  /** canonical entries; null: refused (every reader says it is not an address) */
  canonical: string[] | null;
  /** cidrIsPublic for a single network or a negation */
  public?: boolean;
  /** a vendor whose own syntax reads the text differently */
  except?: Partial<Record<AddressSource, string[]>>;
  why: string;
}

const refused = (text: string, form: Form, why: string): Row => ({ text, form, canonical: null, why });
// AWS has no syntax for ranges and negations: there the text is not a CIDR
const NOT_AWS = (text: string) => ({ 'aws-security-groups': [`ref:${text}`] });

const ROWS: Row[] = [
  refused('010.1.1.1', 'net', 'a leading zero: octal 8.1.1.1 to inet_aton, decimal to others'),
  refused('::ffff:010.1.1.1', 'net', 'a leading zero inside IPv6 too'),
  refused('0x0a.1.1.1', 'net', 'hex octets'),
  refused('1.2.3', 'net', 'three parts (inet_aton would read 1.2.0.3)'),
  refused('1.2.3.4.5', 'net', 'five parts'),
  refused('256.1.1.1', 'net', 'an octet above 255'),
  refused('192.168.1.1/33', 'net', 'a prefix longer than the family'),
  refused('2001:db8::/129', 'net', 'a prefix longer than the family'),
  refused('10.0.0.0/08', 'net', 'a prefix length with a leading zero'),
  refused('10.0.0.0/255.0.255.0', 'net', 'a mask that is not contiguous'),
  refused('fe80::1%eth0', 'net', 'a zone id scopes an address to one host'),
  refused('1.2.3.9-1.2.3.4', 'range', 'a reversed range is not read as empty'),
  refused('10.0.0.1-2001:db8::1', 'range', 'a range across families'),
  refused('!!10.0.0.0/8', 'negated', 'a double negation'),
  {
    ...refused('10.0.0.0 /8', 'net', 'inner whitespace'),
    except: { pfsense: ['10.0.0.0/32', 'ref:/8'], opnsense: ['10.0.0.0/32', 'ref:/8'] },
  },
  { text: '10.0.0.0/255.0.0.0', form: 'net', canonical: ['10.0.0.0/8'], public: false, why: 'mask notation' },
  { text: '10.0.0.0/0.0.0.0', form: 'net', canonical: ['0.0.0.0/0'], public: true, why: 'a zero mask is /0' },
  { text: '10.0.0.1/8', form: 'net', canonical: ['10.0.0.0/8'], public: false, why: 'host bits set: cleared' },
  { text: '172.16.5.4/12', form: 'net', canonical: ['172.16.0.0/12'], public: false, why: 'host bits set: cleared' },
  { text: '1.2.3.4/24 ', form: 'net', canonical: ['1.2.3.0/24'], public: true, why: 'trailing whitespace' },
  { text: ' 10.1.2.3 ', form: 'net', canonical: ['10.1.2.3/32'], public: false, why: 'surrounding whitespace' },
  { text: '0.0.0.0/0', form: 'net', canonical: ['0.0.0.0/0'], public: true, why: 'every IPv4 address' },
  { text: '::/0', form: 'net', canonical: ['::/0'], public: true, why: 'every IPv6 address' },
  { text: '::1', form: 'net', canonical: ['::1/128'], public: false, why: 'loopback' },
  { text: '::', form: 'net', canonical: ['::/128'], public: false, why: 'unspecified' },
  { text: '255.255.255.255', form: 'net', canonical: ['255.255.255.255/32'], public: false, why: 'broadcast' },
  { text: '100.64.0.0/10', form: 'net', canonical: ['100.64.0.0/10'], public: false, why: 'carrier-grade NAT' },
  { text: '10.0.0.0/7', form: 'net', canonical: ['10.0.0.0/7'], public: true, why: 'reaches past 10/8' },
  { text: '::ffff:1.2.3.4', form: 'net', canonical: ['::ffff:1.2.3.4/128'], public: true, why: 'IPv4-mapped' },
  {
    text: '::ffff:10.1.2.3',
    form: 'net',
    canonical: ['::ffff:10.1.2.3/128'],
    public: false,
    why: 'IPv4-mapped: judged by its IPv4 address',
  },
  { text: '::1.2.3.4', form: 'net', canonical: ['::102:304/128'], public: true, why: 'IPv4-compatible is not mapped' },
  {
    text: '64:ff9b::1.2.3.4',
    form: 'net',
    canonical: ['64:ff9b::102:304/128'],
    public: true,
    why: 'embedded IPv4 (NAT64)',
  },
  { text: '2001:DB8::1', form: 'net', canonical: ['2001:db8::1/128'], public: true, why: 'upper-case hex' },
  { text: 'FE80::1', form: 'net', canonical: ['fe80::1/128'], public: false, why: 'upper-case link-local' },
  {
    text: '2001:DB8:0:0:0:0:0:0/32',
    form: 'net',
    canonical: ['2001:db8::/32'],
    public: true,
    why: 'uncompressed: written compressed',
  },
  {
    text: '1.2.3.4-1.2.3.9',
    form: 'range',
    canonical: ['1.2.3.4/30', '1.2.3.8/31'],
    except: NOT_AWS('1.2.3.4-1.2.3.9'),
    why: 'a range as the fewest CIDRs',
  },
  {
    text: '10.0.0.0-10.0.0.255',
    form: 'range',
    canonical: ['10.0.0.0/24'],
    except: NOT_AWS('10.0.0.0-10.0.0.255'),
    why: 'a range that is one network',
  },
  {
    text: '2001:db8::1-2001:db8::3',
    form: 'range',
    canonical: ['2001:db8::1/128', '2001:db8::2/127'],
    except: NOT_AWS('2001:db8::1-2001:db8::3'),
    why: 'an IPv6 range',
  },
  {
    text: '!10.0.0.0/8',
    form: 'negated',
    canonical: ['!10.0.0.0/8'],
    public: true,
    except: NOT_AWS('!10.0.0.0/8'),
    why: 'everyone but a private network',
  },
  {
    text: '!192.168.1.1/24',
    form: 'negated',
    canonical: ['!192.168.1.0/24'],
    public: true,
    except: NOT_AWS('!192.168.1.1/24'),
    why: 'a negation with host bits set',
  },
];

/** The warning each adapter gives for what it cannot read as an address. */
const REFUSAL: Record<AddressSource, string> = {
  'iptables-save': 'unresolved_address',
  nftables: 'unresolved_address',
  pfsense: 'unresolved_reference',
  opnsense: 'unresolved_reference',
  'aws-security-groups': 'invalid_cidr',
};

const label = (r: Row) => `${JSON.stringify(r.text)} (${r.why})`;

describe('core/net reads every tricky address one way', () => {
  it('has at least 30 cases', () => expect(ROWS.length).toBeGreaterThanOrEqual(30));

  it.each(ROWS.map((r) => [label(r), r] as const))('%s', (_l, r) => {
    expect(normalizeAddress(r.text)).toEqual(r.canonical ?? undefined);
    if (r.form === 'net') expect(isIpAddress(r.text)).toBe(r.canonical !== null && !r.text.includes('/'));
  });
});

describe.each(ADDRESS_SOURCES)('the %s adapter reads them the same way', (source) => {
  it.each(ROWS.map((r) => [label(r), r] as const))('%s', (_l, r) => {
    const got = addressYield(source, r.text, r.form);
    const expected = r.except?.[source] ?? r.canonical ?? [`ref:${r.text}`];
    expect(got.sources).toEqual(expected);
    const isRefused = expected.some((e) => e.startsWith('ref:'));
    expect(got.warnings.includes(REFUSAL[source])).toBe(isRefused);
  });
});

describe('the CEL functions read them the same way', () => {
  const env = createCelEnvironment();
  const cel = (expr: string, a: string, b = '') =>
    env.evaluate(expr, { item: { a, b }, doc: {}, params: {}, asOf: new Date(0), deviceRules: [] });

  it.each(ROWS.map((r) => [label(r), r] as const))('%s', (_l, r) => {
    const single = r.canonical !== null && r.form !== 'range';
    if (single) expect(cel('cidrIsPublic(item.a)', r.text)).toBe(r.public);
    else expect(() => cel('cidrIsPublic(item.a)', r.text)).toThrow(/not an address or CIDR/);
    if (single && r.form === 'net') {
      expect(cel('cidrContains(item.a, item.b)', r.canonical![0]!, r.text)).toBe(true);
      expect(cel('cidrContains(item.a, item.b)', r.text, r.canonical![0]!)).toBe(true);
    } else expect(() => cel('cidrContains(item.a, item.b)', '0.0.0.0/0', r.text)).toThrow(/not an address or CIDR/);
  });

  it('keeps families apart: an IPv4-mapped address is IPv6', () => {
    expect(cel('cidrContains(item.a, item.b)', '::ffff:0:0/96', '::ffff:10.1.2.3')).toBe(true);
    expect(cel('cidrContains(item.a, item.b)', '10.0.0.0/8', '::ffff:10.1.2.3')).toBe(false);
    expect(cel('cidrContains(item.a, item.b)', '::/0', '10.1.2.3')).toBe(false);
  });

  it('never reads 010.1.1.1 as 8.1.1.1 (octal) nor as 10.1.1.1', () => {
    expect(() => cel('cidrContains(item.a, item.b)', '8.0.0.0/8', '010.1.1.1')).toThrow(/010\.1\.1\.1/);
    expect(() => cel('cidrContains(item.a, item.b)', '010.0.0.0/8', '10.1.1.1')).toThrow(/010\.0\.0\.0\/8/);
  });
});

describe('rangeIncludesPublic', () => {
  it.each([
    ['0.0.0.0/0', true],
    ['::/0', true],
    ['203.0.113.7', true],
    ['8.8.8.0/24', true],
    ['10.0.0.0/8', false],
    ['10.20.1.0/24', false],
    ['10.0.0.0/7', true],
    ['192.168.1.10', false],
    ['172.16.0.0/12', false],
    ['127.0.0.1', false],
    ['fd00::/8', false],
    ['fe80::1', false],
    ['2001:4860::/32', true],
    ['::ffff:192.168.0.0/112', false],
    ['::ffff:0:0/95', true],
  ] as const)('%s → %s', (cidr, expected) => {
    expect(rangeIncludesPublic(cidr)).toBe(expected);
  });

  it('does not parse names', () => {
    expect(rangeIncludesPublic('mgmt_hosts')).toBeUndefined();
  });
});

describe('publicAllowList and addressCount', () => {
  it.each([
    ['203.0.113.7', 1n],
    ['198.51.100.0/24', 256n],
    ['0.0.0.0/0', 4294967296n],
    ['2001:db8::/120', 256n],
    ['2001:db8::/64', 18446744073709551616n],
  ] as const)('%s holds %s addresses', (cidr, n) => {
    expect(addressCount(cidr)).toBe(n);
  });

  it('a NOC /24 or a few office addresses are an allow-list; private entries beside them are left out', () => {
    expect(publicAllowList(['198.51.100.0/24'])).toEqual(['198.51.100.0/24']);
    expect(publicAllowList(['203.0.113.7/32', '198.51.100.0/25', '10.0.0.0/8'])).toEqual([
      '203.0.113.7/32',
      '198.51.100.0/25',
    ]);
    expect(publicAllowList(['2001:db8::/120'])).toEqual(['2001:db8::/120']);
  });

  it('more than 256 public addresses, any address, a negation, a reference or no public entry is not one', () => {
    expect(publicAllowList(['198.51.100.0/24', '203.0.113.7/32'])).toBeUndefined();
    expect(publicAllowList(['198.51.100.0/23'])).toBeUndefined();
    expect(publicAllowList(['0.0.0.0/0'])).toBeUndefined();
    expect(publicAllowList(['!10.0.0.0/8'])).toBeUndefined();
    expect(publicAllowList(['ref:noc_hosts'])).toBeUndefined();
    expect(publicAllowList(['10.0.0.0/8'])).toBeUndefined();
    expect(publicAllowList([])).toBeUndefined();
    expect(addressCount('noc')).toBeUndefined();
  });

  it('the limit is a parameter', () => {
    expect(publicAllowList(['198.51.100.0/30'], 4)).toEqual(['198.51.100.0/30']);
    expect(publicAllowList(['198.51.100.0/29'], 4)).toBeUndefined();
  });
});

describe('one protocol normaliser', () => {
  it.each([
    ['tcp', undefined, 'tcp'],
    ['TCP', undefined, 'tcp'],
    ['6', undefined, 'tcp'],
    [17, undefined, 'udp'],
    ['50', undefined, 'esp'],
    ['ipv6-icmp', undefined, 'icmpv6'],
    ['icmp6', undefined, 'icmpv6'],
    ['58', undefined, 'icmpv6'],
    ['icmp', 'ipv6', 'icmpv6'],
    ['icmp', 'ipv4', 'icmp'],
    ['-1', undefined, 'any'],
    ['all', undefined, 'any'],
    ['0', undefined, 'any'],
    [undefined, undefined, 'any'],
    ['tcp/udp', undefined, 'tcp/udp'],
    ['253', undefined, '253'],
  ] as const)('%p (%s) → %s', (value, family, expected) => {
    expect(normalizeProtocol(value, family)).toBe(expected);
  });
});

describe('one service-name table (IANA names)', () => {
  it.each([
    ['ssh', 22],
    ['kerberos', 88],
    ['radius', 1812],
    ['rfb', 5900],
    ['mysql', 3306],
    ['postgresql', 5432],
    ['ms-sql-s', 1433],
    ['nfs', 2049],
    ['HTTPS', 443],
    ['snmptrap', 162],
    ['www', 80],
    ['8080', 8080],
    [' 22 ', 22],
  ] as const)('%s → %d', (name, port) => {
    expect(portNumber(name)).toBe(port);
  });

  it.each(['65536', 'nosuchservice', '__proto__', 'constructor', '-1', ''])('%p is not a port', (name) => {
    expect(portNumber(name)).toBeUndefined();
  });
});
