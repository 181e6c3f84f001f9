/**
 * Robustness of the nftables source: mutated fixtures (entries dropped, duplicated, swapped; any
 * node replaced by a value from the libnftables vocabulary; deep nesting; long strings) and
 * rulesets built from that vocabulary either normalise to a document that validates or are
 * refused with an AdapterInputError — never another error — and quickly.
 * Bounded: ≤ 200 runs, rulesets of at most a few dozen objects.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { nftablesAdapter } from '../../../src/adapters/firewall/nftables.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError } from '../../../src/adapters/types.js';
import { firewallSchema } from '../../../src/schemas/canonical.js';
import { validate } from '../../../src/schemas/validator.js';
import { fixture, FIXTURES } from '../../helpers/adapters.js';

const MS_PER_RUN = 1500;
const MS_PER_PROPERTY = 20_000;

const FIXTURE_DOCS = ['', 'bad']
  .flatMap((dir) =>
    readdirSync(join(FIXTURES, 'nftables', dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f)),
  )
  .map((f) => JSON.parse(fixture('nftables', f).toString('utf8')) as unknown);

function outcome(text: string, internetInterfaces?: string[]): 'ok' | 'refused' {
  const start = performance.now();
  try {
    const r = runAdapter(nftablesAdapter, [{ name: 'body', bytes: Buffer.from(text) }], {
      clients: [],
      internetInterfaces,
    });
    expect(validate(firewallSchema, r.document)).toEqual([]);
    return 'ok';
  } catch (e) {
    if (!(e instanceof AdapterInputError)) throw e;
    expect(e.message).not.toMatch(/normalised to an invalid/);
    return 'refused';
  } finally {
    expect(performance.now() - start).toBeLessThan(MS_PER_RUN);
  }
}

// ---------------------------------------------------------------- vocabulary

const payload = (protocol: string, field: string) => ({ payload: { protocol, field } });
const LEFTS = [
  payload('ip', 'saddr'),
  payload('ip6', 'saddr'),
  payload('ip', 'daddr'),
  payload('tcp', 'dport'),
  payload('udp', 'dport'),
  payload('th', 'dport'),
  payload('tcp', 'sport'),
  payload('ip', 'protocol'),
  payload('icmp', 'type'),
  payload('ether', 'saddr'),
  { payload: { base: 'th', offset: 16, len: 16 } },
  { meta: { key: 'iifname' } },
  { meta: { key: 'oifname' } },
  { meta: { key: 'l4proto' } },
  { meta: { key: 'nfproto' } },
  { meta: { key: 'mark' } },
  { meta: { key: 'bogus' } },
  { ct: { key: 'state' } },
  { ct: { key: 'status' } },
  { ct: { key: 'original' } },
  { fib: { result: 'type', flags: ['daddr'] } },
  { concat: [payload('ip', 'saddr'), payload('tcp', 'dport')] },
  { '&': [{ meta: { key: 'mark' } }, 1] },
  null,
  7,
  'x',
  [],
];
const RIGHTS = [
  22,
  0,
  65535,
  70000,
  -1,
  1.5,
  'ssh',
  'nosuchservice',
  '10.0.0.1',
  '10.0.0.0/8',
  '::/0',
  'fe80::1',
  'eth0',
  'ppp*',
  'lo',
  'established',
  ['established', 'related'],
  'new',
  'tcp',
  'ipv6',
  'constructor',
  '__proto__',
  'toString',
  '@mgmt_hosts',
  '@web_ports',
  '@nope',
  '@svc_vmap',
  true,
  null,
  { prefix: { addr: '10.0.0.0', len: 8 } },
  { prefix: { addr: '10.0.0.0', len: 99 } },
  { prefix: { addr: 5, len: 8 } },
  { prefix: 3 },
  { range: [1000, 2000] },
  { range: ['10.0.0.9', '10.0.0.1'] },
  { range: [1] },
  { set: [22, { range: [80, 90] }, 'https'] },
  { set: [] },
  { set: 'x' },
  { elem: { val: 22, comment: 'c' } },
  { concat: ['10.0.0.1', 22] },
  {},
];
const OPS = ['==', '!=', 'in', '<', '>', '<=', '>=', '~'];
const VERDICTS = [
  { accept: null },
  { drop: null },
  { reject: { type: 'tcp reset' } },
  { return: null },
  { continue: null },
  { queue: { num: 1 } },
  { jump: { target: 'wan_in' } },
  { goto: { target: 'loopy' } },
  { jump: { target: 'missing' } },
  { jump: {} },
  { jump: 'x' },
  { dnat: { addr: '10.0.0.5', port: 3389 } },
  { dnat: { addr: { map: { key: 1, data: 2 } } } },
  { dnat: null },
];
const OTHERS = [
  { counter: { packets: 1, bytes: 2 } },
  { log: { prefix: 'x' } },
  { limit: { rate: 5, per: 'second' } },
  { xt: null },
  { xt: { type: 'target', name: 'REJECT' } },
  { xt: { type: 'target', name: 'constructor' } },
  { xt: { type: 'match', name: 'recent' } },
  { masquerade: null },
  { mystery: 1 },
  {
    vmap: {
      key: payload('tcp', 'dport'),
      data: {
        set: [
          [22, { accept: null }],
          [23, { drop: null }],
        ],
      },
    },
  },
  { vmap: { key: { ct: { key: 'state' } }, data: '@svc_vmap' } },
  { vmap: { key: 1, data: { set: [[1]] } } },
  { vmap: {} },
  {},
  5,
  null,
];

const match = fc
  .record({ op: fc.constantFrom(...OPS), left: fc.constantFrom(...LEFTS), right: fc.constantFrom(...RIGHTS) })
  .map((m) => ({ match: m }));
const statement = fc.oneof(
  { weight: 4, arbitrary: match },
  { weight: 2, arbitrary: fc.constantFrom(...VERDICTS) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHERS) },
);
const family = fc.constantFrom('inet', 'ip', 'ip6', 'bridge', 5, 'constructor');
const CHAINS = ['input', 'forward', 'output', 'wan_in', 'loopy', 'prerouting'];

const ruleset = fc
  .record({
    family,
    policy: fc.constantFrom('accept', 'drop', 'bogus', undefined),
    rules: fc.array(
      fc.record({
        chain: fc.constantFrom(...CHAINS),
        expr: fc.array(statement, { maxLength: 6 }),
        comment: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      }),
      { maxLength: 25 },
    ),
  })
  .map(({ family: f, policy, rules }) => ({
    nftables: [
      { metainfo: { version: '1.0.9', release_name: 'Old Doc Yak #3', json_schema_version: 1 } },
      { table: { family: f, name: 't', handle: 1 } },
      {
        set: {
          family: f,
          table: 't',
          name: 'mgmt_hosts',
          type: 'ipv4_addr',
          elem: ['10.0.0.1', { prefix: { addr: '10.1.0.0', len: 16 } }],
        },
      },
      { set: { family: f, table: 't', name: 'web_ports', type: 'inet_service', elem: [80, { range: [8000, 8100] }] } },
      {
        map: {
          family: f,
          table: 't',
          name: 'svc_vmap',
          type: 'inet_service',
          map: 'verdict',
          elem: [[8080, { accept: null }]],
        },
      },
      ...['input', 'forward', 'output', 'toString'].map((hook) => ({
        chain: { family: f, table: 't', name: hook, type: 'filter', hook, prio: 0, ...(policy ? { policy } : {}) },
      })),
      { chain: { family: f, table: 't', name: 'prerouting', type: 'nat', hook: 'prerouting', prio: -100 } },
      { chain: { family: f, table: 't', name: 'wan_in' } },
      { chain: { family: f, table: 't', name: 'loopy' } },
      ...rules.map((r, i) => ({ rule: { family: f, table: 't', handle: i + 10, ...r } })),
    ],
  }));

// ---------------------------------------------------------------- mutations of the fixtures

type Op =
  | { kind: 'drop' | 'dup'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'nest'; at: number; depth: number }
  | { kind: 'long'; at: number; size: number };

const at = fc.nat({ max: 100_000 });
const anyValue = fc.oneof(fc.constantFrom(...RIGHTS, ...LEFTS, ...VERDICTS, ...OTHERS), fc.jsonValue({ maxDepth: 3 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop', 'dup'), at }) as fc.Arbitrary<Op>,
  fc.record({ kind: fc.constant('swap' as const), at, with: at }),
  fc.record({ kind: fc.constant('replace' as const), at, value: anyValue }),
  fc.record({ kind: fc.constant('nest' as const), at, depth: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('long' as const), at, size: fc.integer({ min: 1, max: 100_000 }) }),
);

/** Every array and object node of a JSON value with its parent, iteratively. */
function nodes(root: unknown): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k });
      stack.push(child);
    }
  }
  return out;
}

