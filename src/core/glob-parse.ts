/**
 * The waiver item-glob grammar, and nothing beyond it: `*` (any run of characters, `/` and `.`
 * included), `?` (one character), `[…]` and `[!…]` (a character class with ranges `a-z`), and
 * `\` (the next character, literally). Anything a shell or picomatch would read differently — a
 * leading `!`, braces, extglobs, POSIX classes, an unclosed `[` — is refused with a message that
 * names it, never guessed at. Characters are Unicode code points.
 */

/** One step of a glob: a literal code point, any one code point, a class, or a star. */
export type GlobToken =
  | { readonly kind: 'char'; readonly cp: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'star' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly (readonly [number, number])[] };

/** The pattern is outside the grammar: `message` names what, `index` is the code unit where it starts. */
export class GlobSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'GlobSyntaxError';
  }
}

const ESCAPE_HINT = 'escape it with \\ to match it literally';
const EXTGLOB_OPENERS = new Set(['@', '!', '+', '*', '?']);

/**
 * Tokens of a pattern, consecutive stars collapsed into one (so a star is never followed by a
 * star: the matcher's closure is a single step). Throws GlobSyntaxError for anything else.
 */
export function tokenizeGlob(pattern: string): GlobToken[] {
  if (pattern.startsWith('!')) {
    throw new GlobSyntaxError(`a leading ! (negation) is not supported; ${ESCAPE_HINT} (\\!)`, 0);
  }
  const tokens: GlobToken[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (EXTGLOB_OPENERS.has(c) && pattern[i + 1] === '(') {
      throw new GlobSyntaxError(`extglobs such as ${c}(…) are not supported; ${ESCAPE_HINT} (\\()`, i);
    }
    if (c === '{') throw new GlobSyntaxError(`braces ({a,b}) are not supported; ${ESCAPE_HINT} (\\{)`, i);
    if (c === '[') {
      const [token, next] = readClass(pattern, i);
      tokens.push(token);
      i = next;
      continue;
    }
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
      i++;
      continue;
    }
    if (c === '?') {
      tokens.push({ kind: 'any' });
      i++;
      continue;
    }
    const [cp, next] = c === '\\' ? escaped(pattern, i) : codePoint(pattern, i);
    tokens.push({ kind: 'char', cp });
    i = next;
  }
  return tokens;
}

/** `[…]` or `[!…]` starting at `open`: the class token and the index after its `]`. */
function readClass(pattern: string, open: number): [GlobToken, number] {
  let i = open + 1;
  if (pattern[i] === '^') throw new GlobSyntaxError('write a negated class as [!…], not [^…]', i);
  const negated = pattern[i] === '!';
  if (negated) i++;
  const ranges: [number, number][] = [];
  while (i < pattern.length && pattern[i] !== ']') {
    if (pattern[i] === '[' && /[:=.]/.test(pattern[i + 1] ?? '')) {
      throw new GlobSyntaxError(`POSIX classes such as [${pattern[i + 1]}alpha${pattern[i + 1]}] are not supported`, i);
    }
    const [lo, afterLo] = classChar(pattern, i);
    i = afterLo;
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      const [hi, afterHi] = classChar(pattern, i + 1);
      if (hi < lo) throw new GlobSyntaxError('a character range runs backwards (write it low-high)', i);
      ranges.push([lo, hi]);
      i = afterHi;
    } else {
      ranges.push([lo, lo]);
    }
  }
  if (i >= pattern.length) throw new GlobSyntaxError(`an unclosed [ ; ${ESCAPE_HINT} (\\[)`, open);
  if (ranges.length === 0) throw new GlobSyntaxError('an empty character class []', open);
  return [{ kind: 'class', negated, ranges }, i + 1];
}

function classChar(pattern: string, i: number): [number, number] {
  return pattern[i] === '\\' ? escaped(pattern, i) : codePoint(pattern, i);
}

function escaped(pattern: string, backslash: number): [number, number] {
  if (backslash + 1 >= pattern.length) throw new GlobSyntaxError('a trailing \\ escapes nothing', backslash);
  return codePoint(pattern, backslash + 1);
}

function codePoint(s: string, i: number): [number, number] {
  const cp = s.codePointAt(i)!;
  return [cp, i + (cp > 0xffff ? 2 : 1)];
}
