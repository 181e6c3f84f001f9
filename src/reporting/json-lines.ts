/**
 * JSON Pointer → 1-based line of a JSON text, so CI annotations land on the right line of the
 * export. The tree is built once per text and queried per pointer.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { LinesAndColumns } from 'lines-and-columns';

export type LineOf = (pointer: string) => number | undefined;

export function lineFinder(text: string): LineOf {
  let root: Node | undefined;
  let lines: LinesAndColumns | undefined;
  return (pointer) => {
    root ??= parseTree(text);
    if (!root) return undefined;
    const path = pointer
      .split('/')
      .slice(1)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    const node =
      findNodeAtLocation(
        root,
        path.map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg)),
      ) ?? findNodeAtLocation(root, path);
    if (!node) return undefined;
    lines ??= new LinesAndColumns(text);
    const at = lines.locationForIndex(node.offset);
    return at ? at.line + 1 : undefined;
  };
}
