/**
 * The one XML reader for firewall config.xml exports (pfSense, OPNsense), so that hostile
 * documents cannot hurt us: no DOCTYPE (hence no entity declarations, no external entities, no
 * billion laughs; only the five predefined entities and character references are decoded), a size
 * bound, and a linear streaming parse (config-xml-build.ts) with limits on depth, elements and
 * attributes per element. The tree keeps attributes (`@_uuid`), keeps empty elements as `''` (so a
 * presence-only `<disabled/>` differs from an absent one) and makes repeating elements arrays.
 */
import { LinesAndColumns } from 'lines-and-columns';
import { AppError } from '../../core/errors.js';
import { AdapterInputError } from '../types.js';
import { buildXmlTree, LINE, XmlLimitError, XmlSyntaxError } from './config-xml-build.js';

export { MAX_XML_ATTRIBUTES, MAX_XML_DEPTH, MAX_XML_ELEMENTS } from './config-xml-build.js';

/** A parsed element: child elements by name (arrays when repeated), attributes as `@_name`, text as `#text`. */
export interface XmlElement {
  readonly [key: string]: XmlValue | undefined;
}
/** `''` for an empty element, a string for a text-only element, an object otherwise. */
export type XmlNode = string | XmlElement;
export type XmlValue = XmlNode | XmlNode[];

export interface ParsedXml {
  rootName: string;
  root: XmlElement;
  /** 1-based line where an element starts; undefined for text-only elements (the parser keeps no position for them) */
  lineOf(node: XmlNode | undefined): number | undefined;
}

export interface ParseOptions {
  part: string;
  /** element names that are always arrays, wherever they occur */
  arrayTags: ReadonlySet<string>;
  /** parents whose every child element is an array (e.g. `interfaces`: wan, lan, opt1…) */
  arrayParents?: ReadonlySet<string>;
}

/** NOTE: the pipeline caps a snapshot at 50 MB; config.xml with RRD data can come close. */
export const MAX_XML_CHARS = 50 * 1024 * 1024;

const DECLARATION = /<!(DOCTYPE|ENTITY)/i;

/**
 * Parse a config.xml in time linear in its length. Refuses with AdapterInputError 400 (and a
 * line) documents with a DOCTYPE or ENTITY declaration and malformed XML — several root elements
 * included; with AppError `export_too_complex` (413) documents over MAX_XML_CHARS characters,
 * MAX_XML_DEPTH levels, MAX_XML_ELEMENTS elements or MAX_XML_ATTRIBUTES attributes on one element.
 * Messages never quote text content (config.xml carries secrets).
 */
export function parseConfigXml(text: string, opts: ParseOptions): ParsedXml {
  const fail = (message: string, line?: number): never => {
    throw new AdapterInputError(400, [
      line === undefined ? { message, part: opts.part } : { message, part: opts.part, line },
    ]);
  };
  if (text.length > MAX_XML_CHARS)
    throw tooComplex(`the XML document is larger than ${MAX_XML_CHARS} characters`, opts.part);
  const decl = DECLARATION.exec(text);
  if (decl)
    fail(
      'DOCTYPE and ENTITY declarations are not accepted in a config.xml export',
      lineOf(new LinesAndColumns(text), decl.index),
    );
  if (text.trim() === '') fail('the body is empty: send the config.xml export', 1);
  try {
    const tree = buildXmlTree(text, opts);
    const root = isElement(tree.root) ? tree.root : {};
    return {
      rootName: tree.rootName,
      root,
      lineOf: (node) => (isElement(node) ? (node as { [LINE]?: number })[LINE] : undefined),
    };
  } catch (err) {
    if (err instanceof XmlSyntaxError)
      return fail(`malformed XML: ${err.message} at line ${err.line}, column ${err.column}`, err.line);
    if (err instanceof XmlLimitError) throw tooComplex(err.message, opts.part, err.line);
    throw err;
  }
}

function tooComplex(message: string, part: string, line?: number): AppError {
  const where = line === undefined ? { part } : { part, line };
  return new AppError('export_too_complex', `the config.xml is too complex to accept: ${message}`, [
    { message, ...where },
  ]);
}

/** 1-based line of a character offset. */
function lineOf(lines: LinesAndColumns, offset: number): number | undefined {
  const at = lines.locationForIndex(offset);
  return at ? at.line + 1 : undefined;
}

// ---- reading the tree (tolerant: any element may be missing, repeated, empty or text-only) ----

/** An element node (not text, not a repeated-element array). */
export function isElement(v: unknown): v is XmlElement {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Every `name` child, in document order (an array even when the element occurs once). */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!isElement(node) || !Object.hasOwn(node, name)) return [];
  const v = node[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((c): c is XmlNode => typeof c === 'string' || isElement(c));
}

/** The first `name` child as an element (`<x/>` reads as an empty element). */
export function element(node: XmlNode | undefined, name: string): XmlElement | undefined {
  const first = children(node, name)[0];
  if (first === undefined) return undefined;
  return isElement(first) ? first : {};
}

/** Follow a path of element names from `node`; undefined where any step is missing. */
export function path(node: XmlNode | undefined, ...names: string[]): XmlElement | undefined {
  let cur: XmlElement | undefined = isElement(node) ? node : undefined;
  for (const n of names) cur = element(cur, n);
  return cur;
}

/** Text of a node: `''` for an empty element, the `#text` of an element with attributes. */
export function nodeText(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  const t = node['#text'];
  return typeof t === 'string' ? t : '';
}

/** Text of the first `name` child; undefined when absent, `''` when empty. */
export function text(node: XmlNode | undefined, name: string): string | undefined {
  return nodeText(children(node, name)[0]);
}

/** Non-empty trimmed text of the first `name` child, else undefined. */
export function value(node: XmlNode | undefined, name: string): string | undefined {
  const t = text(node, name)?.trim();
  return t ? t : undefined;
}

/** Is a `name` child present at all (pfSense presence-only booleans)? */
export function present(node: XmlNode | undefined, name: string): boolean {
  return children(node, name).length > 0;
}

/** An attribute of an element, e.g. `attribute(rule, 'uuid')`. */
export function attribute(node: XmlNode | undefined, name: string): string | undefined {
  if (!isElement(node)) return undefined;
  const key = `@_${name}`;
  const v = Object.hasOwn(node, key) ? node[key] : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Child element names in document order of first occurrence (attributes and text excluded). */
export function childNames(node: XmlNode | undefined): string[] {
  if (!isElement(node)) return [];
  return Object.keys(node).filter((k) => !k.startsWith('@_') && k !== '#text');
}
