/**
 * Where malformed JSON first goes wrong, without recursion: jsonc-parser's scanner (a flat
 * tokenizer) driven by an explicit stack, so a document nested 100,000 levels deep is located
 * like one nested three. Used by core/json.ts for documents nested deeper than its recursive
 * (jsonc-parser) pass can take.
 */
import { createScanner, type JSONScanner } from 'jsonc-parser';

/**
 * jsonc-parser's token kinds and scan errors: its typings declare them as `const enum`s, which
 * isolated modules cannot read, so their (stable, published) values are restated here.
 */
const SyntaxKind = {
  OpenBraceToken: 1,
  CloseBraceToken: 2,
  OpenBracketToken: 3,
  CloseBracketToken: 4,
  CommaToken: 5,
  ColonToken: 6,
  NullKeyword: 7,
  TrueKeyword: 8,
  FalseKeyword: 9,
  StringLiteral: 10,
  NumericLiteral: 11,
  LineCommentTrivia: 12,
  BlockCommentTrivia: 13,
  LineBreakTrivia: 14,
  Trivia: 15,
  Unknown: 16,
  EOF: 17,
} as const;
type SyntaxKind = number;
const SCAN_ERRORS = [
  'None',
  'UnexpectedEndOfComment',
  'UnexpectedEndOfString',
  'UnexpectedEndOfNumber',
  'InvalidUnicode',
  'InvalidEscapeCharacter',
  'InvalidCharacter',
] as const;

/** The first error: its jsonc-parser error name, offset, and the path of the value being read. */
export interface JsonErrorSite {
  code: string;
  offset: number;
  /** keys and indices from the root; its length is the nesting depth at the error */
  path: (string | number)[];
}

type ObjectState = 'keyOrEnd' | 'key' | 'colon' | 'value' | 'commaOrEnd';
type ArrayState = 'valueOrEnd' | 'value' | 'commaOrEnd';
type Frame =
  | { array: false; state: ObjectState; key: string | undefined }
  | { array: true; state: ArrayState; index: number };

const LITERALS = new Set<number>([
  SyntaxKind.StringLiteral,
  SyntaxKind.NumericLiteral,
  SyntaxKind.TrueKeyword,
  SyntaxKind.FalseKeyword,
  SyntaxKind.NullKeyword,
]);

/**
 * The first syntax error of `text` (undefined when there is none). Linear in the text, with memory
 * for one frame per open container: any depth is fine.
 */
export function locateJsonError(text: string): JsonErrorSite | undefined {
  // trivia is not ignored by the scanner: a comment must be seen, to be refused as jsonc-parser does
  const scanner = createScanner(text, false);
  const stack: Frame[] = [];
  let done = false;
  for (;;) {
    const kind = scanner.scan();
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) continue;
    const at = scanner.getTokenOffset();
    const fail = (code: string): JsonErrorSite => ({ code, offset: at, path: pathOf(stack) });
    // a comment is refused as a comment, even an unterminated one (jsonc-parser with comments
    // disallowed reports InvalidCommentToken, not UnexpectedEndOfComment)
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia)
      return fail('InvalidCommentToken');
    const scanError = scanner.getTokenError() as number;
    if (scanError !== 0) return fail(SCAN_ERRORS[scanError] ?? 'InvalidSymbol');
    if (kind === SyntaxKind.Unknown) return fail('InvalidSymbol');
    if (done) return kind === SyntaxKind.EOF ? undefined : fail('EndOfFileExpected');
    const code = step(stack, kind, scanner);
    if (code === 'done') done = true;
    else if (code !== undefined) return fail(code);
  }
}

/** Feed one token; returns an error name, `done` when the root value is complete, or undefined. */
function step(stack: Frame[], kind: SyntaxKind, scanner: JSONScanner): string | undefined {
  const top = stack.at(-1);
  if (top === undefined) return value(stack, kind);
  if (top.array) return arrayStep(stack, top, kind);
  return objectStep(stack, top, kind, scanner);
}

function objectStep(
  stack: Frame[],
  top: Extract<Frame, { array: false }>,
  kind: SyntaxKind,
  scanner: JSONScanner,
): string | undefined {
  switch (top.state) {
    case 'keyOrEnd':
    case 'key':
      if (top.state === 'keyOrEnd') {
        if (kind === SyntaxKind.CloseBraceToken) return close(stack);
        if (kind === SyntaxKind.EOF) return 'CloseBraceExpected';
        if (kind === SyntaxKind.CommaToken) return 'ValueExpected';
      }
      if (kind !== SyntaxKind.StringLiteral) return 'PropertyNameExpected';
      top.key = scanner.getTokenValue();
      top.state = 'colon';
      return undefined;
    case 'colon':
      if (kind !== SyntaxKind.ColonToken) return 'ColonExpected';
      top.state = 'value';
      return undefined;
    case 'value':
      top.state = 'commaOrEnd';
      return value(stack, kind);
    case 'commaOrEnd':
      if (kind === SyntaxKind.CommaToken) {
        top.state = 'key';
        top.key = undefined;
        return undefined;
      }
      if (kind === SyntaxKind.CloseBraceToken) return close(stack);
      return kind === SyntaxKind.EOF ? 'CloseBraceExpected' : 'CommaExpected';
  }
}

function arrayStep(stack: Frame[], top: Extract<Frame, { array: true }>, kind: SyntaxKind): string | undefined {
  if (top.state === 'commaOrEnd') {
    if (kind === SyntaxKind.CommaToken) {
      top.state = 'value';
      top.index++;
      return undefined;
    }
    if (kind === SyntaxKind.CloseBracketToken) return close(stack);
    return kind === SyntaxKind.EOF ? 'CloseBracketExpected' : 'CommaExpected';
  }
  if (top.state === 'valueOrEnd') {
    if (kind === SyntaxKind.CloseBracketToken) return close(stack);
    if (kind === SyntaxKind.EOF) return 'CloseBracketExpected';
  }
  top.state = 'commaOrEnd';
  return value(stack, kind);
}

/** A value starts (or is) here. */
function value(stack: Frame[], kind: SyntaxKind): string | undefined {
  if (kind === SyntaxKind.OpenBraceToken) stack.push({ array: false, state: 'keyOrEnd', key: undefined });
  else if (kind === SyntaxKind.OpenBracketToken) stack.push({ array: true, state: 'valueOrEnd', index: 0 });
  else if (LITERALS.has(kind)) return stack.length === 0 ? 'done' : undefined;
  else return 'ValueExpected';
  return undefined;
}

function close(stack: Frame[]): string | undefined {
  stack.pop();
  return stack.length === 0 ? 'done' : undefined;
}

/** Keys and indices of the open containers; an object still waiting for a key names only itself. */
function pathOf(stack: readonly Frame[]): (string | number)[] {
  const path: (string | number)[] = [];
  for (const f of stack) {
    if (f.array) path.push(f.index);
    else if (f.key !== undefined) path.push(f.key);
  }
  return path;
}
