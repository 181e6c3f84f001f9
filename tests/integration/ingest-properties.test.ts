/**
 * Property tests of ingest through HTTP, for every source: mutated fixture exports (byte flips,
 * truncation, JSON values spliced in at random paths, random iptables-save lines, random XML
 * elements and attributes, multipart parts dropped, repeated and renamed) and fully random
 * bodies never get a 5xx; a 4xx never leaves a row (snapshot, raw part, audit entry, evaluation)
 * behind; a 201 adds exactly one snapshot with its snapshot.create audit entry, a 200 no snapshot;
 * and every request finishes within a bound, so no
 * input makes a parser hang. Bounded for CI: RUNS mutated and RANDOM_RUNS random inputs per
 * source, plus fixed adversarial inputs for the firewall parsers. One tenant per source, counted
 * per tenant (the tests may share a PostgreSQL with others).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { adapterFor, SOURCES } from '../../src/adapters/registry.js';
import { runAdapter } from '../../src/adapters/run-adapter.js';
import { SNAPSHOT_KINDS } from '../../src/schemas/canonical.js';
import { fixture } from '../helpers/adapters.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';
import { snapshotRows, tenantRows } from '../helpers/rows.js';

const RUNS = 12;
const RANDOM_RUNS = 8;
/** every request, however hostile, is answered within this */
// A hang bound, not a speed target (speed is measured in bench/): generous, since CI shares two
// cores — and a loaded machine (two busy loops beside the suite) took more than 30 s for the most
// hostile firewall exports, while a hang never answers at all.
const REQUEST_MS = 60_000;
const PROPERTY_TIMEOUT = 120_000;

type Format = 'json' | 'xml' | 'text';
type Part = { name: string; bytes: Buffer };

interface Case {
  source: string;
  kind?: string;
  format: Format;
  /** the fixture export: [part name, fixture path] */
  parts: [string, string][];
  /** post as multipart/form-data (else the single part is the body) */
  multipart: boolean;
  contentType: string;
}

function canonicalDoc(source: string, parts: [string, string][]): Buffer {
  const r = runAdapter(
    adapterFor(source)!,
    parts.map(([name, p]) => ({ name, bytes: fixture(p) })),
    { clients: [] },
  );
  return Buffer.from(JSON.stringify(r.document));
}

const CASES: Case[] = [
  {
    source: 'okta',
    format: 'json',
    multipart: true,
    contentType: 'multipart/form-data',
    parts: [
      ['users', 'okta/users-page1.json'],
      ['factors', 'okta/factors-page1.json'],
      ['roles', 'okta/roles.json'],
    ],
  },
  {
    source: 'entra',
    format: 'json',
    multipart: true,
    contentType: 'multipart/form-data',
    parts: [
      ['registrations', 'entra/registrations-bare.json'],
      ['policies', 'entra/policies-bare.json'],
      ['users', 'entra/users.json'],
    ],
  },
  {
    source: 'duo',
    format: 'json',
    multipart: false,
    contentType: 'application/json',
    parts: [['body', 'duo/users-bare.json']],
  },
  {
    source: 'crowdstrike',
    format: 'json',
    multipart: true,
    contentType: 'multipart/form-data',
    parts: [
      ['devices', 'crowdstrike/devices-bare.json'],
      ['policies', 'crowdstrike/policies-bare.json'],
    ],
  },
  {
    source: 'defender',
    format: 'json',
    multipart: true,
    contentType: 'multipart/form-data',
    parts: [
      ['machines', 'defender/machines-bare.json'],
      ['avinfo', 'defender/avinfo-bare.json'],
    ],
  },
  {
    source: 'sentinelone',
    format: 'json',
    multipart: false,
    contentType: 'application/json',
    parts: [['body', 'sentinelone/agents-bare.json']],
  },
  {
    source: 'iptables-save',
    format: 'text',
    multipart: false,
    contentType: 'text/plain',
    parts: [['body', 'iptables-save/host.rules']],
  },
  {
    source: 'nftables',
    format: 'json',
    multipart: false,
    contentType: 'application/json',
    parts: [['body', 'nftables/ports-and-names.json']],
  },
  {
    source: 'pfsense',
    format: 'xml',
    multipart: false,
    contentType: 'application/xml',
    parts: [['body', 'pfsense/config.xml']],
  },
  {
    source: 'opnsense',
    format: 'xml',
    multipart: false,
    contentType: 'text/xml',
    parts: [['body', 'opnsense/config.xml']],
  },
  {
    source: 'aws-security-groups',
    format: 'json',
    multipart: true,
    contentType: 'multipart/form-data',
    parts: [
      ['groups', 'aws-security-groups/groups.json'],
      ['prefixLists', 'aws-security-groups/prefix-lists.json'],
    ],
  },
  {
    source: 'ninjaone',
    format: 'json',
    multipart: true,
    contentType: 'multipart/form-data',
    parts: [
      ['technicians', 'ninjaone/users.json'],
      ['activities', 'ninjaone/activities.json'],
    ],
  },
  {
    source: 'connectwise',
    format: 'json',
    multipart: false,
    contentType: 'application/json',
    parts: [['body', 'connectwise/members-page2.json']],
  },
  {
    source: 'datto-rmm',
    format: 'json',
    multipart: false,
    contentType: 'application/json',
    parts: [['body', 'datto-rmm/users-page1.json']],
  },
  {
    source: 'kaseya-vsa',
    format: 'json',
    multipart: false,
    contentType: 'application/json',
    parts: [['body', 'kaseya-vsa/users.json']],
  },
];

