/**
 * JUnit XML of many failing items on one rule (issue 13: quadratic before, 40,000 took ~26 s):
 * `buildJunit` of the built service timed in process, one warm-up then --runs runs.
 *
 *   npm run build && node bench/junit.mjs [--findings 40000] [--runs 5] [--out FILE]
 *
 * Writes { findings, bytes, median, min, max, runs (ms) } to --out (default bench/out/junit.json)
 * and to stdout. Not run by `npm run bench`: a figure to check by hand, well under a second.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { answer, dist, log, ms, now, OUT, options, summary } from './lib/common.mjs';

const opts = options();
const count = Number(opts.findings ?? 40_000);
const runs = Number(opts.runs ?? 5);
const { buildJunit } = await dist('reporting/junit.js');

/** `n` failing items on one rule of one pack, beside a passing rule (the shape of an evaluation's CI output). */
function input(n) {
  const rule = (ruleId, state, fail) => ({ packId: 'cis', ruleId, title: ruleId, state, counts: { pass: 0, fail } });
  const findings = Array.from({ length: n }, (_, i) => ({
    packId: 'cis',
    ruleId: 'endpoint.agent-healthy',
    requirements: [{ pack: 'cis', id: '10.1' }],
    status: 'fail',
    severity: 'high',
    source: 'sentinelone',
    snapshotId: 'bench',
    item: { id: `agent-${i}`, name: `HOST-${i}` },
    message: `HOST-${i}: the agent is not healthy (inactive)`,
    evidence: { health: 'inactive' },
    origin: { part: 'body', pointer: `/data/${i}` },
    waiverId: null,
    fingerprint: `endpoint.agent-healthy:agent-${i}`,
    new: i % 2 === 0,
  }));
  return {
    evaluation: { id: 'bench', asOf: new Date().toISOString() },
    packs: [{ id: 'cis', title: 'CIS Controls v8.1' }],
    rules: [rule('endpoint.agent-healthy', 'fail', n), rule('endpoint.protection-on', 'pass', 0)],
    findings,
  };
}

const data = input(count);
let bytes = buildJunit(data).length; // warm-up
const times = [];
for (let i = 0; i < runs; i++) {
  const t = now();
  bytes = buildJunit(data).length;
  times.push(ms(t));
  log(`junit, ${count} findings on one rule: ${times[i].toFixed(1)} ms`);
}
mkdirSync(OUT, { recursive: true });
answer({ out: opts.out ?? join(OUT, 'junit.json') }, { findings: count, bytes, ...summary(times, 1) });
answer({}, { findings: count, bytes, ...summary(times, 1) });
