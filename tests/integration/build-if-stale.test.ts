/**
 * scripts/build-if-stale.mjs (`npm start`'s prestart) on a small project of its own shape in a
 * temp dir, with a stand-in for tsc: a fresh clone builds, an unchanged tree does not, and every
 * change that can make dist/ differ from the sources (an edit, a new or deleted file, a tsconfig
 * or lock file change, another build into dist/, a failed build) builds, while a touch without
 * a change and an edit under rules/ (read at run time) do not.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Project {
  dir: string;
  write(path: string, text: string): void;
  /** The script's one line, and its exit code. */
  start(): { line: string; status: number | null };
  built(path: string): string;
}

/**
 * A stand-in for tsc (the script only runs `npm run build`): copies src/*.ts to dist/*.js,
 * rewriting every output as tsc does, and fails on a source that says "type error".
 */
const FAKE_TSC = `
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
for (const f of readdirSync('src', { recursive: true }).filter((f) => f.endsWith('.ts'))) {
  const text = readFileSync(join('src', f), 'utf8');
  if (text.includes('type error')) { console.error('src/' + f + ': type error'); process.exit(2); }
  mkdirSync(dirname(join('dist', f)), { recursive: true });
  writeFileSync(join('dist', f.replace(/\\.ts$/, '.js')), text);
}
mkdirSync('console/dist', { recursive: true });
writeFileSync('console/dist/index.html', readFileSync('console/src/main.tsx', 'utf8'));
`;

/** A project with src/ (its entry point included), tsconfigs, a lock file, rules/, the script and a build. */
function project(): Project {
  const dir = mkdtempSync(join(tmpdir(), 'posture-build-'));
  dirs.push(dir);
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('package.json', JSON.stringify({ type: 'module', scripts: { build: 'node fake-tsc.mjs' } }));
  write('fake-tsc.mjs', FAKE_TSC);
  write('tsconfig.json', '{"compilerOptions": {"target": "ES2022"}}\n');
  write('tsconfig.build.json', '{"extends": "./tsconfig.json"}\n');
  write('package-lock.json', '{}\n');
  write('src/a.ts', "export const a = 'one';\n");
  write('src/cli/index.ts', 'export {};\n');
  write('console/src/main.tsx', 'export {};\n');
  write('rules/r.yaml', 'id: r\n');
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(REPO, 'scripts', 'build-if-stale.mjs'), join(dir, 'scripts', 'build-if-stale.mjs'));
  const start = () => {
    const r = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: dir, encoding: 'utf8' });
    const line = r.stderr.split('\n').find((l) => l.startsWith('posture: ')) ?? r.stderr;
    return { line, status: r.status };
  };
  const built = (path: string) => readFileSync(join(dir, 'dist', path), 'utf8');
  return { dir, write, start, built };
}

const BUILDING = /^posture: building/;
const UP_TO_DATE = 'posture: dist/ is up to date with src/: not rebuilding';

/** A project that npm start has built once. */
function builtProject(): Project {
  const p = project();
  expect(p.start()).toEqual({ line: 'posture: building (dist/ is not built)', status: 0 });
  return p;
}

describe('npm start builds only when dist/ may be stale', () => {
  it('builds a fresh clone (no dist/), then not an unchanged tree, nor one only touched or with rules/ edited', () => {
    const p = builtProject();
    expect(p.built('a.js')).toMatch(/'one'/);
    expect(p.start()).toEqual({ line: UP_TO_DATE, status: 0 });
    utimesSync(join(p.dir, 'src', 'a.ts'), new Date(), new Date());
    p.write('rules/r.yaml', 'id: r2\n');
    expect(p.start()).toEqual({ line: UP_TO_DATE, status: 0 });
  });

  it('builds after an edit under src/', () => {
    const p = builtProject();
    p.write('src/a.ts', "export const a = 'two';\n");
    expect(p.start()).toEqual({
      line: 'posture: building (src/, console/, the tsconfigs or package-lock.json changed since the last build)',
      status: 0,
    });
    expect(p.built('a.js')).toMatch(/'two'/);
    expect(p.start().line).toBe(UP_TO_DATE);
  });

  it('builds after a new file and after a deleted one under src/', () => {
    const p = builtProject();
    p.write('src/lib/b.ts', 'export const b = 2;\n');
    expect(p.start().line).toMatch(BUILDING);
    expect(existsSync(join(p.dir, 'dist', 'lib', 'b.js'))).toBe(true);
    rmSync(join(p.dir, 'src', 'lib', 'b.ts'));
    expect(p.start().line).toMatch(BUILDING);
  });

  it("builds after an edit of the console's sources, and when its built files are gone", () => {
    const p = builtProject();
    p.write('console/src/main.tsx', 'export const x = 1;\n');
    expect(p.start().line).toMatch(BUILDING);
    expect(p.start().line).toBe(UP_TO_DATE);
    rmSync(join(p.dir, 'console', 'dist'), { recursive: true });
    expect(p.start().line).toBe('posture: building (the web console is not built)');
  });

  it('builds after a change of the lock file or a tsconfig', () => {
    const p = builtProject();
    p.write('package-lock.json', '{"lockfileVersion": 3}\n');
    expect(p.start().line).toMatch(BUILDING);
    p.write('tsconfig.json', readFileSync(join(p.dir, 'tsconfig.json'), 'utf8').replace('ES2022', 'ES2023'));
    expect(p.start().line).toMatch(BUILDING);
  });

  it('builds after another build wrote dist/ (npm test, npm run build)', () => {
    const p = builtProject();
    expect(spawnSync('npm', ['run', 'build'], { cwd: p.dir }).status).toBe(0);
    expect(p.start().line).toBe('posture: building (dist/ was written since the last build by npm start)');
  });

  it('stops npm start on a failed build, and tries again on the next start', () => {
    const p = builtProject();
    p.write('src/a.ts', 'export const a: string = 1; // type error\n');
    expect(p.start()).toEqual({ line: expect.stringMatching(BUILDING), status: 2 });
    expect(p.start()).toEqual({ line: expect.stringMatching(BUILDING), status: 2 });
  });
});