/** the canonical documents, as the vendor adapters make them */
const CANONICAL: { kind: string; bytes: Buffer }[] = [
  {
    kind: 'identity',
    bytes: canonicalDoc('okta', [
      ['users', 'okta/users-page1.json'],
      ['factors', 'okta/factors-page1.json'],
    ]),
  },
  {
    kind: 'endpoint',
    bytes: canonicalDoc('crowdstrike', [
      ['devices', 'crowdstrike/devices-bare.json'],
      ['policies', 'crowdstrike/policies.json'],
    ]),
  },
  { kind: 'firewall', bytes: canonicalDoc('iptables-save', [['body', 'iptables-save/docker.rules']]) },
  { kind: 'technicians', bytes: canonicalDoc('kaseya-vsa', [['body', 'kaseya-vsa/users-page2.json']]) },
];

// ------------------------------------------------------------------ byte-level mutations

type ByteOp =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; len: number }
  | { op: 'duplicate'; at: number; len: number };

const at = fc.nat({ max: 1_000_000 });
const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), at }),
  fc.record({ op: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at, len: fc.integer({ min: 1, max: 256 }) }),
);

function applyBytes(input: Buffer, ops: ByteOp[]): Buffer {
  let b = input;
  for (const o of ops) {
    const i = b.length === 0 ? 0 : o.at % (b.length + 1);
    switch (o.op) {
      case 'flip':
        if (b.length > 0) {
          b = Buffer.from(b);
          b[i % b.length] = o.byte;
        }
        break;
      case 'truncate':
        b = b.subarray(0, i);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, i), Buffer.from(o.bytes), b.subarray(i)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, i), b.subarray(i + o.len)]);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, i + o.len), b.subarray(i)]);
        break;
    }
  }
  return b;
}

// ------------------------------------------------------------------ JSON-aware mutations

type JsonOp = { op: 'replace' | 'delete' | 'insert' | 'duplicate' | 'nest'; at: number; key: string; value: unknown };

const INTERESTING = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  ' ',
  'null',
  'true',
  '0',
  '-1',
  '1e400',
  'NaN',
  'unknown',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  'not a date',
  '0.0.0.0/0',
  '::/0',
  '10.0.0.1/99',
  'tcp',
  '-1',
  '65536',
  '*',
  '\u0000',
  '\ud800',
  'ä',
  '%s%n',
  '../../etc/passwd',
  '<script>',
  [],
  {},
  [[]],
  { '': null },
];
const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'status',
  'value',
  'resources',
  'data',
  'response',
  'stat',
  'users',
  'Result',
  'SecurityGroups',
  'nftables',
  'rule',
  'expr',
  'match',
  'chain',
  'error',
  '@odata.nextLink',
  'x',
];
const jsonValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INTERESTING) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const jsonOp: fc.Arbitrary<JsonOp> = fc.record({
  op: fc.constantFrom('replace', 'delete', 'insert', 'duplicate', 'nest') as fc.Arbitrary<JsonOp['op']>,
  at,
  key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
  value: jsonValue,
});

type Path = (string | number)[];

function pathsOf(v: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...path, i], out));
  else if (v !== null && typeof v === 'object')
    for (const k of Object.keys(v)) pathsOf((v as Record<string, unknown>)[k], [...path, k], out);
  return out;
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // an own "__proto__" key, as JSON.parse makes it: never the prototype
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function applyJson(doc: unknown, ops: JsonOp[]): unknown {
  let root: unknown = structuredClone(doc);
  for (const o of ops) {
    const paths = pathsOf(root);
    const path = paths[o.at % paths.length]!;
    const parent =
      path.length === 0
        ? undefined
        : (path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root) as
            | Record<string | number, unknown>
            | unknown[]);
    const last = path[path.length - 1];
    const target = path.length === 0 ? root : (parent as Record<string | number, unknown>)[last!];
    const put = (v: unknown) => {
      if (parent === undefined) root = v;
      else if (Array.isArray(parent)) parent[last as number] = v;
      else setOwn(parent as Record<string, unknown>, last as string, v);
    };
    switch (o.op) {
      case 'replace':
        put(structuredClone(o.value));
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else if (parent) delete (parent as Record<string, unknown>)[last as string];
        break;
      case 'insert':
        if (Array.isArray(target)) target.splice(o.at % (target.length + 1), 0, structuredClone(o.value));
        else if (target !== null && typeof target === 'object')
          setOwn(target as Record<string, unknown>, o.key, structuredClone(o.value));
        else put(structuredClone(o.value));
        break;
      case 'duplicate':
        if (Array.isArray(target) && target.length > 0)
          for (let i = 0; i < 1 + (o.at % 50); i++) target.push(structuredClone(target[o.at % target.length]));
        break;
      case 'nest':
        put(Array.from({ length: 1 + (o.at % 40) }).reduce<unknown>((v) => [v], target));
        break;
    }
  }
  return root;
}

