/**
 * The CEL environment every rule expression is checked and evaluated in — built once.
 * Variables: `item` (the item being judged), `doc` (the canonical document of the item's own
 * snapshot), `params` (the rule's parameter values), `asOf` (the evaluation time, a timestamp).
 */
import { Environment } from '@marcbachmann/cel-js';
import type ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import semver from 'semver';
import { parseCidr, rangeIncludesPublic } from '../adapters/firewall/exposure.js';

const TS = 'google.protobuf.Timestamp';
const DAY_MS = 86_400_000;

/** Dotted versions compared numerically per segment (`7.22.19908.0` ≥ `7.20`), via semver's coercion. */
export function semverAtLeast(version: string, minimum: string): boolean {
  const key = JSON.stringify([version, minimum]); // unambiguous whatever the strings hold
  let answer = compared.get(key);
  if (answer === undefined) {
    answer = compareVersions(version, minimum);
    compared.set(key, answer);
  }
  return answer;
}

// A fleet runs a handful of sensor builds against one minimum: compare each pair once.
const compared = new LRUCache<string, boolean>({ max: 4096 });

function compareVersions(version: string, minimum: string): boolean {
  const a = semver.coerce(version, { loose: true });
  const b = semver.coerce(minimum, { loose: true });
  if (!a || !b) throw new Error(`not a version: ${!a ? version : minimum}`);
  const c = semver.compare(a, b);
  if (c !== 0) return c > 0;
  // semver keeps three segments: break a tie on any further ones (build numbers)
  const rest = (v: string) =>
    v
      .split(/[.-]/)
      .slice(3)
      .map((x) => Number.parseInt(x, 10) || 0);
  const [ra, rb] = [rest(version), rest(minimum)];
  for (let i = 0; i < Math.max(ra.length, rb.length); i++)
    if ((ra[i] ?? 0) !== (rb[i] ?? 0)) return (ra[i] ?? 0) > (rb[i] ?? 0);
  return true;
}

/** Does `cidr` contain `other` (an address or a CIDR) entirely? Mixed families never contain. */
export function cidrContains(cidr: string, other: string): boolean {
  const outer = parseCidr(cidr);
  const inner = parseCidr(other);
  if (!outer || !inner) throw new Error(`not an address or CIDR: ${!outer ? cidr : other}`);
  if (outer[0].kind() !== inner[0].kind() || inner[1] < outer[1]) return false;
  return (inner[0] as ipaddr.IPv4).match(outer as [ipaddr.IPv4, number]);
}

/** Public address space in the range (`!CIDR`: its complement, which always holds some). */
export function cidrIsPublic(cidr: string): boolean {
  if (cidr.startsWith('!')) return rangeIncludesPublic(cidr.slice(1)) !== undefined;
  const p = rangeIncludesPublic(cidr);
  if (p === undefined) throw new Error(`not an address or CIDR: ${cidr}`);
  return p;
}

function toMs(t: unknown): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`not a time: ${String(t)}`);
  return ms;
}

function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

/** Thrown by `insufficient('why')`: the item cannot be judged, for the reason given. */
export class InsufficientEvidence extends Error {
  readonly code = 'insufficient_evidence';
  constructor(readonly summary: string) {
    super(summary);
  }
}

export function createCelEnvironment(): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: false, limits: { maxAstNodes: 2000, maxDepth: 64 } })
    .registerVariable('item', 'map')
    .registerVariable('doc', 'map')
    .registerVariable('params', 'map')
    .registerVariable('asOf', TS)
    .registerFunction('semverAtLeast(string, string): bool', semverAtLeast)
    .registerFunction('cidrContains(string, string): bool', cidrContains)
    .registerFunction('cidrIsPublic(string): bool', cidrIsPublic)
    .registerFunction(
      'portInRange(dyn, map): bool',
      (p: unknown, r: { from: unknown; to: unknown }) => num(p) >= num(r.from) && num(p) <= num(r.to),
    )
    .registerFunction('insufficient(string): bool', (why: string) => {
      throw new InsufficientEvidence(why);
    })
    .registerFunction(`daysSince(dyn, ${TS}): double`, (t: unknown, asOf: Date) => (asOf.getTime() - toMs(t)) / DAY_MS);
  // JSON numbers arrive as CEL doubles and literals are ints: let them mix in arithmetic.
  for (const op of ['+', '-', '*', '/'] as const) {
    const f = (a: unknown, b: unknown) =>
      ({ '+': num(a) + num(b), '-': num(a) - num(b), '*': num(a) * num(b), '/': num(a) / num(b) })[op];
    env.registerOperator(`double ${op} int`, f).registerOperator(`int ${op} double`, f);
  }
  return env;
}
