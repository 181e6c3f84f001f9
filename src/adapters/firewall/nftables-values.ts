/**
 * Right-hand sides of nft matches → addresses, ports and names. Anonymous sets `{"set": [...]}`,
 * lists, `{"elem": {"val": …}}` wrappers and named-set references `"@name"` (resolved from the
 * `set`/`map` objects of the same table) are flattened into atoms: immediates, `{"prefix"}` and
 * `{"range"}`. A prefix or range of the wrong shape is structurally impossible (422).
 */
import type { Origin } from '../../schemas/canonical-types.js';
import { normalizeCidr, portNumber, rangeToCidrs } from '../../core/net/index.js';
import { mergePorts, type PortRange } from './iptables-match.js';
import { located, setKey, type NftFamily, type NftSet } from './nftables-ruleset.js';

export interface ValueEnv {
  family: NftFamily;
  table: string;
  sets: ReadonlyMap<string, NftSet>;
}

export type Resolved = { atoms: unknown[] } | { unresolved: string };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function resolveValues(right: unknown, env: ValueEnv, origin: Origin): Resolved {
  if (typeof right === 'string' && right.startsWith('@')) {
    const set = env.sets.get(setKey(env.family, env.table, right.slice(1)));
    return set ? { atoms: flattenAtoms(set.elem, set.origin) } : { unresolved: right };
  }
  return { atoms: flattenAtoms([right], origin) };
}

/** Iterative; nesting was bounded when the ruleset was indexed. */
export function flattenAtoms(items: readonly unknown[], origin: Origin): unknown[] {
  const out: unknown[] = [];
  const stack: unknown[] = [];
  const pushAll = (list: readonly unknown[]) => {
    for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]);
  };
  pushAll(items);
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) pushAll(v);
    else if (isObj(v) && 'set' in v) stack.push(v.set);
    else if (isObj(v) && 'elem' in v) stack.push(isObj(v.elem) ? v.elem.val : v.elem);
    else {
      checkAtom(v, origin);
      out.push(v);
    }
  }
  return out;
}

function checkAtom(v: unknown, origin: Origin): void {
  if (!isObj(v)) return;
  if ('prefix' in v) {
    const p = v.prefix;
    if (!isObj(p) || !Number.isInteger(p.len) || p.addr === undefined)
      throw located('a prefix needs "addr" and an integer "len"', origin);
  }
  if ('range' in v && (!Array.isArray(v.range) || v.range.length !== 2))
    throw located('a range needs exactly two bounds', origin);
}

/**
 * CIDRs, read by core/net. What it cannot read as an address (a host name, `010.1.1.1`, a
 * reversed range) stays as `ref:<text>` and is handed to `refused`; undefined when an atom is
 * not address-shaped at all (a number, a concatenation).
 */
export function toAddresses(
  atoms: readonly unknown[],
  refused: (text: string) => void = () => {},
): string[] | undefined {
  const out: string[] = [];
  const keep = (text: string, cidrs: string[] | undefined) => {
    if (cidrs === undefined) refused(text);
    out.push(...(cidrs ?? [`ref:${text}`]));
  };
  for (const a of atoms) {
    if (typeof a === 'string') keep(a, oneCidr(a));
    else if (isObj(a) && isObj(a.prefix) && typeof a.prefix.addr === 'string') {
      const text = `${a.prefix.addr}/${String(a.prefix.len)}`;
      keep(text, oneCidr(text));
    } else if (isObj(a) && Array.isArray(a.range) && typeof a.range[0] === 'string' && typeof a.range[1] === 'string') {
      keep(`${a.range[0]}-${a.range[1]}`, rangeToCidrs(a.range[0], a.range[1]));
    } else return undefined;
  }
  return out;
}

function oneCidr(text: string): string[] | undefined {
  const cidr = normalizeCidr(text);
  return cidr === undefined ? undefined : [cidr];
}

export function toPorts(atoms: readonly unknown[]): PortRange[] | undefined {
  const out: PortRange[] = [];
  for (const a of atoms) {
    const [lo, hi] = isObj(a) && Array.isArray(a.range) ? a.range : [a, a];
    const from = typeof lo === 'string' || typeof lo === 'number' ? portNumber(lo) : undefined;
    const to = typeof hi === 'string' || typeof hi === 'number' ? portNumber(hi) : undefined;
    if (from === undefined || to === undefined) return undefined;
    out.push({ from, to });
  }
  return mergePorts(out);
}

export function toNames(atoms: readonly unknown[]): string[] | undefined {
  const out: string[] = [];
  for (const a of atoms) {
    if (typeof a !== 'string' && typeof a !== 'number') return undefined;
    out.push(String(a));
  }
  return out;
}