// ------------------------------------------------------------------ text (iptables-save) mutations

const IPT_TOKENS = [
  '*filter',
  '*nat',
  '*mangle',
  '*raw',
  '*bogus',
  'COMMIT',
  ':INPUT',
  ':FORWARD',
  ':OUTPUT',
  ':PREROUTING',
  ':USER',
  ':WAN_IN',
  'ACCEPT',
  'DROP',
  'REJECT',
  '-',
  '[0:0]',
  '[1:2]',
  '-A',
  '-I',
  '-N',
  '-P',
  'INPUT',
  'FORWARD',
  'OUTPUT',
  'PREROUTING',
  'USER',
  'WAN_IN',
  'LOG_DROP',
  '-s',
  '-d',
  '-i',
  '-o',
  '-p',
  '!',
  'tcp',
  'udp',
  'icmp',
  'all',
  '-m',
  'multiport',
  'conntrack',
  'comment',
  'set',
  'iprange',
  '--dport',
  '--dports',
  '--sport',
  '--ctstate',
  'ESTABLISHED,RELATED',
  '--comment',
  '"a b"',
  '"unterminated',
  '--match-set',
  'src',
  '-j',
  '-g',
  'RETURN',
  'DNAT',
  'MASQUERADE',
  '--to-destination',
  '10.0.0.5:3389',
  '22',
  '0',
  '1:65535',
  '65536',
  '3380:3399',
  '10.0.0.0/8',
  '0.0.0.0/0',
  '::/0',
  '10.0.0.1/33',
  'eth0',
  'ppp+',
  'lo',
  '\\',
  '#',
  '--syn',
  '-c',
  '5',
  '7',
];
type LineOp = { op: 'insert' | 'replace' | 'delete' | 'duplicate' | 'swap'; at: number; with: number; line: string };
const iptLine = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...IPT_TOKENS), { maxLength: 14 }).map((t) => t.join(' ')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const lineOp: fc.Arbitrary<LineOp> = fc.record({
  op: fc.constantFrom('insert', 'replace', 'delete', 'duplicate', 'swap') as fc.Arbitrary<LineOp['op']>,
  at,
  with: at,
  line: iptLine,
});

function applyLines(text: string, ops: LineOp[]): string {
  const lines = text.split('\n');
  for (const o of ops) {
    const i = o.at % (lines.length + 1);
    const j = o.with % Math.max(lines.length, 1);
    switch (o.op) {
      case 'insert':
        lines.splice(i, 0, o.line);
        break;
      case 'replace':
        lines[i % Math.max(lines.length, 1)] = o.line;
        break;
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        if (lines.length > 0) lines.splice(i, 0, lines[j]!);
        break;
      case 'swap':
        if (lines.length > 1) [lines[i % lines.length], lines[j]] = [lines[j]!, lines[i % lines.length]!];
        break;
    }
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------ XML mutations

const XML_TAGS = [
  'rule',
  'filter',
  'nat',
  'alias',
  'aliases',
  'interfaces',
  'wan',
  'lan',
  'opt1',
  'if',
  'ipaddr',
  'subnet',
  'source',
  'destination',
  'any',
  'not',
  'network',
  'address',
  'port',
  'type',
  'protocol',
  'ipprotocol',
  'interface',
  'disabled',
  'log',
  'descr',
  'tracker',
  'target',
  'local-port',
  'associated-rule-id',
  'content',
  'name',
  'hostname',
  'system',
  'time',
  'revision',
  'floating',
  'direction',
  '__proto__',
  'x',
];
const XML_VALUES = [
  'any',
  'wan',
  'lan',
  'pass',
  'block',
  'inet',
  'inet46',
  'tcp',
  'tcp/udp',
  '10.0.0.0/8',
  '0.0.0.0/0',
  '22',
  '8000-8100',
  '-1',
  '99999',
  'loop',
  '',
  '1',
  'dhcp',
  '&amp;',
  '&lt;',
  '&#65;',
  '&bogus;',
  '<',
  ']]>',
];
type XmlOp =
  | { op: 'element'; at: number; tag: string; text: string; attrs: [string, string][] }
  | { op: 'attribute'; at: number; name: string; value: string }
  | { op: 'dropLine' | 'dupLine' | 'dropTag'; at: number }
  | { op: 'nest'; at: number; depth: number };
const xmlText = fc.oneof(fc.constantFrom(...XML_VALUES), fc.string({ maxLength: 12 }));
const xmlOp: fc.Arbitrary<XmlOp> = fc.oneof(
  fc.record({
    op: fc.constant('element' as const),
    at,
    tag: fc.constantFrom(...XML_TAGS),
    text: xmlText,
    attrs: fc.array(fc.tuple(fc.constantFrom('uuid', 'version', 'x', 'a:b', '__proto__'), xmlText), { maxLength: 3 }),
  }),
  fc.record({
    op: fc.constant('attribute' as const),
    at,
    name: fc.constantFrom('uuid', 'version', 'x', 'xmlns', 'a:b', '__proto__'),
    value: xmlText,
  }),
  fc.record({
    op: fc.constantFrom('dropLine', 'dupLine', 'dropTag') as fc.Arbitrary<'dropLine' | 'dupLine' | 'dropTag'>,
    at,
  }),
  fc.record({ op: fc.constant('nest' as const), at, depth: fc.integer({ min: 1, max: 100 }) }),
);

/** positions just after a '>' (where an element may go) and of start tags' names' ends (where an attribute may go) */
function applyXml(text: string, ops: XmlOp[]): string {
  let s = text;
  for (const o of ops) {
    const gaps = [...s.matchAll(/>/g)].map((m) => m.index! + 1);
    const starts = [...s.matchAll(/<([A-Za-z_][\w.-]*)/g)].map((m) => m.index! + m[0].length);
    const gap = gaps.length ? gaps[o.at % gaps.length]! : s.length;
    switch (o.op) {
      case 'element': {
        const attrs = o.attrs.map(([k, v]) => ` ${k}="${v}"`).join('');
        s = `${s.slice(0, gap)}<${o.tag}${attrs}>${o.text}</${o.tag}>${s.slice(gap)}`;
        break;
      }
      case 'attribute': {
        const p = starts.length ? starts[o.at % starts.length]! : 0;
        s = `${s.slice(0, p)} ${o.name}="${o.value}"${s.slice(p)}`;
        break;
      }
      case 'nest':
        s = `${s.slice(0, gap)}${'<rule>'.repeat(o.depth)}${'</rule>'.repeat(o.depth)}${s.slice(gap)}`;
        break;
      case 'dropTag': {
        // remove one whole element <x …>…</x> when it closes on a later line, else one tag
        const open = [...s.matchAll(/<([A-Za-z_][\w.-]*)[^>]*>/g)];
        const m = open.length ? open[o.at % open.length]! : undefined;
        if (m) {
          const close = s.indexOf(`</${m[1]}>`, m.index!);
          s =
            close < 0
              ? s.slice(0, m.index!) + s.slice(m.index! + m[0].length)
              : s.slice(0, m.index!) + s.slice(close + m[1]!.length + 3);
        }
        break;
      }
      default: {
        const lines = s.split('\n');
        const i = o.at % lines.length;
        if (o.op === 'dropLine') lines.splice(i, 1);
        else lines.splice(i, 0, lines[i]!);
        s = lines.join('\n');
      }
    }
  }
  return s;
}

// ------------------------------------------------------------------ one mutation of one export

type Mutation =
  | { kind: 'content'; part: number; json: JsonOp[]; lines: LineOp[]; xml: XmlOp[]; bytes: ByteOp[]; pretty: boolean }
  | { kind: 'parts'; drop: number[]; dup: number[]; rename: [number, string][] }
  | { kind: 'wholeBody'; bytes: ByteOp[] };

function mutationFor(c: Case): fc.Arbitrary<Mutation> {
  const names = [...new Set([...adapterFor(c.source, c.kind)!.parts.map((p) => p.name), 'body', 'x'])];
  const content = fc.record({
    kind: fc.constant('content' as const),
    part: fc.nat({ max: 10 }),
    json: fc.array(jsonOp, { maxLength: c.format === 'json' ? 4 : 0 }),
    lines: fc.array(lineOp, { maxLength: c.format === 'text' ? 6 : 0 }),
    xml: fc.array(xmlOp, { maxLength: c.format === 'xml' ? 4 : 0 }),
    // mostly structural mutations that parse, so that the adapters see them; byte damage a third of the time
    bytes: fc.oneof(
      { weight: 2, arbitrary: fc.constant([] as ByteOp[]) },
      { weight: 1, arbitrary: fc.array(byteOp, { minLength: 1, maxLength: 2 }) },
    ),
    pretty: fc.boolean(),
  });
  const parts = fc.record({
    kind: fc.constant('parts' as const),
    drop: fc.array(fc.nat({ max: 10 }), { maxLength: 2 }),
    dup: fc.array(fc.nat({ max: 10 }), { maxLength: 2 }),
    rename: fc.array(fc.tuple(fc.nat({ max: 10 }), fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 6 }))), {
      maxLength: 1,
    }),
  });
  const whole = fc.record({
    kind: fc.constant('wholeBody' as const),
    bytes: fc.array(byteOp, { minLength: 1, maxLength: 3 }),
  });
  return c.multipart
    ? fc.oneof({ weight: 4, arbitrary: content }, { weight: 1, arbitrary: parts }, { weight: 1, arbitrary: whole })
    : content;
}

