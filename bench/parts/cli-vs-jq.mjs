/**
 * Part a, whole process: `posture evaluate` (every endpoint rule of every pack, JSON output to
 * /dev/null) against jq doing three of the same checks (bench/jq: reduced functionality mode,
 * last seen more than 14 days ago, prevention policy missing/disabled/detect-only) on the same
 * CrowdStrike export. Wall time from spawn to exit, one unmeasured warm-up each (page cache),
 * then the runs interleaved. jq is timed two ways: the three checks in one process (all.jq,
 * one parse: the target compares with this) and as three processes one after the other.
 *
 *   node bench/parts/cli-vs-jq.mjs --data DIR --as-of ISO [--runs 5] [--jq /usr/bin/jq] [--out f.json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer, BENCH_DIR, CLI, log, options, summary } from '../lib/common.mjs';
import { capture, timeProcess } from '../lib/proc.mjs';

const opts = options();
const runs = Number(opts.runs ?? 5);
const jq = opts.jq ?? '/usr/bin/jq';
const devices = join(opts.data, 'crowdstrike/devices.json');
const policies = join(opts.data, 'crowdstrike/policies.json');
const jqDir = join(BENCH_DIR, 'jq');
const outDir = join(BENCH_DIR, 'out');

if (!existsSync(jq)) {
  answer(opts, { skipped: `jq not found at ${jq} (apt-get install -y jq): not measured` });
  process.exit(0);
}

const posture = [
  'node',
  [
    CLI,
    'evaluate',
    '--source',
    'crowdstrike',
    `devices=${devices}`,
    `policies=${policies}`,
    '--format',
    'json',
    '--as-of',
    opts.asOf,
  ],
];
const jqArgs = (script) => [
  '-L',
  jqDir,
  '--arg',
  'asof',
  opts.asOf,
  '--slurpfile',
  'policies',
  policies,
  '-f',
  join(jqDir, script),
  devices,
];

async function runPosture(stdoutFile) {
  const r = await timeProcess(process.execPath, posture[1], { stdoutFile });
  // exit 1 = findings at or above --fail-on (the normal outcome here); 2 = an error
  if (r.code !== 0 && r.code !== 1) throw new Error(`posture evaluate exited ${r.code}: ${r.stderr}`);
  return r.ms;
}
async function runJq(script, stdoutFile) {
  const r = await timeProcess(jq, jqArgs(script), { stdoutFile });
  if (r.code !== 0) throw new Error(`jq ${script} exited ${r.code}: ${r.stderr}`);
  return r.ms;
}

// warm-up, keeping the outputs once to compare what each found
await runPosture(join(outDir, 'posture-evaluate.json'));
await runJq('all.jq', join(outDir, 'jq-all.json'));
const postureOut = JSON.parse(readFileSync(join(outDir, 'posture-evaluate.json'), 'utf8'));
const jqOut = JSON.parse(readFileSync(join(outDir, 'jq-all.json'), 'utf8'));
const ruleCounts = (id) => postureOut.rules.find((r) => r.ruleId === id)?.counts;
const agreement = {
  rfm: {
    jq: jqOut.rfm.length,
    posture: ruleCounts('endpoint.no-degraded-agents')?.fail,
    rule: 'endpoint.no-degraded-agents (fail)',
  },
  stale: {
    jq: jqOut.stale.length,
    posture: ruleCounts('endpoint.agent-recently-seen')?.fail,
    rule: 'endpoint.agent-recently-seen (fail)',
  },
  prevention: {
    jq: jqOut.prevention.length,
    posture:
      (ruleCounts('endpoint.prevention-mode')?.fail ?? 0) +
      (ruleCounts('endpoint.prevention-mode')?.insufficient_evidence ?? 0),
    rule: 'endpoint.prevention-mode (fail + insufficient evidence, per host)',
  },
};
const postureFindings = postureOut.findings.length;

const times = { posture: [], jqOne: [], jqThree: [] };
for (let i = 0; i < runs; i++) {
  times.posture.push(await runPosture('/dev/null'));
  times.jqOne.push(await runJq('all.jq', '/dev/null'));
  let three = 0;
  for (const s of ['rfm.jq', 'stale.jq', 'prevention.jq']) three += await runJq(s, '/dev/null');
  times.jqThree.push(three);
  log(
    `cli-vs-jq: run ${i + 1}/${runs}: posture evaluate ${(times.posture[i] / 1000).toFixed(2)} s | jq (one process) ${(times.jqOne[i] / 1000).toFixed(2)} s | jq (three processes) ${(three / 1000).toFixed(2)} s`,
  );
}
const seconds = (xs) =>
  summary(
    xs.map((x) => x / 1000),
    2,
  );
answer(opts, {
  jqVersion: await capture(jq, ['--version']),
  exportBytes: readFileSync(devices).length + readFileSync(policies).length,
  command: `node dist/cli/index.js ${posture[1].slice(1).join(' ')} > /dev/null`,
  jqCommand: `jq ${jqArgs('all.jq').join(' ')} > /dev/null`,
  postureSeconds: seconds(times.posture),
  jqOneSeconds: seconds(times.jqOne),
  jqThreeSeconds: seconds(times.jqThree),
  // > 1: posture is faster; the target wants ≥ 2 against the one-process jq
  speedupVsJqOne: summary(
    times.posture.map((p, i) => times.jqOne[i] / p),
    3,
  ),
  speedupVsJqThree: summary(
    times.posture.map((p, i) => times.jqThree[i] / p),
    3,
  ),
  postureFindings,
  postureOutputBytes: readFileSync(join(outDir, 'posture-evaluate.json')).length,
  agreement,
});
