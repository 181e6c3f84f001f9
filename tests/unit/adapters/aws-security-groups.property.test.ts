/**
 * Robustness of aws-security-groups: mutated fixtures, arbitrary JSON and groups built from the
 * describe-security-groups vocabulary either normalise to a document that validates or are
 * refused with an AdapterInputError — never another error — and quickly. Bounded: ≤ 200 runs.
 */
import fc from 'fast-check';
import { awsSecurityGroupsAdapter } from '../../../src/adapters/firewall/aws-security-groups.js';
import { runAdapter, type RawPart } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError } from '../../../src/adapters/types.js';
import { firewallSchema } from '../../../src/schemas/canonical.js';
import { validate } from '../../../src/schemas/validator.js';
import { fixture } from '../../helpers/adapters.js';

const GROUPS = JSON.parse(fixture('aws-security-groups/groups.json').toString('utf8')) as unknown;
const PREFIX_LISTS = JSON.parse(fixture('aws-security-groups/prefix-lists.json').toString('utf8')) as unknown;

function outcome(parts: RawPart[]): 'ok' | 'refused' {
  const start = performance.now();
  try {
    const r = runAdapter(awsSecurityGroupsAdapter, parts, { clients: [] });
    expect(validate(firewallSchema, r.document)).toEqual([]);
    return 'ok';
  } catch (e) {
    if (!(e instanceof AdapterInputError)) throw e;
    expect(e.message).not.toMatch(/normalised to an invalid/);
    return 'refused';
  } finally {
    expect(performance.now() - start).toBeLessThan(2000);
  }
}

const part = (name: string, value: unknown): RawPart => ({
  name,
  bytes: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

// ---------------------------------------------------------------- mutations of the fixture

type Op =
  | { kind: 'delete' | 'duplicate'; path: number[] }
  | { kind: 'replace'; path: number[]; value: unknown }
  | { kind: 'nest'; path: number[]; depth: number };

const pathArb = fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 6 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), path: pathArb }),
  fc.record({ kind: fc.constant('replace' as const), path: pathArb, value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('nest' as const), path: pathArb, depth: fc.integer({ min: 1, max: 200 }) }),
);

/** Walk `path` (indices into keys/elements) and apply the op at the container reached. */
function applyOp(doc: unknown, o: Op): unknown {
  const root = structuredClone(doc);
  let container: unknown = root;
  for (let i = 0; i < o.path.length; i++) {
    if (container === null || typeof container !== 'object') return root;
    const keys = Object.keys(container);
    if (keys.length === 0) return root;
    const key = keys[o.path[i]! % keys.length]!;
    const c = container as Record<string, unknown>;
    if (i < o.path.length - 1 && c[key] !== null && typeof c[key] === 'object') {
      container = c[key];
      continue;
    }
    mutate(c, key, o, Array.isArray(container));
    return root;
  }
  return root;
}

function mutate(c: Record<string, unknown>, key: string, o: Op, isArray: boolean): void {
  if (o.kind === 'delete') {
    if (isArray) (c as unknown as unknown[]).splice(Number(key), 1);
    else delete c[key];
  } else if (o.kind === 'duplicate') {
    if (isArray) (c as unknown as unknown[]).splice(Number(key), 0, structuredClone(c[key]));
    else c[`${key}Copy`] = structuredClone(c[key]);
  } else if (o.kind === 'replace') {
    c[key] = o.value;
  } else if (o.kind === 'nest') {
    let v: unknown = c[key];
    for (let d = 0; d < o.depth; d++) v = [v];
    c[key] = v;
  }
}

// ---------------------------------------------------------------- groups from the vocabulary

const cidr = fc.constantFrom(
  '0.0.0.0/0',
  '::/0',
  '10.0.0.0/8',
  '192.0.2.0/24',
  '2001:db8::/32',
  '203.0.113.7/32',
  'not-a-cidr',
  '',
);
const port = fc.option(
  fc.oneof(fc.constantFrom(-1, 0, 22, 443, 3389, 65535, 65536), fc.integer({ min: -5, max: 70_000 })),
  { nil: undefined },
);
const permission = fc.record(
  {
    IpProtocol: fc.constantFrom('-1', 'tcp', 'udp', 'icmp', 'icmpv6', '6', '17', '1', '58', '50', 'all', 'TCP', 'gre'),
    FromPort: port,
    ToPort: port,
    IpRanges: fc.array(
      fc.record({ CidrIp: cidr, Description: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }) }),
      { maxLength: 3 },
    ),
    Ipv6Ranges: fc.array(fc.record({ CidrIpv6: cidr }), { maxLength: 2 }),
    PrefixListIds: fc.array(
      fc.record({ PrefixListId: fc.constantFrom('pl-0corp00000000001', 'pl-0unknown0000000009', 'pl-') }),
      { maxLength: 2 },
    ),
    UserIdGroupPairs: fc.array(
      fc.record({
        GroupId: fc.option(fc.constantFrom('sg-1', 'sg-2'), { nil: undefined }),
        UserId: fc.option(fc.constantFrom('123456789012', '210987654321'), { nil: undefined }),
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['IpProtocol'] },
);
const group = fc.record(
  {
    GroupId: fc.constantFrom('sg-1', 'sg-2', 'sg-3'),
    GroupName: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
    OwnerId: fc.constantFrom('123456789012', '210987654321'),
    IpPermissions: fc.array(permission, { maxLength: 4 }),
    IpPermissionsEgress: fc.array(permission, { maxLength: 2 }),
  },
  { requiredKeys: ['GroupId'] },
);
const envelope = fc.oneof(
  fc.array(group, { maxLength: 4 }),
  fc.array(group, { maxLength: 4 }).map((SecurityGroups) => ({ SecurityGroups })),
);

describe('aws-security-groups: robustness (property)', () => {
  it('mutated fixtures normalise to a valid document or are refused with AdapterInputError', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        fc.boolean(),
        (ops, mutatePrefixLists, truncate) => {
          const groups = JSON.stringify(ops.reduce(applyOp, GROUPS));
          const prefixLists = mutatePrefixLists ? ops.reduce(applyOp, PREFIX_LISTS) : PREFIX_LISTS;
          outcome([
            part('groups', truncate ? groups.slice(0, groups.length >> 1) : groups),
            part('prefixLists', prefixLists),
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('arbitrary JSON in either part is normalised or refused', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: undefined }),
        (groups, prefixLists) => {
          outcome([part('groups', groups), ...(prefixLists === undefined ? [] : [part('prefixLists', prefixLists)])]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('groups built from the describe-security-groups vocabulary normalise to a valid document', () => {
    fc.assert(
      fc.property(fc.array(envelope, { minLength: 1, maxLength: 3 }), (pages) => {
        expect(outcome([...pages.map((p) => part('groups', p)), part('prefixLists', PREFIX_LISTS)])).toBe('ok');
      }),
      { numRuns: 200 },
    );
  });
});
