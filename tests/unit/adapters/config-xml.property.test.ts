/**
 * Robustness of the config.xml sources (pfsense, opnsense): mutated fixtures and documents built
 * from the config.xml vocabulary either normalise to a document that validates or are refused
 * with an AdapterInputError — never another error — and quickly. Bounded: ≤ 200 runs, small inputs.
 */
import { AppError } from '../../../src/core/errors.js';
import fc from 'fast-check';
import { firewallSchema } from '../../../src/schemas/canonical.js';
import { validate } from '../../../src/schemas/validator.js';
import { opnsenseAdapter } from '../../../src/adapters/firewall/opnsense.js';
import { pfsenseAdapter } from '../../../src/adapters/firewall/pfsense.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type Adapter } from '../../../src/adapters/types.js';
import { fixture } from '../../helpers/adapters.js';

const TARGETS = [
  { adapter: pfsenseAdapter, root: 'pfsense', text: fixture('pfsense/config.xml').toString('utf8') },
  { adapter: opnsenseAdapter, root: 'opnsense', text: fixture('opnsense/config.xml').toString('utf8') },
] as const;

const MS_PER_RUN = 2000;

/** Runs the adapter the way ingest does; fails the property on anything but success or AdapterInputError. */
function outcome(adapter: Adapter, xml: string): 'ok' | 'refused' {
  const start = performance.now();
  try {
    const r = runAdapter(adapter, [{ name: 'body', bytes: Buffer.from(xml) }], { clients: [] });
    expect(validate(firewallSchema, r.document)).toEqual([]);
    return 'ok';
  } catch (e) {
    if (e instanceof AppError && e.code === 'export_too_complex') return 'refused'; // past a parser limit (413)
    if (!(e instanceof AdapterInputError)) throw e;
    expect(e.message).not.toMatch(/normalised to an invalid/); // the adapter's own output must be valid
    return 'refused';
  } finally {
    expect(performance.now() - start).toBeLessThan(MS_PER_RUN);
  }
}

// ---------------------------------------------------------------- vocabulary

const TAGS = [
  'rule',
  'alias',
  'any',
  'not',
  'disabled',
  'log',
  'address',
  'network',
  'port',
  'interface',
  'type',
  'protocol',
  'ipprotocol',
  'associated-rule-id',
  'target',
  'local-port',
  'tracker',
  'floating',
  'direction',
  'source',
  'destination',
  'name',
  'content',
  'address',
  'enabled',
  'sequence',
  'action',
  'source_net',
  'destination_net',
  'destination_port',
  'interfacenot',
  'source_not',
  'subnet',
  'ipaddr',
  'gateway',
  'members',
  'ifname',
  'time',
  'hostname',
  'pass',
  'nordr',
  'descr',
  '__proto__',
  'constructor',
];
const VALUES = [
  'any',
  'wan',
  'lan',
  'opt1',
  'opt2',
  'wan,lan',
  '(self)',
  'wanip',
  'lanip',
  '__lan_network',
  '1',
  '0',
  '',
  'yes',
  'pass',
  'block',
  'reject',
  'match',
  'rule',
  'in',
  'out',
  'inet',
  'inet6',
  'inet46',
  'tcp',
  'UDP',
  'tcp/udp',
  'icmp',
  '10.0.0.0/8',
  '0.0.0.0/0',
  '::/0',
  '192.0.2.1-192.0.2.9',
  '192.0.2.9-192.0.2.1',
  '2001:db8::/33',
  '10.0.0.1/99',
  '22',
  '8000-8100',
  '8000:8100',
  '-1',
  '99999',
  'https',
  'mgmt_hosts',
  'web_ports',
  'loop_a',
  'blocklist',
  'x',
  'host',
  'network',
  'port',
  'urltable',
  'networkgroup',
  'geoip',
  'dhcp',
  'pppoe',
  'track6',
  '192.168.1.1',
  '24',
  'nat_6745a1b2c3d4e5.12345678',
  'nat_x',
  '1732600000',
  '1e400',
  'NaN',
];

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const wellFormedText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 24 }).map(escapeXml) },
);
const text = fc.oneof(wellFormedText, fc.string({ maxLength: 8 })); // raw: may break the XML
const tag = fc.constantFrom(...TAGS);