function mutateContent(format: Format, bytes: Buffer, m: Extract<Mutation, { kind: 'content' }>): Buffer {
  let out = bytes;
  if (format === 'json' && m.json.length > 0) {
    out = Buffer.from(
      JSON.stringify(applyJson(JSON.parse(bytes.toString('utf8')), m.json), null, m.pretty ? 2 : undefined) ?? 'null',
    );
  }
  if (format === 'text' && m.lines.length > 0) out = Buffer.from(applyLines(out.toString('utf8'), m.lines));
  if (format === 'xml' && m.xml.length > 0) out = Buffer.from(applyXml(out.toString('utf8'), m.xml));
  return applyBytes(out, m.bytes);
}

// ------------------------------------------------------------------ HTTP

const BOUNDARY = 'posture-prop-7f3a';

function multipartBody(parts: Part[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name.replace(/["\r\n]/g, '_')}"; filename="${p.name.replace(/["\r\n]/g, '_')}.dat"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      p.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

interface Sent {
  contentType: string;
  body: Buffer;
}

function build(c: Case, original: Part[], m: Mutation): Sent {
  let parts = original.map((p) => ({ ...p }));
  if (m.kind === 'content') {
    const i = m.part % parts.length;
    parts[i] = { name: parts[i]!.name, bytes: mutateContent(c.format, parts[i]!.bytes, m) };
  } else if (m.kind === 'parts') {
    for (const d of m.dup) parts.push({ ...parts[d % parts.length]! });
    for (const [i, name] of m.rename) parts[i % parts.length] = { name, bytes: parts[i % parts.length]!.bytes };
    parts = parts.filter((_p, i) => !m.drop.includes(i));
  }
  if (!c.multipart) return { contentType: c.contentType, body: parts[0]?.bytes ?? Buffer.alloc(0) };
  const body = multipartBody(parts);
  return {
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: m.kind === 'wholeBody' ? applyBytes(body, m.bytes) : body,
  };
}

const randomInput = (c: Case): fc.Arbitrary<Sent> =>
  fc.record({
    contentType: fc.oneof(
      { weight: 4, arbitrary: fc.constant(c.multipart ? `multipart/form-data; boundary=${BOUNDARY}` : c.contentType) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'application/json',
          'text/plain',
          'application/xml',
          'multipart/form-data',
          'multipart/form-data; boundary=',
          'application/octet-stream',
          'application/vnd.api+json',
          'text/plain; charset=latin1',
        ),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }).filter((s) => /^[\x21-\x7e][\x20-\x7e]*$/.test(s)) },
    ),
    body: fc.oneof(
      fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 500 }).map((s) => Buffer.from(s)),
      fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? '')),
      fc
        .array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(...adapterFor(c.source, c.kind)!.parts.map((p) => p.name)),
              fc.string({ maxLength: 6 }),
            ),
            fc.jsonValue({ maxDepth: 3 }),
          ),
          { maxLength: 4 },
        )
        .map((ps) => multipartBody(ps.map(([name, v]) => ({ name, bytes: Buffer.from(JSON.stringify(v) ?? '') })))),
    ),
  });

