/**
 * `npm run bench` (= `npm run build && node bench/run.mjs`): generate the data, run every
 * measurement in its own process, write bench/results.json and bench/RESULTS.md.
 * `npm run bench -- --quick` is the smoke check (< 2 min): a tenth of the data, a 10 MB export
 * for c, 3 runs (1 of 5 s per server for b), results in bench/out/quick/ so the committed full
 * results stay. Never fails on a timing: exit 0 whenever it could measure, 1 when a part broke.
 *
 * Options: --quick  --seed N  --anchor ISO  --runs N  --only engine,cli,ingest,big,report,dataset
 *          --profile (profile every part, not only those that miss)  --no-profile
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BENCH_DIR, CLI, log, machine, OUT, options, ROOT } from './lib/common.mjs';
import { newestProfile, profilesIn, summariseProfile } from './lib/cpuprofile.mjs';
import { BIG_EXPORT_BYTES, DEFAULT_SEED, generate, todayUtc } from './generate.mjs';
import { renderMarkdown, targets } from './lib/results-md.mjs';

const opts = options();
const quick = opts.quick === true;
const seed = Number(opts.seed ?? DEFAULT_SEED);
const anchor = opts.anchor ?? todayUtc();
const runs = Number(opts.runs ?? (quick ? 3 : 5));
const only = opts.only ? new Set(String(opts.only).split(',')) : undefined;
const wants = (part) => !only || only.has(part);
const config = {
  mode: quick ? 'quick' : 'full',
  seed,
  anchor,
  runs,
  scale: quick ? 0.1 : 1,
  bigBytes: quick ? 10_000_000 : BIG_EXPORT_BYTES,
  ingest: { duration: quick ? 5 : 20, connections: 16, runs: quick ? 1 : runs },
  reportFindings: 10_000,
};
const resultsDir = quick ? join(OUT, 'quick') : BENCH_DIR;
const workDir = join(OUT, quick ? 'quick' : 'full');
const profileDir = join(workDir, 'profiles');
mkdirSync(workDir, { recursive: true });
if (!existsSync(CLI)) throw new Error(`${relative(ROOT, CLI)} is missing: run npm run build (npm run bench does)`);

const started = Date.now();
/** The code measured: HEAD and whether src/ or rules/ differ from it (read-only git). */
function codeVersion() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain', '--', 'src', 'rules')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      subject: git('log', '-1', '--format=%s'),
      uncommittedInSrcOrRules: changed,
    };
  } catch {
    return { commit: 'unknown' };
  }
}
const results = {
  config,
  machine: { ...machine(), date: new Date().toISOString() },
  code: codeVersion(),
  parts: {},
  errors: {},
};
log(
  `bench (${config.mode}): ${results.machine.cpuModel} × ${results.machine.cpuCount}, ${results.machine.totalMemoryGiB} GiB, node ${results.machine.node}`,
);

const data = generate({
  seed,
  anchor,
  scale: config.scale,
  bigBytes: config.bigBytes,
  outDir: join(OUT, quick ? 'data-quick' : 'data'),
  log,
});
results.data = { dir: relative(ROOT, data.dir), generator: data.generator, files: data.files };

/** Runs a part script (node, its own process) that writes JSON to --out; returns the parsed answer. */
function part(name, script, args, nodeArgs = []) {
  const out = join(workDir, `${name}.json`);
  rmSync(out, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(BENCH_DIR, script), ...args, '--out', out], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || !existsSync(out)) return reject(new Error(`${script} exited ${code}`));
      resolve(JSON.parse(readFileSync(out, 'utf8')));
    });
  });
}

