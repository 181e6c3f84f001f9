/**
 * JSON.parse, and on failure a second, tolerant pass (jsonc-parser) only to say where the first
 * error is: line, column and the JSON Pointer of the value being read. The message never echoes
 * the input (request bodies and exports carry secrets).
 */
import { getLocation, parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { LinesAndColumns } from 'lines-and-columns';

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
  const errors: ParseError[] = [];
  parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const offset = first?.offset ?? text.length;
  const at = new LinesAndColumns(text).locationForIndex(offset) ?? { line: 0, column: 0 };
  const [line, column] = [at.line + 1, at.column + 1];
  const path = getLocation(text, offset).path;
  if (path[path.length - 1] === '') path.pop(); // a property name was expected: point at its object
  const pointer = path.map((seg) => '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
  const what = first ? printParseErrorCode(first.error) : 'InvalidJSON';
  return new JsonSyntaxError(`malformed JSON: ${what} at line ${line}, column ${column}`, pointer, line);
}
