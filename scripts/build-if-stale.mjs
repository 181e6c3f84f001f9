#!/usr/bin/env node
/**
 * `npm start`'s prestart: `npm run build` only when dist/ may not be what the sources compile to,
 * so that starting an unchanged tree takes seconds instead of a full tsc run.
 *
 * After each build it runs, it records in dist/.build-inputs a SHA-256 over the build's inputs
 * (every file under src/ and the console's sources, the tsconfigs, package-lock.json: content and path, so an edit, a new,
 * renamed or deleted file, a branch switch all count, whatever their mtimes say) and a signature
 * of dist/ (file count and newest mtime). It builds again when dist/ or the record is missing,
 * the inputs differ, or dist/ was written since (`npm test`, `npm run bench` and a plain
 * `npm run build` always build, and leave the record to say so: the next start builds once more).
 * A failed build leaves no record, so the next start tries again.
 *
 * Not inputs: rules/, migrations/ and reports/fonts/ are read at run time from the repository
 * (paths relative to dist/), so editing them needs a restart, never a build.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist');
const RECORD = join(DIST, '.build-inputs');
const INPUTS = [
  'src',
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
  // the web console (scripts/build-console.mjs): its sources, not what the build generates into it
  'console/src',
  'console/index.html',
  'console/public',
  'console/tsconfig.json',
  'console/vite.config.ts',
  'scripts/build-console.mjs',
];

/** Every file under `path` (or `path` itself), sorted; none when it does not exist. */
function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** SHA-256 over the inputs' relative paths and contents. */
function inputsDigest() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => filesUnder(join(ROOT, p)))) {
    const bytes = readFileSync(file);
    hash.update(`${relative(ROOT, file)}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** Changes whenever anything writes into dist/ (tsc rewrites every output on each build). */
function distSignature() {
  const files = filesUnder(DIST).filter((f) => f !== RECORD);
  const newest = Math.max(0, ...files.map((f) => statSync(f).mtimeMs));
  return `${files.length}:${newest}`;
}

/** Why dist/ must be built, or undefined when it is what the inputs compile to. */
function staleness(digest) {
  if (!existsSync(join(DIST, 'cli', 'index.js'))) return 'dist/ is not built';
  if (!existsSync(join(ROOT, 'console', 'dist', 'index.html'))) return 'the web console is not built';
  if (!existsSync(RECORD)) return 'dist/ was not built by npm start (no dist/.build-inputs)';
  const record = JSON.parse(readFileSync(RECORD, 'utf8'));
  if (record.inputs !== digest)
    return 'src/, console/, the tsconfigs or package-lock.json changed since the last build';
  if (record.dist !== distSignature()) return 'dist/ was written since the last build by npm start';
  return undefined;
}

const digest = inputsDigest();
const why = staleness(digest);
if (!why) {
  process.stderr.write('posture: dist/ is up to date with src/: not rebuilding\n');
} else {
  process.stderr.write(`posture: building (${why})\n`);
  rmSync(RECORD, { force: true });
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status === 0) writeFileSync(RECORD, `${JSON.stringify({ inputs: digest, dist: distSignature() })}\n`);
  else process.exitCode = build.status ?? 1;
}
