/**
 * The one XML reader for firewall config.xml exports (pfSense, OPNsense), wrapping fast-xml-parser
 * so that hostile documents cannot hurt us: no DOCTYPE (hence no entity declarations, no external
 * entities, no billion laughs), entity processing off in the parser (only the five predefined
 * entities and character references are decoded, by us, without expansion), a size bound and a
 * nesting bound. The tree keeps attributes (`@_uuid`), keeps empty elements as `''` (so a
 * presence-only `<disabled/>` differs from an absent one) and makes repeating elements arrays.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LinesAndColumns } from 'lines-and-columns';
import { AdapterInputError } from '../types.js';
import { lookup } from '../common/lookup.js';

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
/** config.xml nests about ten deep; anything far beyond is not a firewall export. */
export const MAX_XML_DEPTH = 64;

const DECLARATION = /<!(DOCTYPE|ENTITY)/i;
const CRITICAL_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const PREDEFINED = lookup<string>({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/**
 * Parse a config.xml. Refuses (AdapterInputError 400, with a line) documents with a DOCTYPE or
 * ENTITY declaration, malformed XML, oversize or over-deep documents. Messages never quote text
 * content (config.xml carries secrets).
 */
export function parseConfigXml(text: string, opts: ParseOptions): ParsedXml {
  const fail = (message: string, line?: number): never => {
    throw new AdapterInputError(400, [
      line === undefined ? { message, part: opts.part } : { message, part: opts.part, line },
    ]);
  };
  if (text.length > MAX_XML_CHARS) fail(`the XML document is larger than ${MAX_XML_CHARS} characters`);
  const decl = DECLARATION.exec(text);
  if (decl)
    fail(
      'DOCTYPE and ENTITY declarations are not accepted in a config.xml export',
      lineOf(new LinesAndColumns(text), decl.index),
    );
  if (text.trim() === '') fail('the body is empty: send the config.xml export', 1);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { code, line, col } = valid.err;
    fail(`malformed XML: ${code} at line ${line}${col === undefined ? '' : `, column ${col}`}`, line);
  }
  let tree: Record<string, unknown>;
  try {
    tree = newParser(opts).parse(text) as Record<string, unknown>;
  } catch (e) {
    const deep = e instanceof Error && /nested/i.test(e.message);
    return fail(
      deep ? `the XML nests deeper than ${MAX_XML_DEPTH} elements` : 'malformed XML: the document could not be read',
    );
  }
  return toParsed(tree, text, opts.part);
}

function newParser(opts: ParseOptions): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
    maxNestedTags: MAX_XML_DEPTH,
    transformTagName: renameCritical,
    transformAttributeName: renameCritical,
    // NOTE: CDATA passes through here too, so a literal `&amp;` inside CDATA is decoded as well.
    tagValueProcessor: (_name, value) => decodeEntities(value),
    attributeValueProcessor: (_name, value) => decodeEntities(value),
    isArray: (name, jPath, _leaf, isAttribute) =>
      !isAttribute && (opts.arrayTags.has(name) || isUnder(jPath, opts.arrayParents)),
  });
}

function toParsed(tree: Record<string, unknown>, text: string, part: string): ParsedXml {
  const names = Object.keys(tree);
  if (names.length !== 1) {
    throw new AdapterInputError(400, [{ message: 'malformed XML: expected exactly one root element', part }]);
  }
  const rootName = names[0]!;
  const value = tree[rootName];
  const root: XmlElement = isElement(value) ? value : {};
  let lines: LinesAndColumns | undefined;
  return {
    rootName,
    root,
    lineOf(node) {
      if (!isElement(node)) return undefined;
      const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
      if (typeof meta?.startIndex !== 'number') return undefined;
      lines ??= new LinesAndColumns(text);
      return lineOf(lines, meta.startIndex);
    },
  };
}

function renameCritical(name: string): string {
  return CRITICAL_NAMES.has(name) ? `_${name}` : name;
}

function isUnder(jPath: unknown, parents: ReadonlySet<string> | undefined): boolean {
  if (!parents || typeof jPath !== 'string') return false;
  const segs = jPath.split('.');
  return segs.length >= 2 && parents.has(segs[segs.length - 2]!);
}

/** The five predefined XML entities and numeric character references; anything else stays as written. */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref]!;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
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
