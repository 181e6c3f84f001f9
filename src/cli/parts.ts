/**
 * PARTS on the command line: `name=path` per part (a name may repeat: one page each) or, for a
 * single-part export, a bare path. Read here, with errors a user can act on.
 */
import { readFileSync } from 'node:fs';
import type { Adapter } from '../adapters/types.js';
import type { RawPart } from '../adapters/run-adapter.js';

export interface LocalPart extends RawPart {
  path: string;
  /** 0-based position among the parts with this name */
  page: number;
}

export function readParts(args: readonly string[], adapter: Adapter): LocalPart[] {
  if (args.length === 0)
    throw new Error(
      `give the export: ${adapter.parts.length > 1 ? adapter.parts.map((p) => `${p.name}=FILE`).join(' ') : 'FILE'}`,
    );
  const pages = new Map<string, number>();
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    const named = eq > 0 && adapter.parts.some((p) => p.name === arg.slice(0, eq));
    const name = named ? arg.slice(0, eq) : adapter.bodyPart;
    const path = named ? arg.slice(eq + 1) : arg;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const page = pages.get(name) ?? 0;
    pages.set(name, page + 1);
    return { name, path, page, bytes };
  });
}

/** Whether the parts go as one body (a single part that is the source's body part) or multipart. */
export function isSingleBody(parts: readonly LocalPart[], adapter: Adapter): boolean {
  return parts.length === 1 && parts[0]!.name === adapter.bodyPart;
}

export const MEDIA_TYPE = { json: 'application/json', xml: 'application/xml', text: 'text/plain' } as const;
