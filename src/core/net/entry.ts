/**
 * One address entry as canonical documents write them (`sources`, `destinations`): a CIDR, or
 * `!CIDR` (everyone but that network). Vendors' own spellings — a bare address, mask notation,
 * a range `a-b`, a negation — read into that form here; `ref:` entries are the adapters' own.
 */
import { normalizeCidr } from './cidr.js';
import { parseRange } from './range.js';

/**
 * Canonical entries for `text`: `['10.0.0.0/8']`, a range as its CIDRs, `!x` as `!` before each
 * of x's CIDRs (a list of negations reads "none of these"); undefined when it is not an address
 * (a double negation `!!x` included).
 */
export function normalizeAddress(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('!')) return positive(t);
  return positive(t.slice(1).trim())?.map((c) => `!${c}`);
}

function positive(t: string): string[] | undefined {
  const cidr = normalizeCidr(t);
  return cidr !== undefined ? [cidr] : parseRange(t);
}
