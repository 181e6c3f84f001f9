#!/usr/bin/env node
/**
 * Runs every test file alone: one jest process per file, one after the other, at a low CPU
 * priority, so that a file that only passes after another one left state behind (a tenant, a
 * row, a module-level cache) shows up. Prints one line per file and a summary; exits 1 when a
 * file fails. Integration tests spawn the built service: run `npm run build` first.
 *
 *   node scripts/each-test-alone.mjs                 # every file under tests/
 *   node scripts/each-test-alone.mjs tests/unit/db   # only the files under these paths
 *
 * The PostgreSQL-only files (tests/postgres/) are included when DATABASE_URL is set, as in jest.config.js.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['tests'];
const files = roots
  .flatMap((r) =>
    r.endsWith('.test.ts')
      ? [r]
      : readdirSync(join(root, r), { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.test.ts'))
          .map((f) => join(r, f)),
  )
  .filter((f) => process.env.DATABASE_URL || !relative('tests', f).startsWith('postgres'))
  .sort();

const failed = [];
const started = Date.now();
for (const file of files) {
  const t0 = Date.now();
  const r = spawnSync(
    'nice',
    [
      '-n',
      '15',
      process.execPath,
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--runInBand',
      '--ci',
      file,
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const ok = r.status === 0;
  console.log(`${ok ? 'pass' : 'FAIL'} ${file} (${seconds} s)`);
  if (!ok) {
    failed.push(file);
    // the failing tests' names and first lines, not the whole report
    const lines = `${r.stdout}\n${r.stderr}`.split('\n');
    const shown = lines
      .filter((l) => /●|Tests:|Exceeded timeout|thrown|Error:|expect\(|Received|Expected/.test(l))
      .slice(0, 40);
    for (const l of shown) console.log(`    ${l}`);
  }
}
const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\n${files.length - failed.length} of ${files.length} files pass alone (${minutes} min)`);
if (failed.length > 0) {
  console.log(`failing alone:\n${failed.map((f) => `  ${f}`).join('\n')}`);
  process.exit(1);
}