// ---------------------------------------------------------------- mutations of the fixtures

type Op =
  | { kind: 'dropLine' | 'dupLine' | 'dropBlock' | 'dupBlock' | 'truncate' | 'entityDecl'; at: number }
  | { kind: 'setText'; at: number; text: string }
  | { kind: 'insertTag'; at: number; tag: string; text: string; empty: boolean }
  | { kind: 'deepNest'; at: number; depth: number }
  | { kind: 'hugeAttr'; at: number; size: number };

const at = fc.nat({ max: 10_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('dropLine', 'dupLine', 'dropBlock', 'dupBlock', 'truncate', 'entityDecl'),
    at,
  }) as fc.Arbitrary<Op>,
  fc.record({ kind: fc.constant('setText' as const), at, text }),
  fc.record({ kind: fc.constant('insertTag' as const), at, tag, text, empty: fc.boolean() }),
  fc.record({ kind: fc.constant('deepNest' as const), at, depth: fc.integer({ min: 1, max: 150 }) }),
  fc.record({ kind: fc.constant('hugeAttr' as const), at, size: fc.integer({ min: 1, max: 200_000 }) }),
);

const BLOCK = /<(rule|alias|ifgroupentry|interfaces|filter|nat|aliases|source|destination)[\s>][\s\S]*?<\/\1>/g;
const ONE_LINE = /^(\s*)<([\w-]+)>([^<]*)<\/\2>\s*$/;

