/**
 * Waiver item globs, matched in linear time. The grammar lives in `glob-parse.ts` (`*`, `?`,
 * `[…]`, `[!…]`, `\`); this file compiles it to a position automaton (state j: "the first j
 * tokens are matched") and simulates every state at once, as a bitset, one code point at a time.
 * No backtracking exists to go wrong: for an id of n code points and a pattern of m tokens the
 * work is at most 3·(n + 1)·(p + 1) steps for a pattern of p characters, whatever the pattern
 * (`?*?*…!` included); in practice about n·p/16, the states being packed 32 to a word.
 */
import { type GlobToken, GlobSyntaxError, tokenizeGlob } from './glob-parse.js';

export { GlobSyntaxError } from './glob-parse.js';

/** A pattern checked against the grammar, ready to match many ids. */
export interface Glob {
  readonly source: string;
  readonly tokens: readonly GlobToken[];
  /** 32-bit words per state set: ceil((m + 1) / 32) */
  readonly words: number;
  /** bit j: token j is a star (its state stays on any character, and reaches j + 1 for free) */
  readonly stars: Uint32Array;
  /** bit j set when token j accepts the code point: precomputed for ASCII, memoised above */
  readonly masks: Map<number, Uint32Array>;
  /** the set of states before reading anything */
  readonly start: Uint32Array;
}

/**
 * Counts a match's elementary steps, for tests and bench: one per state word updated, and one per
 * token or class range tested. For n code points, a pattern of p characters and W = ceil((m+1)/32)
 * state words (m ≤ p tokens): steps ≤ n·(2W + p) + 1 ≤ 3·(n + 1)·(p + 1).
 */
export interface GlobCounter {
  steps: number;
}

const MEMO_LIMIT = 4096;

/** Compile a pattern; throws GlobSyntaxError (with a message naming what is unsupported) outside the grammar. */
export function compileGlob(source: string): Glob {
  const tokens = tokenizeGlob(source);
  const words = ((tokens.length + 1 + 31) / 32) | 0;
  const stars = new Uint32Array(words);
  tokens.forEach((t, j) => {
    if (t.kind === 'star') stars[j >>> 5]! |= 1 << (j & 31);
  });
  const start = new Uint32Array(words);
  start[0] = 1;
  closeOverStars(start, stars);
  const glob: Glob = { source, tokens, words, stars, masks: new Map(), start };
  for (let cp = 0; cp < 128; cp++) glob.masks.set(cp, maskOf(glob, cp));
  return glob;
}

/** Why a pattern is outside the grammar, or undefined when it is a valid glob. */
export function globProblem(source: string): string | undefined {
  try {
    tokenizeGlob(source);
    return undefined;
  } catch (err) {
    if (err instanceof GlobSyntaxError) return err.message;
    throw err;
  }
}

/**
 * Does the whole of `text` match? Linear: one pass over `text`, each code point costing one
 * combination of the state words (plus, the first time a non-ASCII code point is seen, one test
 * per token), so steps ≤ 3·(n + 1)·(p + 1) for n code points and a pattern of p characters.
 *
 * NOTE: shaped for speed — state sets are 32-bit words updated in place, two buffers swapped,
 * and a set that empties ends the match early.
 */
export function matchGlob(glob: Glob, text: string, counter?: GlobCounter): boolean {
  let cur = glob.start.slice();
  let next = new Uint32Array(glob.words);
  let steps = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    let mask = glob.masks.get(cp);
    if (mask === undefined) {
      mask = maskOf(glob, cp);
      steps += glob.source.length; // at most one test per token and per class range
      if (glob.masks.size < MEMO_LIMIT) glob.masks.set(cp, mask);
    }
    steps += 2 * glob.words;
    if (!advance(cur, next, mask, glob.stars)) {
      if (counter) counter.steps += steps;
      return false;
    }
    [cur, next] = [next, cur];
  }
  if (counter) counter.steps += steps + 1;
  const m = glob.tokens.length;
  return (cur[m >>> 5]! & (1 << (m & 31))) !== 0;
}

/** next = the states reached from `cur` by one code point with `mask`; false when none is. */
function advance(cur: Uint32Array, next: Uint32Array, mask: Uint32Array, stars: Uint32Array): boolean {
  let carry = 0;
  let any = 0;
  for (let w = 0; w < cur.length; w++) {
    const moved = cur[w]! & mask[w]!;
    next[w] = ((moved << 1) | carry | (cur[w]! & stars[w]!)) >>> 0;
    carry = moved >>> 31;
    any |= next[w]!;
  }
  closeOverStars(next, stars);
  return any !== 0;
}

/** A star's state also reaches the state after it (stars never follow stars, so one step is the closure). */
function closeOverStars(set: Uint32Array, stars: Uint32Array): void {
  let carry = 0;
  for (let w = 0; w < set.length; w++) {
    const on = set[w]! & stars[w]!;
    set[w] = (set[w]! | (on << 1) | carry) >>> 0;
    carry = on >>> 31;
  }
}

/** Bit j set when token j (not a star) accepts `cp`. */
function maskOf(glob: Pick<Glob, 'tokens' | 'words'>, cp: number): Uint32Array {
  const mask = new Uint32Array(glob.words);
  glob.tokens.forEach((t, j) => {
    if (accepts(t, cp)) mask[j >>> 5]! |= 1 << (j & 31);
  });
  return mask;
}

function accepts(t: GlobToken, cp: number): boolean {
  switch (t.kind) {
    case 'char':
      return t.cp === cp;
    case 'any':
      return true;
    case 'star':
      return false;
    case 'class':
      return t.ranges.some(([lo, hi]) => cp >= lo && cp <= hi) !== t.negated;
  }
}
