/**
 * JSON.parse, and on failure a second pass only to say where the first error is: line, column and
 * the JSON Pointer of the value being read. The message never echoes the input (request bodies and
 * exports carry secrets). Any depth is located: documents nested deeper than jsonc-parser's
 * recursion can take go through the flat locator of json-locate.ts, and their pointer names at
 * most the first MAX_POINTER_DEPTH levels.
 */
import { getLocation, parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { LinesAndColumns } from 'lines-and-columns';
import { locateJsonError } from './json-locate.js';

/** jsonc-parser recurses once per level: past this depth the flat locator takes over. */
const RECURSIVE_MAX_DEPTH = 256;
/** A pointer into a deeper document is cut here (the message says how deep the error is). */
export const MAX_POINTER_DEPTH = 256;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** the JSON Pointer of the value being read where the parser stopped */
    readonly pointer: string,
    /** 1-based */
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export function parseJsonLocated(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw locate(text);
  }
}

function locate(text: string): JsonSyntaxError {
  if (maxDepth(text) > RECURSIVE_MAX_DEPTH) return locateDeep(text);
  const errors: ParseError[] = [];
  parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const offset = first?.offset ?? text.length;
  const at = new LinesAndColumns(text).locationForIndex(offset) ?? { line: 0, column: 0 };
  const [line, column] = [at.line + 1, at.column + 1];
  const path = getLocation(text, offset).path;
  if (path[path.length - 1] === '') path.pop(); // a property name was expected: point at its object
  const what = first ? printParseErrorCode(first.error) : 'InvalidJSON';
  return new JsonSyntaxError(`malformed JSON: ${what} at line ${line}, column ${column}`, pointerOf(path), line);
}

function locateDeep(text: string): JsonSyntaxError {
  const site = locateJsonError(text) ?? { code: 'InvalidJSON', offset: text.length, path: [] };
  const at = new LinesAndColumns(text).locationForIndex(site.offset) ?? { line: 0, column: 0 };
  const [line, column] = [at.line + 1, at.column + 1];
  const depth = site.path.length;
  const cut =
    depth > MAX_POINTER_DEPTH ? ` (${depth} levels deep: the pointer names the first ${MAX_POINTER_DEPTH})` : '';
  return new JsonSyntaxError(
    `malformed JSON: ${site.code} at line ${line}, column ${column}${cut}`,
    pointerOf(site.path.slice(0, MAX_POINTER_DEPTH)),
    line,
  );
}

function pointerOf(path: readonly (string | number)[]): string {
  return path.map((seg) => '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * The deepest nesting of brackets and braces outside strings.
 * NOTE: one pass over char codes, no tokens: it only decides which locator to use.
 */
function maxDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