function apply(doc: unknown, ops: Op[]): string {
  const root = structuredClone(doc);
  for (const o of ops) {
    const all = nodes(root);
    if (all.length === 0) break;
    const { parent, key } = all[o.at % all.length]!;
    const p = parent as Record<string | number, unknown>;
    if (o.kind === 'replace') p[key] = structuredClone(o.value);
    else if (o.kind === 'nest') p[key] = Array.from({ length: o.depth }).reduce((acc) => ({ set: [acc] }), p[key]);
    else if (o.kind === 'long') p[key] = 'x'.repeat(o.size);
    else if (Array.isArray(parent) && o.kind === 'drop') parent.splice(key as number, 1);
    else if (Array.isArray(parent) && o.kind === 'dup')
      parent.splice(key as number, 0, structuredClone(parent[key as number]));
    else if (Array.isArray(parent) && o.kind === 'swap') {
      const j = o.with % parent.length;
      [parent[key as number], parent[j]] = [parent[j], parent[key as number]];
    }
  }
  return JSON.stringify(root);
}

describe('nftables adapter: properties', () => {
  const timed = (property: () => void) => {
    const start = performance.now();
    property();
    expect(performance.now() - start).toBeLessThan(MS_PER_PROPERTY);
  };

  it('mutated fixtures normalise to a valid document or are refused', () => {
    timed(() =>
      fc.assert(
        fc.property(
          fc.constantFrom(...FIXTURE_DOCS),
          fc.array(op, { minLength: 1, maxLength: 6 }),
          fc.boolean(),
          (doc, ops, wan) => {
            outcome(apply(doc, ops), wan ? ['eth0', 'ppp*'] : undefined);
          },
        ),
        { numRuns: 200 },
      ),
    );
  });

  it('rulesets built from the libnftables vocabulary normalise or are refused', () => {
    const counts = { ok: 0, refused: 0 };
    timed(() =>
      fc.assert(
        fc.property(ruleset, fc.boolean(), (doc, wan) => {
          counts[outcome(JSON.stringify(doc), wan ? ['eth0'] : undefined)]++;
        }),
        { numRuns: 200 },
      ),
    );
    expect(counts.ok).toBeGreaterThan(20); // the generator reaches the normaliser, not only the checks
  });

  it('a non-JSON-object body is refused, never a TypeError', () => {
    for (const text of [
      '[]',
      '"x"',
      '1',
      'null',
      '{"nftables": {}}',
      '{"nftables": [1, null, []]}',
      '{"nftables": [{"rule": null}]}',
      '{"nftables": [{"chain": 5}]}',
    ]) {
      expect(outcome(text)).toBe('refused');
    }
  });
});