async function measure(name, script, args, nodeArgs) {
  if (!wants(name)) return;
  const t = Date.now();
  try {
    results.parts[name] = await part(name, script, args, nodeArgs);
  } catch (err) {
    results.errors[name] = err.message;
    log(`bench: ${name} FAILED: ${err.message}`);
  }
  log(`bench: ${name} done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

const dataArgs = ['--data', data.dir];
await measure('dataset', 'parts/dataset.mjs', [...dataArgs, '--as-of', anchor]);
await measure('engine', 'parts/engine.mjs', [...dataArgs, '--as-of', anchor, '--runs', String(runs)], ['--expose-gc']);
await measure('cli', 'parts/cli-vs-jq.mjs', [...dataArgs, '--as-of', anchor, '--runs', String(runs)]);
const ingestArgs = [
  ...dataArgs,
  '--duration',
  String(config.ingest.duration),
  '--connections',
  String(config.ingest.connections),
  '--runs',
  String(config.ingest.runs),
];
await measure('ingestPglite', 'parts/ingest.mjs', [...ingestArgs, '--db', 'pglite']);
await measure('ingestPostgres', 'parts/ingest.mjs', [...ingestArgs, '--db', 'postgres']);
await measure('big', 'parts/big-ingest.mjs', [...dataArgs, '--runs', String(runs), '--db', 'postgres']);
await measure('report', 'parts/report.mjs', ['--findings', String(config.reportFindings), '--runs', String(runs)]);

// Profiles of what misses its target or passes only by its median (or of everything with --profile): CPU profiles, separate
// runs so that the profiler's overhead never touches the figures above.
const verdicts = targets(results);
const profileAll = opts.profile === true;
const profileMisses = opts.noProfile !== true && (!quick || profileAll);
results.profiles = {};
if (profileMisses || profileAll) {
  const missed = (id) => profileAll || verdicts.some((v) => v.id === id && (v.status === 'MISS' || v.marginal));
  const dir = (name) => {
    const d = join(profileDir, name);
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
    return d;
  };
  const profile = async (name, fn) => {
    try {
      log(`bench: profiling ${name}`);
      results.profiles[name] = await fn(dir(name));
    } catch (err) {
      results.errors[`profile ${name}`] = err.message;
      log(`bench: profile ${name} FAILED: ${err.message}`);
    }
  };
  if (missed('a.engine') && results.parts.engine) {
    await profile('engine-evaluate', async (d) => {
      const file = join(d, 'evaluate.cpuprofile');
      await part(
        'profile-engine',
        'parts/engine.mjs',
        [...dataArgs, '--as-of', anchor, '--profile-out', file],
        ['--expose-gc'],
      );
      return summariseProfile(file);
    });
  }
  if (missed('a.cli') && results.parts.cli && !results.parts.cli.skipped) {
    await profile('posture-evaluate', async (d) => {
      const { timeProcess } = await import('./lib/proc.mjs');
      const args = [
        '--cpu-prof',
        `--cpu-prof-dir=${d}`,
        CLI,
        'evaluate',
        '--source',
        'crowdstrike',
        `devices=${join(data.dir, 'crowdstrike/devices.json')}`,
        `policies=${join(data.dir, 'crowdstrike/policies.json')}`,
        '--format',
        'json',
        '--as-of',
        anchor,
      ];
      await timeProcess(process.execPath, args);
      return summariseProfile(newestProfile(d));
    });
  }
  for (const [id, key, db] of [
    ['b.ingest', 'ingestPostgres', 'postgres'],
    ['b.ingest.pglite', 'ingestPglite', 'pglite'],
  ]) {
    if (missed(id) && results.parts[key] && !results.parts[key].skipped) {
      await profile(`ingest-server-${db}`, async (d) => {
        await part(`profile-ingest-${db}`, 'parts/ingest.mjs', [
          ...dataArgs,
          '--duration',
          String(quick ? 5 : 15),
          '--runs',
          '1',
          '--db',
          db,
          '--profile-dir',
          d,
        ]);
        return profilesIn(d, { fromFirstRequest: true })[0];
      });
    }
  }
  if (missed('c.big') && results.parts.big && !results.parts.big.skipped) {
    await profile('big-ingest-server', async (d) => {
      await part('profile-big', 'parts/big-ingest.mjs', [
        ...dataArgs,
        '--runs',
        '1',
        '--db',
        'postgres',
        '--profile-dir',
        d,
      ]);
      return profilesIn(d, { fromFirstRequest: true })[0];
    });
  }
  if (missed('d.report') && results.parts.report) {
    await profile('report', async (d) => {
      await part('profile-report', 'parts/report.mjs', [
        '--findings',
        String(config.reportFindings),
        '--runs',
        '1',
        '--profile-dir',
        d,
      ]);
      return profilesIn(d)[0];
    });
  }
}

results.targets = targets(results);
results.machine.loadAverageAtEnd = (await import('node:os')).loadavg().map((x) => Number(x.toFixed(2)));
results.elapsedSeconds = Math.round((Date.now() - started) / 1000);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(resultsDir, 'RESULTS.md'), renderMarkdown(results));
log(
  `bench: wrote ${relative(ROOT, join(resultsDir, 'results.json'))} and ${relative(ROOT, join(resultsDir, 'RESULTS.md'))} in ${results.elapsedSeconds} s`,
);
for (const t of results.targets) log(`  ${t.status.padEnd(4)} ${t.id}: ${t.summary}`);
process.exit(Object.keys(results.errors).length > 0 ? 1 : 0);
