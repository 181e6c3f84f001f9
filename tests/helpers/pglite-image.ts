/**
 * An image of a freshly migrated embedded database, for the in-memory PGlite of each test app.
 * PGlite's initdb is most of a test file's set-up (15-20 s on a busy 2-core machine; 4-5 s from an
 * image), so it runs once per machine and set of migrations: the image is made by the real
 * `openDatabase` + `migrate()`, kept in the temp dir under the SHA-256 of the migrations and the
 * PGlite version, and every test app still runs `migrate()` over it (which then finds nothing to do).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS_DIR, openDatabase } from '../../src/db/client.js';

const PGLITE_PACKAGE = join(import.meta.dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json');

function imagePath(): string {
  const h = createHash('sha256').update(readFileSync(PGLITE_PACKAGE));
  for (const f of readdirSync(MIGRATIONS_DIR, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(MIGRATIONS_DIR, f);
    if (f.endsWith('.sql') || f.endsWith('.json')) h.update(f).update(readFileSync(path));
  }
  return join(tmpdir(), `posture-test-pglite-${h.digest('hex').slice(0, 16)}.tar`);
}

async function makeImage(path: string): Promise<void> {
  const database = await openDatabase({});
  try {
    await database.migrate();
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const image = await client.dumpDataDir('none');
    // written aside, then renamed: two test processes making it at once each leave a whole file
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await image.arrayBuffer()));
    renameSync(tmp, path);
  } finally {
    await database.close();
  }
}

let image: Promise<Blob> | undefined;
export function migratedImage(): Promise<Blob> {
  image ??= (async () => {
    const path = imagePath();
    if (!existsSync(path)) await makeImage(path);
    return new Blob([readFileSync(path)]);
  })();
  return image;
}
