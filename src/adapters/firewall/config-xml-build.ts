/**
 * config.xml → tree, in one streaming pass (saxes, a conformant non-validating XML parser) that
 * enforces the limits as it goes: elements in all, attributes per element, nesting depth. Every
 * step costs a constant per character or per event, so parsing is linear in the document, and a
 * document past a limit is abandoned at the element that crosses it, not after building it.
 *
 * The tree is the one the readers in config-xml.ts expect: child elements by name (arrays when
 * repeated, or always for `arrayTags` and the children of `arrayParents`), attributes as `@_name`,
 * text trimmed as `#text` (or the element itself is the string when it has neither attributes nor
 * children, `''` when empty).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

/** config.xml nests about ten deep; anything far beyond is not a firewall export. */
export const MAX_XML_DEPTH = 64;
/** Real config.xml elements carry one or two attributes (`uuid`, `version`). */
export const MAX_XML_ATTRIBUTES = 256;
/** A pfSense config with thousands of rules and aliases holds tens of thousands of elements. */
export const MAX_XML_ELEMENTS = 1_000_000;

export type TreeNode = string | Record<string, unknown>;

export interface BuildOptions {
  arrayTags: ReadonlySet<string>;
  arrayParents?: ReadonlySet<string>;
}

/** Key of the 1-based line where an element (one that is an object in the tree) starts. */
export const LINE: unique symbol = Symbol('line');

export interface BuiltTree {
  rootName: string;
  root: TreeNode;
  /** parser events handled (open, attribute, text, close): linear in the input, for tests */
  events: number;
}

/** A limit crossed: the export is well-formed as far as read, but too complex to accept. */
export class XmlLimitError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'XmlLimitError';
  }
}

/** Not well-formed XML: the parser's reason (names at most, never text content) and where. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

interface State {
  stack: Frame[];
  elements: number;
  /** attributes of the element being opened */
  attributes: number;
  /** line of the element being opened (its `<name`) */
  line: number;
  events: number;
}

interface Frame {
  name: string;
  node: Record<string | symbol, unknown>;
  hasContent: boolean;
  text: string;
  line: number;
}

/** Unknown entities stay as written (`&nbsp;`), as they did: no DOCTYPE can define them anyway. */
const TOLERATED = /^(undefined entity|malformed character entity)\.$/;

/** Parse `text` into a tree, or throw XmlSyntaxError / XmlLimitError. */
export function buildXmlTree(text: string, opts: BuildOptions): BuiltTree {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const state: State = { stack: [], elements: 0, attributes: 0, line: 1, events: 0 };
  let done: { rootName: string; root: TreeNode } | undefined;
  parser.on('error', (err) => {
    const { message, reason } = splitError(err.message);
    if (TOLERATED.test(reason)) return;
    throw new XmlSyntaxError(message, parser.line, parser.column);
  });
  parser.on('opentagstart', () => opened(state, parser.line));
  parser.on('attribute', () => {
    state.events++;
    if (++state.attributes > MAX_XML_ATTRIBUTES)
      throw new XmlLimitError(`an element has more than ${MAX_XML_ATTRIBUTES} attributes`, parser.line);
  });
  parser.on('opentag', (tag) => state.stack.push(frameOf(tag, state.line)));
  parser.on('text', (t) => appendText(state, t, false));
  parser.on('cdata', (t) => appendText(state, t, true));
  parser.on('closetag', () => {
    state.events++;
    done = closeFrame(state.stack, opts) ?? done;
  });
  parser.write(text).close();
  if (!done) throw new XmlSyntaxError('the document has no root element', 1, 1);
  return { ...done, events: state.events };
}

function opened(state: State, line: number): void {
  state.events++;
  state.attributes = 0;
  state.line = line;
  if (++state.elements > MAX_XML_ELEMENTS)
    throw new XmlLimitError(`the document has more than ${MAX_XML_ELEMENTS} elements`, line);
  if (state.stack.length >= MAX_XML_DEPTH)
    throw new XmlLimitError(`the XML nests deeper than ${MAX_XML_DEPTH} elements`, line);
}

function frameOf(tag: SaxesTagPlain, line: number): Frame {
  const node: Record<string | symbol, unknown> = {};
  let hasContent = false;
  // saxes keeps attributes in a prototype-less object: `in` sees only its own keys
  for (const name in tag.attributes) {
    node[`@_${renameCritical(name)}`] = tag.attributes[name];
    hasContent = true;
  }
  return { name: renameCritical(tag.name), node, hasContent, text: '', line };
}

function appendText(state: State, t: string, cdata: boolean): void {
  state.events++;
  const top = state.stack.at(-1);
  if (!top) return; // whitespace around the root (anything else is a syntax error)
  if (cdata || t.trim() !== '') top.text += t;
}

/** Pop the innermost element into its parent; returns the root when it closes. */
function closeFrame(stack: Frame[], opts: BuildOptions): { rootName: string; root: TreeNode } | undefined {
  const frame = stack.pop()!;
  const text = frame.text.trim();
  let value: TreeNode;
  if (frame.hasContent) {
    if (text !== '') frame.node['#text'] = text;
    // NOTE: a symbol key on the node, not a WeakMap: a WeakMap entry per element doubled the parse time
    frame.node[LINE] = frame.line;
    value = frame.node;
  } else value = text;
  const parent = stack.at(-1);
  if (!parent) return { rootName: frame.name, root: value };
  attach(parent, frame.name, value, opts.arrayTags.has(frame.name) || (opts.arrayParents?.has(parent.name) ?? false));
  return undefined;
}

function attach(parent: Frame, name: string, value: TreeNode, alwaysArray: boolean): void {
  const { node } = parent;
  parent.hasContent = true;
  if (Object.hasOwn(node, name)) {
    const existing = node[name];
    if (Array.isArray(existing)) existing.push(value);
    else node[name] = [existing, value];
  } else node[name] = alwaysArray ? [value] : value;
}

/** Names that would reach Object.prototype as keys are kept with a leading `_`. */
function renameCritical(name: string): string {
  return name === '__proto__' || name === 'constructor' || name === 'prototype' ? `_${name}` : name;
}

/** saxes messages read `file:line:column: reason`; the reason, capped (it may name a tag). */
function splitError(full: string): { message: string; reason: string } {
  const reason = full.replace(/^(?:[^:\n]*:)?\d+:\d+: /, '');
  return { reason, message: reason.length > 120 ? `${reason.slice(0, 120)}…` : reason };
}
