/**
 * JSON Pointer → 1-based line of a JSON text, so CI annotations land on the right line of the
 * export. The tree is built once per text and queried per pointer.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

export type LineOf = (pointer: string) => number | undefined;

export function lineFinder(text: string): LineOf {
  let root: Node | undefined;
  let starts: number[] | undefined;
  return (pointer) => {
    root ??= parseTree(text);
    if (!root) return undefined;
    const path = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    const node = findNodeAtLocation(root, path.map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg))) ?? findNodeAtLocation(root, path);
    if (!node) return undefined;
    starts ??= lineStarts(text);
    return lineAt(starts, node.offset);
  };
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
