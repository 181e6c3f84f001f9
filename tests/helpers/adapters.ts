/** Runs an adapter the way ingest does (parse, part schemas, canonical schema) on fixture files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAdapter } from '../../src/adapters/run-adapter.js';
import type { Adapter, AdapterContext, AdapterResult } from '../../src/adapters/types.js';
import type { SnapshotKind } from '../../src/schemas/canonical.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export function fixture(...path: string[]): Buffer {
  return readFileSync(join(FIXTURES, ...path));
}

/** parts: [part name, path under tests/fixtures] in page order. */
export function runOnFixtures<K extends SnapshotKind>(
  adapter: Adapter<K>,
  parts: [string, string][],
  context: Partial<AdapterContext> = {},
): AdapterResult<K> {
  return runAdapter(
    adapter as unknown as Adapter,
    parts.map(([name, path]) => ({ name, bytes: fixture(path) })),
    { clients: [], ...context },
  ) as AdapterResult<K>;
}