function applyOp(doc: string, o: Op): string {
  const lines = doc.split('\n');
  const i = o.at % Math.max(1, lines.length);
  switch (o.kind) {
    case 'dropLine':
      return [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
    case 'dupLine':
      return [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n');
    case 'truncate':
      return doc.slice(0, o.at % Math.max(1, doc.length));
    case 'entityDecl':
      return doc.replace(/<(pfsense|opnsense)>/, '<!DOCTYPE $1 [<!ENTITY a "b">]>\n<$1>');
    case 'dropBlock':
    case 'dupBlock':
      return mutateBlock(doc, o.at, o.kind === 'dupBlock');
    case 'setText':
      return setText(lines, o.at, o.text);
    case 'insertTag':
      return [...lines.slice(0, i), o.empty ? `<${o.tag}/>` : `<${o.tag}>${o.text}</${o.tag}>`, ...lines.slice(i)].join(
        '\n',
      );
    case 'deepNest':
      return [...lines.slice(0, i), '<x>'.repeat(o.depth) + '</x>'.repeat(o.depth), ...lines.slice(i)].join('\n');
    case 'hugeAttr':
      return [
        ...lines.slice(0, i),
        lines[i]!.replace(/<([\w-]+)/, `<$1 big="${'a'.repeat(o.size)}"`),
        ...lines.slice(i + 1),
      ].join('\n');
  }
}

function mutateBlock(doc: string, n: number, duplicate: boolean): string {
  const blocks = [...doc.matchAll(BLOCK)];
  if (blocks.length === 0) return doc;
  const b = blocks[n % blocks.length]!;
  const end = b.index + b[0].length;
  return doc.slice(0, b.index) + (duplicate ? b[0] + '\n' + b[0] : '') + doc.slice(end);
}

function setText(lines: string[], n: number, value: string): string {
  const candidates = lines.map((l, idx) => (ONE_LINE.test(l) ? idx : -1)).filter((idx) => idx >= 0);
  if (candidates.length === 0) return lines.join('\n');
  const idx = candidates[n % candidates.length]!;
  const out = [...lines];
  out[idx] = lines[idx]!.replace(ONE_LINE, (_m, ind: string, t: string) => `${ind}<${t}>${value}</${t}>`);
  return out.join('\n');
}

// ---------------------------------------------------------------- documents from the vocabulary

const maybe = (name: string, v: fc.Arbitrary<string> = wellFormedText) =>
  fc.option(
    v.map((x) => `<${name}>${x}</${name}>`),
    { nil: '' },
  );
const flag = (name: string) => fc.constantFrom('', `<${name}/>`, `<${name}>1</${name}>`, `<${name}>0</${name}>`);
const endpoint = (name: string) =>
  fc
    .tuple(flag('any'), maybe('address'), maybe('network'), flag('not'), maybe('port'))
    .map((parts) => `<${name}>${parts.join('')}</${name}>`);

const legacyRule = fc
  .tuple(
    maybe('type'),
    maybe('interface'),
    maybe('ipprotocol'),
    maybe('protocol'),
    endpoint('source'),
    endpoint('destination'),
    flag('disabled'),
    flag('log'),
    maybe('tracker'),
    maybe('associated-rule-id'),
    maybe('direction'),
  )
  .map((parts) => `<rule>${parts.join('')}</rule>`);
const legacyRuleWithUuid = fc
  .tuple(legacyRule, fc.option(fc.uuid(), { nil: undefined }))
  .map(([r, u]) => (u ? r.replace('<rule>', `<rule uuid="${u}">`) : r));
const natRule = fc
  .tuple(
    flag('disabled'),
    flag('nordr'),
    maybe('interface'),
    maybe('protocol'),
    endpoint('source'),
    endpoint('destination'),
    maybe('target'),
    maybe('local-port'),
    maybe('associated-rule-id'),
    maybe('pass'),
  )
  .map((parts) => `<rule>${parts.join('')}</rule>`);
const alias = fc
  .tuple(
    maybe('name', fc.constantFrom('mgmt_hosts', 'web_ports', 'loop_a', 'blocklist', 'x')),
    maybe('type'),
    maybe('address'),
    maybe('content'),
    maybe('enabled'),
  )
  .map((parts) => `<alias>${parts.join('')}</alias>`);
const iface = fc
  .tuple(fc.constantFrom('wan', 'lan', 'opt1', 'opt2'), maybe('ipaddr'), maybe('subnet'), maybe('gateway'))
  .map(([name, ...parts]) => `<${name}>${parts.join('')}</${name}>`);
const mvcRule = fc
  .tuple(
    fc.uuid(),
    maybe('enabled'),
    maybe('sequence'),
    maybe('action'),
    maybe('interface'),
    maybe('direction'),
    maybe('ipprotocol'),
    maybe('protocol'),
    maybe('source_net'),
    maybe('source_not'),
    maybe('destination_net'),
    maybe('destination_not'),
    maybe('destination_port'),
    maybe('interfacenot'),
    maybe('log'),
  )
  .map(([u, ...parts]) => `<rule uuid="${u}">${parts.join('')}</rule>`);

const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 6 });
const document = fc
  .tuple(
    fc.constantFrom(...TARGETS),
    maybe('hostname'),
    list(iface),
    list(alias),
    list(legacyRuleWithUuid),
    list(natRule),
    list(mvcRule),
  )
  .map(([target, host, ifs, aliases, rules, nats, mvc]) => ({
    target,
    xml:
      `<${target.root}><system>${host}</system><interfaces>${ifs.join('')}</interfaces><aliases>${aliases.join('')}</aliases>` +
      `<filter>${rules.join('')}</filter><nat>${nats.join('')}</nat>` +
      `<OPNsense><Firewall><Alias><aliases>${aliases.join('')}</aliases></Alias><Filter><rules>${mvc.join('')}</rules></Filter></Firewall></OPNsense>` +
      `<revision><time>${host ? '1732600000' : 'x'}</time></revision></${target.root}>`,
  }));

describe('config.xml sources: robustness (property)', () => {
  it('mutated fixtures normalise to a valid document or are refused with AdapterInputError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TARGETS), fc.array(op, { minLength: 1, maxLength: 6 }), (target, ops) => {
        outcome(target.adapter, ops.reduce(applyOp, target.text));
      }),
      { numRuns: 200 },
    );
  });

  it('documents built from the config.xml vocabulary normalise to a valid document', () => {
    fc.assert(
      fc.property(document, ({ target, xml }) => {
        expect(outcome(target.adapter, xml)).toBe('ok');
      }),
      { numRuns: 200 },
    );
  });

  it('the unmutated fixtures normalise', () => {
    for (const t of TARGETS) expect(outcome(t.adapter, t.text)).toBe('ok');
  });
});
