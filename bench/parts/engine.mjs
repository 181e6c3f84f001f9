/**
 * Part a, in process: the endpoint rules of the catalogue over the CrowdStrike export's canonical
 * document, against JSON.parse of the same export's raw bytes (bytes → UTF-8 string → parse, both
 * parts), in the same process. Also each endpoint rule alone, and (for the record) the adapter
 * step that sits between the two (decode, parse, vendor-schema check, normalise, canonical check).
 *
 *   node --expose-gc bench/parts/engine.mjs --data bench/out/data --as-of ISO [--runs 5] [--out f.json]
 *     [--profile-out F.cpuprofile]   (then: a CPU profile of three evaluate() calls alone, no measurement)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { answer, dist, log, ms, now, options, summary } from '../lib/common.mjs';

const opts = options();
const runs = Number(opts.runs ?? 5);
const asOf = new Date(opts.asOf);
const gc = globalThis.gc ?? (() => {});
const { runAdapter } = await dist('adapters/run-adapter.js');
const { adapterFor } = await dist('adapters/registry.js');
const { readRuleFiles } = await dist('config/rule-files.js');
const { compileCatalog } = await dist('engine/compile-catalog.js');
const { evaluate } = await dist('engine/evaluate.js');

const devicesBytes = readFileSync(join(opts.data, 'crowdstrike/devices.json'));
const policiesBytes = readFileSync(join(opts.data, 'crowdstrike/policies.json'));
const rawBytes = devicesBytes.length + policiesBytes.length;

const catalog = compileCatalog(readRuleFiles());
const endpointRules = [...catalog.rules.values()]
  .filter((r) => r.kind === 'endpoint')
  .map((r) => r.id)
  .sort();

/** A catalogue with one synthetic pack holding `ruleIds` (rule defaults for every parameter). */
function benchCatalog(id, ruleIds) {
  const pack = {
    id,
    version: 'bench',
    title: `bench: ${id}`,
    parameters: {},
    file: 'bench',
    sha256: '',
    requirements: [
      {
        id: 'all',
        title: 'all',
        citation: 'bench',
        family: 'bench',
        rationale: '',
        rules: ruleIds,
        manual: false,
        informational: false,
      },
    ],
  };
  return { rules: catalog.rules, packs: new Map([[id, pack]]) };
}

function parseOnce() {
  const t = now();
  const devices = JSON.parse(devicesBytes.toString('utf8'));
  const policies = JSON.parse(policiesBytes.toString('utf8'));
  const elapsed = ms(t);
  if (!Array.isArray(devices.resources) || !Array.isArray(policies.resources))
    throw new Error('unexpected export shape');
  return elapsed;
}

const t0 = now();
const result = runAdapter(
  adapterFor('crowdstrike'),
  [
    { name: 'devices', bytes: devicesBytes },
    { name: 'policies', bytes: policiesBytes },
  ],
  { clients: [] },
);
const adapterMs = ms(t0);
const snapshots = [
  {
    id: 'bench',
    kind: 'endpoint',
    source: 'crowdstrike',
    instance: result.instance ?? 'default',
    document: result.document,
  },
];
const endpoints = result.document.endpoints.length;
log(`engine: ${endpoints} endpoints, ${(rawBytes / 1e6).toFixed(1)} MB raw; adapter ${Math.round(adapterMs)} ms`);

function evaluateOnce(cat, packId) {
  const t = now();
  const out = evaluate({ catalog: cat, packIds: [packId], asOf, snapshots });
  const elapsed = ms(t);
  return { elapsed, findings: out.findings.length, rules: out.rules };
}

const all = benchCatalog('bench-endpoint', endpointRules);

if (opts.profileOut) {
  // the profile of evaluate() alone: the inspector profiler runs only around those calls
  evaluateOnce(all, 'bench-endpoint');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  for (let i = 0; i < 3; i++) evaluateOnce(all, 'bench-endpoint');
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(opts.profileOut, JSON.stringify(profile));
  session.disconnect();
  answer(opts, { profile: opts.profileOut });
  process.exit(0);
}
// warm-up (JIT, CEL program caches), not measured
parseOnce();
let last = evaluateOnce(all, 'bench-endpoint');
const parse = [];
const evaluateMs = [];
const ratio = [];
for (let i = 0; i < runs; i++) {
  gc();
  const p = parseOnce();
  gc();
  last = evaluateOnce(all, 'bench-endpoint');
  parse.push(p);
  evaluateMs.push(last.elapsed);
  ratio.push(last.elapsed / p);
  log(
    `engine: run ${i + 1}/${runs}: JSON.parse ${p.toFixed(0)} ms, evaluate ${last.elapsed.toFixed(0)} ms (${(last.elapsed / p).toFixed(2)}x)`,
  );
}
const parseSummary = summary(parse, 1);
const perRule = {};
for (const id of endpointRules) {
  const cat = benchCatalog(id, [id]);
  evaluateOnce(cat, id);
  const times = [];
  let r;
  for (let i = 0; i < runs; i++) {
    gc();
    r = evaluateOnce(cat, id);
    times.push(r.elapsed);
  }
  const s = summary(times, 1);
  perRule[id] = {
    ms: s,
    ratioToParse: Number((s.median / parseSummary.median).toFixed(3)),
    findings: r.findings,
    counts: r.rules[0].counts,
  };
  log(`engine: ${id}: ${s.median} ms (${perRule[id].ratioToParse}x JSON.parse), ${r.findings} findings`);
}
answer(opts, {
  endpoints,
  rawBytes,
  rules: endpointRules,
  adapterMs: Math.round(adapterMs),
  findings: last.findings,
  parseMs: parseSummary,
  evaluateMs: summary(evaluateMs, 1),
  ratio: summary(ratio, 3),
  perRule,
});
