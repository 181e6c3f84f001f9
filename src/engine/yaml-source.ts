/**
 * YAML with positions: parse a rules file keeping its nodes, so that a schema error (a JSON
 * Pointer) or an expression error (an offset in the expression) becomes file:line:column with a
 * caret under the offending text.
 */
import { isScalar, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';

export class PackLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackLoadError';
  }
}

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseYaml(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) throw new PackLoadError(located({ file, text, doc, lines }, err.pos[0], err.message.split('\n')[0]!));
  return { file, text, doc, lines };
}

/** `file:line:col: message`, the source line, and a caret under the column. */
export function located(src: YamlSource, offset: number, message: string): string {
  const { line, col } = src.lines.linePos(Math.min(offset, src.text.length));
  const sourceLine = src.text.split('\n')[line - 1] ?? '';
  return `${src.file}:${line}:${col}: ${message}\n  ${sourceLine}\n  ${' '.repeat(Math.max(0, col - 1))}^`;
}

/** The node a JSON Pointer names, or its nearest existing ancestor (a missing key points at its object). */
export function nodeAt(src: YamlSource, pointer: string): Node | undefined {
  const path = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? src.doc.contents : src.doc.getIn(path.slice(0, n), true)) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return node;
  }
  return undefined;
}

export function pointerError(src: YamlSource, pointer: string, message: string): PackLoadError {
  const node = nodeAt(src, pointer);
  return new PackLoadError(located(src, node?.range?.[0] ?? 0, `${pointer || '/'} ${message}`));
}

/**
 * The file offset of character `pos` of an expression held by the scalar at `pointer`. Exact for
 * plain, quoted and literal-block (`|`) scalars; for folded blocks, the scalar's first line.
 */
export function expressionOffset(src: YamlSource, pointer: string, pos: number): number {
  const node = nodeAt(src, pointer);
  if (!node || !isScalar(node) || !node.range) return 0;
  const start = node.range[0];
  const type = (node as Scalar).type;
  if (type === Scalar.PLAIN) return start + pos;
  if (type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE) return start + 1 + pos;
  if (type !== Scalar.BLOCK_LITERAL) return start;
  const value = String((node as Scalar).value);
  const before = value.slice(0, pos);
  const lineInValue = before.split('\n').length - 1;
  const colInLine = pos - (before.lastIndexOf('\n') + 1);
  const headerEnd = src.text.indexOf('\n', start) + 1;
  // the block's indentation is its first content line's; deeper lines keep the rest in the value
  const indent = /^ */.exec(src.text.slice(headerEnd))![0].length;
  let offset = headerEnd;
  for (let i = 0; i < lineInValue; i++) offset = src.text.indexOf('\n', offset) + 1;
  return offset + indent + colInLine;
}