describe('ingest properties: no input gets a 5xx, hangs, or leaves a row behind on a 4xx', () => {
  let t: TestApp;
  let root: string;

  beforeAll(async () => {
    t = await createTestApp();
    root = await t.token(['*'], 'admin', 'prop@test');
  });
  afterAll(() => t.close());

  /** One tenant's rows: snapshots, raw parts, snapshot.create audit entries, all audit entries, evaluations. */
  const counts = (slug: string) => tenantRows(t.owner, slug);

  /** Posts one input and checks every property of its answer; returns the status. */
  async function check(
    tenant: string,
    query: string,
    sent: Sent,
    target: Server | TestApp['app'] = t.app,
  ): Promise<number> {
    const before = await counts(tenant);
    const path = `/v1/tenants/${tenant}/snapshots?${query}`;
    const started = performance.now();
    const res = await request(target)
      .post(path)
      .set('Authorization', `Bearer ${root}`)
      .set('Content-Type', sent.contentType)
      .serialize((b: unknown) => b as string)
      .timeout({ response: REQUEST_MS, deadline: REQUEST_MS })
      .send(sent.body);
    const elapsed = performance.now() - started;
    const after = await counts(tenant);
    expect({ status: res.status, serverError: res.status >= 500 }).toEqual({ status: res.status, serverError: false });
    expect({ elapsedMs: Math.round(elapsed), withinBound: elapsed < REQUEST_MS }).toEqual({
      elapsedMs: Math.round(elapsed),
      withinBound: true,
    });
    expectContract(res, 'post', path);
    if (res.status === 201) {
      expect(snapshotRows(after)).toEqual({
        snapshots: before.snapshots + 1,
        parts: before.parts + 1,
        snapshotAudit: before.snapshotAudit + 1,
      });
    } else if (res.status === 200) {
      // equal to the latest: no new snapshot (the evaluation every ingest runs may add its own rows)
      expect(snapshotRows(after)).toEqual(snapshotRows(before));
    } else {
      // every 4xx: no row at all, not even an audit entry or an evaluation
      expect({ status: res.status, after }).toEqual({ status: res.status, after: before });
    }
    return res.status;
  }

  it('covers every source and every canonical kind', () => {
    expect([...SOURCES.keys()].filter((s) => !CASES.some((c) => c.source === s))).toEqual([]);
    expect(SNAPSHOT_KINDS.filter((k) => !CANONICAL.some((c) => c.kind === k))).toEqual([]);
  });

  describe.each(CASES.map((c) => [c.source, c] as const))('%s', (_source, c) => {
    let tenant: string;
    const original: Part[] = c.parts.map(([name, p]) => ({ name, bytes: fixture(p) }));
    const query = `source=${c.source}`;

    beforeAll(async () => {
      const pair = await createMspWithClient(t, { 'kaseya-vsa': '101' });
      tenant = adapterFor(c.source)!.kind === 'technicians' ? pair.msp : pair.client;
    });

    it('the fixture itself is accepted', async () => {
      expect(await check(tenant, query, build(c, original, { kind: 'parts', drop: [], dup: [], rename: [] }))).toBe(
        201,
      );
    });

    it(
      `mutated exports (${RUNS} runs)`,
      async () => {
        // (a typical run: about a third 201/200, the rest 400 and 422 — the mutations reach the adapters)
        await fc.assert(
          fc.asyncProperty(mutationFor(c), async (m) => void (await check(tenant, query, build(c, original, m)))),
          { numRuns: RUNS },
        );
      },
      PROPERTY_TIMEOUT,
    );

    it(
      `random inputs (${RANDOM_RUNS} runs)`,
      async () => {
        await fc.assert(
          fc.asyncProperty(randomInput(c), async (sent) => void (await check(tenant, query, sent))),
          { numRuns: RANDOM_RUNS },
        );
      },
      PROPERTY_TIMEOUT,
    );
  });

  describe.each(CANONICAL.map((c) => [c.kind, c] as const))('canonical %s', (kind, c) => {
    let tenant: string;
    const spec: Case = {
      source: 'canonical',
      kind,
      format: 'json',
      multipart: false,
      contentType: 'application/json',
      parts: [],
    };

    beforeAll(async () => {
      const pair = await createMspWithClient(t, { 'kaseya-vsa': '101' });
      tenant = kind === 'technicians' ? pair.msp : pair.client;
    });

    it(
      `mutated documents (${RUNS} runs) and random inputs (${RANDOM_RUNS} runs)`,
      async () => {
        const original: Part[] = [{ name: 'body', bytes: c.bytes }];
        expect(
          await check(
            tenant,
            `source=canonical&kind=${kind}`,
            build(spec, original, { kind: 'parts', drop: [], dup: [], rename: [] }),
          ),
        ).toBe(201);
        await fc.assert(
          fc.asyncProperty(
            mutationFor(spec),
            async (m) => void (await check(tenant, `source=canonical&kind=${kind}`, build(spec, original, m))),
          ),
          { numRuns: RUNS },
        );
        await fc.assert(
          fc.asyncProperty(
            randomInput(spec),
            async (sent) => void (await check(tenant, `source=canonical&kind=${kind}`, sent)),
          ),
          { numRuns: RANDOM_RUNS },
        );
      },
      PROPERTY_TIMEOUT,
    );
  });

  describe('firewall parsers: hostile inputs are answered within the bound', () => {
    // Each case in a tenant of its own: every ingest re-evaluates all of the tenant's latest
    // snapshots, so a big document would slow every later case down.
    let tenant: string;
    // A request that outran the bound goes on in the background (the handler does not stop when
    // the client gives up): count requests until their response ends, and let the next case
    // start only when none is left, so that each case is timed on its own.
    let server: Server;
    let inflight = 0;

    beforeAll(async () => {
      server = createServer((req, res) => {
        inflight++;
        let ended = false;
        const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
        res.end = ((...args: unknown[]) => {
          if (!ended) inflight--;
          ended = true;
          return end(...args);
        }) as typeof res.end;
        t.app(req, res);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(async () => {
      tenant = (await createMspWithClient(t)).client;
    });
    afterEach(async () => {
      while (inflight > 0) await new Promise((r) => setTimeout(r, 50));
    }, PROPERTY_TIMEOUT);

    const chainOfJumps = (n: number, cycle: boolean) => {
      const names = Array.from({ length: n }, (_v, i) => `C${i}`);
      return [
        '*filter',
        ':INPUT DROP [0:0]',
        ':FORWARD DROP [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        ...names.map((c) => `:${c} - [0:0]`),
        '-A INPUT -i eth0 -j C0',
        ...names.map((c, i) =>
          i + 1 < n
            ? `-A ${c} -p tcp -m tcp --dport ${1 + (i % 60000)} -j ${names[i + 1]}`
            : cycle
              ? `-A ${c} -j C0`
              : `-A ${c} -j ACCEPT`,
        ),
        'COMMIT',
        '',
      ].join('\n');
    };
    const fanOut = (width: number, depth: number) => {
      // every chain jumps to every chain of the next level: width^depth paths
      const level = (d: number) => Array.from({ length: width }, (_v, i) => `L${d}_${i}`);
      const lines = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]'];
      for (let d = 0; d < depth; d++) for (const c of level(d)) lines.push(`:${c} - [0:0]`);
      for (const c of level(0)) lines.push(`-A INPUT -j ${c}`);
      for (let d = 0; d + 1 < depth; d++)
        for (const c of level(d)) for (const n of level(d + 1)) lines.push(`-A ${c} -p tcp -j ${n}`);
      for (const c of level(depth - 1)) lines.push(`-A ${c} -p tcp --dport 22 -j ACCEPT`);
      return [...lines, 'COMMIT', ''].join('\n');
    };
    const NFT_HEAD =
      '{"metainfo":{"json_schema_version":1}},{"table":{"family":"inet","name":"f","handle":1}},{"chain":{"family":"inet","table":"f","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}}';
    const nftNested = (depth: number) => {
      // built as text: JSON.stringify itself would overflow the stack on it
      const expr =
        '{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":{"set":['.repeat(depth) +
        '{"accept":null}' +
        ']}}}'.repeat(depth);
      return `{"nftables":[${NFT_HEAD},{"rule":{"family":"inet","table":"f","chain":"input","handle":2,"expr":[${expr}]}}]}`;
    };
    const nftJumps = (n: number, cycle: boolean) => {
      const items: unknown[] = [
        { metainfo: { json_schema_version: 1 } },
        { table: { family: 'inet', name: 'f', handle: 1 } },
        {
          chain: {
            family: 'inet',
            table: 'f',
            name: 'input',
            handle: 1,
            type: 'filter',
            hook: 'input',
            prio: 0,
            policy: 'drop',
          },
        },
      ];
      for (let i = 0; i < n; i++) items.push({ chain: { family: 'inet', table: 'f', name: `c${i}`, handle: i + 2 } });
      items.push({
        rule: { family: 'inet', table: 'f', chain: 'input', handle: n + 10, expr: [{ jump: { target: 'c0' } }] },
      });
      for (let i = 0; i < n; i++) {
        const target = i + 1 < n ? `c${i + 1}` : cycle ? 'c0' : undefined;
        items.push({
          rule: {
            family: 'inet',
            table: 'f',
            chain: `c${i}`,
            handle: n + 11 + i,
            expr: target
              ? [
                  { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: i } },
                  { jump: { target } },
                ]
              : [{ accept: null }],
          },
        });
      }
      return JSON.stringify({ nftables: items });
    };
    const pfAliases = (root: string, n: number, cycle: boolean) => {
      const aliases = Array.from(
        { length: n },
        (_v, i) =>
          `<alias><name>a${i}</name><type>host</type><address>${i + 1 < n ? `a${i + 1}` : cycle ? 'a0' : '10.0.0.1'} a${(i * 7) % n}</address></alias>`,
      ).join('');
      return `<?xml version="1.0"?>\n<${root}><version>1</version><system><hostname>h</hostname></system><interfaces><wan><if>em0</if><ipaddr>dhcp</ipaddr></wan></interfaces><aliases>${aliases}</aliases><filter><rule><type>pass</type><interface>wan</interface><ipprotocol>inet</ipprotocol><protocol>tcp</protocol><source><address>a0</address></source><destination><any/><port>a0</port></destination></rule></filter></${root}>\n`;
    };

    it.each<[string, string, string, () => string | Buffer]>([
      [
        'iptables-save: 3000 chains jumping one into the next',
        'iptables-save',
        'text/plain',
        () => chainOfJumps(3000, false),
      ],
      ['iptables-save: a jump cycle through 500 chains', 'iptables-save', 'text/plain', () => chainOfJumps(500, true)],
      // BUG (amplification): 1 000 lines (12 KB) flatten to 23 681 rules (the flatten limit), and the
      // evaluation every ingest runs then writes a finding row per failing rule: ~14 s on PGlite,
      // with the event loop busy most of it. Expected: within the bound (a lower flatten limit, or
      // findings written in bulk / capped).
      [
        'iptables-save: 10 levels of 10 chains each jumping to all of the next level',
        'iptables-save',
        'text/plain',
        () => fanOut(10, 10),
      ],
      [
        'iptables-save: one line of 200 000 tokens',
        'iptables-save',
        'text/plain',
        () => `*filter\n:INPUT DROP [0:0]\n-A INPUT ${'-p tcp '.repeat(100_000)}-j ACCEPT\nCOMMIT\n`,
      ],
      [
        'iptables-save: 1 MB inside an unterminated quote',
        'iptables-save',
        'text/plain',
        () => `*filter\n:INPUT DROP [0:0]\n-A INPUT -m comment --comment "${'\\"x'.repeat(350_000)}\nCOMMIT\n`,
      ],
      // a blocklist: linear, but 0.4 ms a rule through HTTP with the evaluation every ingest runs
      [
        'iptables-save: a 2 000-rule blocklist',
        'iptables-save',
        'text/plain',
        () =>
          `*filter\n:INPUT DROP [0:0]\n${Array.from({ length: 2_000 }, (_v, i) => `-A INPUT -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -p tcp -m multiport --dports 1:65535,22 -j DROP`).join('\n')}\nCOMMIT\n`,
      ],
      ['nftables: a match nested 5000 deep', 'nftables', 'application/json', () => nftNested(5000)],
      [
        'nftables: JSON nested 100 000 deep',
        'nftables',
        'application/json',
        () => `{"nftables":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      ],
      ['nftables: 2000 chains jumping one into the next', 'nftables', 'application/json', () => nftJumps(2000, false)],
      ['nftables: a jump cycle through 500 chains', 'nftables', 'application/json', () => nftJumps(500, true)],
      [
        'pfsense: 2000 aliases naming each other, in a cycle',
        'pfsense',
        'application/xml',
        () => pfAliases('pfsense', 2000, true),
      ],
      ['opnsense: 2000 aliases in a chain', 'opnsense', 'application/xml', () => pfAliases('opnsense', 2000, false)],
      [
        'pfsense: elements nested 100 000 deep',
        'pfsense',
        'application/xml',
        () => `<?xml version="1.0"?>\n<pfsense>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</pfsense>`,
      ],
      [
        'opnsense: one start tag with 100 000 attributes',
        'opnsense',
        'application/xml',
        () =>
          `<?xml version="1.0"?>\n<opnsense ${Array.from({ length: 100_000 }, (_v, i) => `a${i}="${i}"`).join(' ')}></opnsense>`,
      ],
      [
        'pfsense: 1 MB of unclosed comment',
        'pfsense',
        'application/xml',
        () => `<?xml version="1.0"?>\n<pfsense><!--${'-'.repeat(1_000_000)}`,
      ],
      [
        'aws-security-groups: 1000 groups each referencing the next, in a cycle',
        'aws-security-groups',
        'application/json',
        () =>
          JSON.stringify({
            SecurityGroups: Array.from({ length: 1000 }, (_v, i) => ({
              GroupId: `sg-${i}`,
              GroupName: `g${i}`,
              OwnerId: '123456789012',
              VpcId: 'vpc-1',
              IpPermissions: [
                {
                  IpProtocol: 'tcp',
                  FromPort: 22,
                  ToPort: 22,
                  UserIdGroupPairs: [{ GroupId: `sg-${(i + 1) % 1000}` }],
                  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
                  PrefixListIds: [{ PrefixListId: `pl-${i}` }],
                },
              ],
              IpPermissionsEgress: [],
            })),
          }),
      ],
    ])(
      '%s',
      async (_name, source, contentType, make) => {
        const body = make();
        const status = await check(
          tenant,
          `source=${source}`,
          { contentType, body: Buffer.isBuffer(body) ? body : Buffer.from(body) },
          server,
        );
        expect([200, 201, 400, 413, 422]).toContain(status);
      },
      PROPERTY_TIMEOUT,
    );
  });
});
