/**
 * Everything between the raw bytes of an export and its canonical document, with no I/O:
 * decode, parse JSON (with the line, column and pointer of a syntax error), validate each vendor
 * part against the fields its adapter reads, run the adapter, and check its output against the
 * canonical schema. Shared by HTTP ingest and the offline `posture evaluate`.
 */
import { JsonSyntaxError, parseJsonLocated } from '../core/json.js';
import type { RawPart } from '../core/multipart.js';
import { decodeWithBom, TextDecodeError } from '../core/text.js';
import { canonicalSchemas } from '../schemas/canonical.js';
import { makeStorable, storableText } from './common/storable.js';
import { validate } from '../schemas/validator.js';
import {
  AdapterInputError,
  type Adapter,
  type AdapterContext,
  type AdapterResult,
  type InputProblem,
  type Page,
  type PartSpec,
} from './types.js';

export type { RawPart } from '../core/multipart.js';

/** XML and text parts: UTF-8 (a UTF-8 byte-order mark is dropped). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function runAdapter(adapter: Adapter, rawParts: readonly RawPart[], context: AdapterContext): AdapterResult {
  const specs = new Map(adapter.parts.map((p) => [p.name, p]));
  const unknown = rawParts.filter((p) => !specs.has(p.name)).map((p) => p.name);
  if (unknown.length > 0) {
    throw new AdapterInputError(400, [
      {
        message: `unknown part ${JSON.stringify(unknown[0])} for source ${adapter.source}; its parts are: ${[...specs.keys()].join(', ')}`,
        part: unknown[0],
      },
    ]);
  }
  const missing = adapter.parts.filter((s) => s.required && !rawParts.some((p) => p.name === s.name));
  if (missing.length > 0) {
    throw new AdapterInputError(
      422,
      missing.map((s) => ({ message: `required part "${s.name}" is missing (${s.description})`, part: s.name })),
    );
  }

  // NOTE: the parsed vendor pages live only as long as normalize() runs, and each page's text
  // only until it is parsed: with a 50 MB export, holding either longer is 50–100 MB of peak RSS.
  const result = adapter.normalize({ parts: parseParts(specs, rawParts), context });
  // the instance (a text column) and warnings (which quote the export) must be storable too
  let replaced = makeStorable(result.document) + makeStorable(result.warnings);
  if (result.instance !== undefined && storableText(result.instance) !== result.instance) {
    result.instance = storableText(result.instance);
    replaced++;
  }
  if (replaced > 0) {
    result.warnings.push({
      code: 'unstorable_characters',
      message: `${replaced} value(s) held NUL or unpaired surrogate characters, stored as U+FFFD (the raw export keeps them)`,
    });
  }
  const invalid = validate(canonicalSchemas[adapter.kind], result.document);
  if (invalid.length > 0) {
    throw new AdapterInputError(
      422,
      invalid.map((p) => ({
        message: `the export normalised to an invalid ${adapter.kind} document: ${p.message}`,
        pointer: p.pointer,
      })),
    );
  }
  return result;
}

/** Decode and parse every part, and check each against the fields its adapter reads (422 listing every problem). */
function parseParts(specs: Map<string, PartSpec>, rawParts: readonly RawPart[]): Record<string, Page[]> {
  const parts: Record<string, Page[]> = {};
  const problems: InputProblem[] = [];
  for (const raw of rawParts) {
    const spec = specs.get(raw.name)!;
    const pages = (parts[raw.name] ??= []);
    const page = pages.length;
    const value = spec.format === 'json' ? parseJson(decodeJson(raw, page), raw.name, page) : decode(raw, page);
    if (spec.format === 'json' && spec.schema) {
      for (const p of validate(spec.schema, value)) problems.push({ ...p, part: raw.name, page });
    }
    pages.push({ part: raw.name, page, value });
  }
  if (problems.length > 0) throw new AdapterInputError(422, problems);
  return parts;
}

/**
 * Every JSON part of every source: UTF-8, or UTF-8 / UTF-16LE / UTF-16BE announced by a
 * byte-order mark (core/text.ts). The BOM is not text: a syntax error's line, column and pointer
 * count from the character after it.
 */
function decodeJson(raw: RawPart, page: number): string {
  try {
    return decodeWithBom(raw.bytes);
  } catch (err) {
    if (!(err instanceof TextDecodeError)) throw err;
    const hint = err.encoding === 'utf-8' ? '' : ' (its byte-order mark announces it)';
    throw new AdapterInputError(400, [{ message: `the part is ${err.message}${hint}`, part: raw.name, page }]);
  }
}

function decode(raw: RawPart, page: number): string {
  try {
    return utf8.decode(raw.bytes);
  } catch {
    throw new AdapterInputError(400, [{ message: 'the part is not valid UTF-8', part: raw.name, page }]);
  }
}

/** JSON.parse with the location of a syntax error, as an input problem of this part and page. */
export function parseJson(text: string, part: string, page: number): unknown {
  try {
    return parseJsonLocated(text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new AdapterInputError(400, [{ message: err.message, part, page, pointer: err.pointer, line: err.line }]);
  }
}
