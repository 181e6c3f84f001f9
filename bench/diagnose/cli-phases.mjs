/**
 * Where `posture evaluate` spends its time: the steps of src/cli/evaluate.ts run(), timed one by
 * one in process, with variants of the output step and of the findings volume (what-ifs for the
 * profile analysis, never part of `npm run bench`).
 *
 *   node bench/diagnose/cli-phases.mjs [--data bench/out/data] [--as-of ISO] [--output as-is|compact]
 *     --output as-is: one pretty-printed JSON string, as `posture evaluate` wrote it before 6669ac2
 *     --output compact: the same JSON without indentation, written in 1 MB pieces
 * (The `--collapse` what-if of ANALYSIS.md is gone: since d21efb3 the engine itself reports one
 * finding per snapshot for a field that no item of it carries.)
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { dist, OUT, options } from '../lib/common.mjs';

const t0 = performance.now();
const opts = options();
const data = opts.data ?? join(OUT, 'data');
const asOf = new Date(opts.asOf ?? JSON.parse(readFileSync(join(data, 'manifest.json'), 'utf8')).anchor);
const { runAdapter } = await dist('adapters/run-adapter.js');
const { adapterFor } = await dist('adapters/registry.js');
const { readRuleFiles } = await dist('config/rule-files.js');
const { compileCatalog } = await dist('engine/compile-catalog.js');
const { evaluate } = await dist('engine/evaluate.js');
const { gate } = await dist('cli/ci-output.js');
const { validate } = await dist('schemas/validator.js');
const marks = [];
let last = performance.now();
marks.push(["imports (the evaluate command's modules only)", Math.round(last - t0)]);
const mark = (name) => {
  const n = performance.now();
  marks.push([name, Math.round(n - last)]);
  last = n;
};
const parts = [
  { name: 'devices', bytes: readFileSync(join(data, 'crowdstrike/devices.json')) },
  { name: 'policies', bytes: readFileSync(join(data, 'crowdstrike/policies.json')) },
];
mark('read the files');
const adapter = adapterFor('crowdstrike');
const text = new TextDecoder('utf-8', { fatal: true }).decode(parts[0].bytes);
mark('  decode UTF-8 (devices)');
const value = JSON.parse(text);
mark('  JSON.parse (devices)');
validate(adapter.parts[0].schema, value);
mark('  vendor part schema (ajv)');
const result = runAdapter(adapter, parts, { clients: [] });
mark('runAdapter: all of the above again + normalise + storable + canonical schema');
const catalog = compileCatalog(readRuleFiles());
mark('compileCatalog (read, YAML, CEL compile)');
const packIds = [...catalog.packs.values()]
  .filter((p) => p.requirements.some((q) => q.rules.some((r) => catalog.rules.get(r)?.kind === 'endpoint')))
  .map((p) => p.id);
const out = evaluate({
  catalog,
  packIds,
  asOf,
  snapshots: [
    {
      id: 'local',
      kind: 'endpoint',
      source: 'crowdstrike',
      instance: result.instance ?? 'default',
      document: result.document,
    },
  ],
});
mark(`evaluate (${packIds.length} packs, ${out.findings.length} findings)`);
const mine = (id) => catalog.rules.get(id)?.kind === 'endpoint';
const rules = out.rules.filter((r) => mine(r.ruleId));
const findings = out.findings.filter((f) => mine(f.ruleId)).map((f) => ({ ...f, new: true }));
mark('ofKind + { ...f, new: true }');
const distinct = new Set(findings.map((f) => f.fingerprint)).size;
const insufficient = findings.filter((f) => f.status === 'insufficient_evidence').length;
last = performance.now();
const doc = {
  source: 'crowdstrike',
  asOf: asOf.toISOString(),
  warnings: result.warnings,
  rules,
  findings,
  missingEvidence: out.missingEvidence,
};
if ((opts.output ?? 'as-is') === 'as-is') {
  const json = JSON.stringify(doc, null, 2);
  mark(`JSON.stringify(…, null, 2): ${(json.length / 1e6).toFixed(0)} MB`);
  gate(findings, 'high', true);
  mark('gate (exit code)');
  const fd = openSync('/dev/null', 'w');
  writeSync(fd, json + '\n');
  closeSync(fd);
  mark('write: text + "\\n" → UTF-8 → fd');
} else {
  const fd = openSync('/dev/null', 'w');
  let buf = `{"source":"crowdstrike","asOf":${JSON.stringify(doc.asOf)},"warnings":${JSON.stringify(doc.warnings)},"rules":${JSON.stringify(rules)},"findings":[`;
  let bytes = 0;
  for (let i = 0; i < findings.length; i++) {
    buf += (i ? ',' : '') + JSON.stringify(findings[i]);
    if (buf.length > 1 << 20) {
      bytes += buf.length;
      writeSync(fd, buf);
      buf = '';
    }
  }
  buf += `],"missingEvidence":${JSON.stringify(doc.missingEvidence)}}\n`;
  bytes += buf.length;
  writeSync(fd, buf);
  closeSync(fd);
  mark(`compact JSON written in 1 MB pieces: ${(bytes / 1e6).toFixed(0)} MB`);
}
marks.push([
  "TOTAL in process (node start-up and the CLI's other commands' imports not included)",
  Math.round(performance.now() - t0),
]);
for (const [n, v] of marks) console.log(`${String(v).padStart(7)} ms  ${n}`);
console.log(`findings ${findings.length}: ${distinct} distinct fingerprints, ${insufficient} insufficient evidence`);
