/**
 * The test suite's report fixture (tests/fixtures/reports/report-data.ts: `largeReportData(n)`)
 * for the report bench, without compiling the tests: TypeScript's transpileModule strips the
 * types into bench/out/build/report-data.mjs, and its imports of ../../../src/… are pointed at
 * the built dist/…. Rewritten whenever the fixture changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, OUT, ROOT } from './common.mjs';

const FIXTURE = join(ROOT, 'tests/fixtures/reports/report-data.ts');

export async function loadReportFixture() {
  const source = readFileSync(FIXTURE, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const target = join(OUT, 'build', `report-data-${hash}.mjs`);
  if (!existsSync(target)) {
    const ts = createRequire(import.meta.url)('typescript');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: 'report-data.ts',
    });
    const distUrl = pathToFileURL(DIST).href;
    const js = outputText.replace(/from '(\.\.\/){3}src\/([^']+)'/g, (_, _up, rel) => `from '${distUrl}/${rel}'`);
    if (/\.\.\/src\//.test(js)) throw new Error('report-data.ts imports something from src/ the bench cannot map');
    mkdirSync(join(OUT, 'build'), { recursive: true });
    writeFileSync(target, js);
  }
  return import(pathToFileURL(target).href);
}
