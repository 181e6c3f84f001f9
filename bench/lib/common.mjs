/** Helpers shared by the bench scripts: paths, options, statistics, the exports the data generator writes. */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH_DIR);
export const DIST = join(ROOT, 'dist');
export const CLI = join(DIST, 'cli', 'index.js');
export const OUT = join(BENCH_DIR, 'out');

/** Imports a module of the built service (`dist/…`): run `npm run build` first. */
export function dist(rel) {
  return import(pathToFileURL(join(DIST, rel)).href);
}

/** `--name value` / `--flag` options into an object (camelCased keys); numbers stay strings. */
export function options(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[key] = true;
    else {
      out[key] = next;
      i++;
    }
  }
  return out;
}

/** { median, min, max, runs } of a list of numbers (the spread is min–max). */
export function summary(values, digits = 3) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const r = (x) => Number(x.toFixed(digits));
  return { median: r(median), min: r(sorted[0]), max: r(sorted[sorted.length - 1]), runs: values.map(r) };
}

export const ms = (startNs) => Number(process.hrtime.bigint() - startNs) / 1e6;
export const now = () => process.hrtime.bigint();

export function log(message) {
  process.stderr.write(`${message}\n`);
}

/** A part script's answer: JSON to `--out` (the orchestrator reads it), else stdout. */
export function answer(opts, value) {
  const text = JSON.stringify(value, null, 2);
  if (opts.out) writeFileSync(opts.out, text + '\n');
  else process.stdout.write(text + '\n');
}

export function machine() {
  const c = cpus();
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cpuCount: c.length,
    totalMemoryBytes: totalmem(),
    totalMemoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/**
 * The generated exports by source: the parts as (name, file under the data dir), as `posture
 * evaluate` and the adapters take them.
 */
export const EXPORTS = [
  {
    source: 'crowdstrike',
    parts: [
      ['devices', 'crowdstrike/devices.json'],
      ['policies', 'crowdstrike/policies.json'],
    ],
  },
  { source: 'sentinelone', parts: [['body', 'sentinelone/agents.json']] },
  {
    source: 'okta',
    parts: [
      ['users', 'okta/users.json'],
      ['factors', 'okta/factors.json'],
      ['roles', 'okta/roles.json'],
    ],
  },
  {
    source: 'entra',
    parts: [
      ['registrations', 'entra/registrations.json'],
      ['users', 'entra/users.json'],
      ['policies', 'entra/policies.json'],
    ],
  },
  { source: 'nftables', parts: [['body', 'nftables/ruleset.json']], internetInterfaces: ['eth0'] },
  { source: 'aws-security-groups', parts: [['groups', 'aws-security-groups/groups.json']] },
  {
    source: 'ninjaone',
    parts: [
      ['technicians', 'ninjaone/technicians.json'],
      ['activities', 'ninjaone/activities.json'],
    ],
  },
];
