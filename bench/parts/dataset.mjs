/**
 * Checks the generated exports are what the bench claims: every export goes through its real
 * adapter (schema validation included) and the engine with every pack, and the per-rule mix is
 * reported (pass / fail / insufficient evidence / n/a), so "a few % failing each rule, some
 * unknowns" is measured, not asserted.
 *
 *   node bench/parts/dataset.mjs --data bench/out/data --as-of 2026-11-26T00:00:00Z [--out f.json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer, dist, EXPORTS, log, ms, now, options } from '../lib/common.mjs';

const opts = options();
const { runAdapter } = await dist('adapters/run-adapter.js');
const { adapterFor } = await dist('adapters/registry.js');
const { readRuleFiles } = await dist('config/rule-files.js');
const { compileCatalog } = await dist('engine/compile-catalog.js');
const { evaluate } = await dist('engine/evaluate.js');

const catalog = compileCatalog(readRuleFiles());
const asOf = new Date(opts.asOf);
const results = [];
for (const e of EXPORTS) {
  const adapter = adapterFor(e.source);
  const parts = e.parts.map(([name, file]) => ({ name, bytes: readFileSync(join(opts.data, file)) }));
  const bytes = parts.reduce((n, p) => n + p.bytes.length, 0);
  const t0 = now();
  const result = runAdapter(adapter, parts, { clients: [], internetInterfaces: e.internetInterfaces });
  const adapterMs = ms(t0);
  const t1 = now();
  const out = evaluate({
    catalog,
    packIds: [...catalog.packs.keys()],
    asOf,
    snapshots: [
      {
        id: 'bench',
        kind: adapter.kind,
        source: e.source,
        instance: result.instance ?? 'default',
        document: result.document,
      },
    ],
  });
  const evaluateMs = ms(t1);
  const doc = result.document;
  const items = {
    identity: doc.users?.length,
    endpoint: doc.endpoints?.length,
    firewall: doc.rules?.length,
    technicians: doc.technicians?.length,
  }[adapter.kind];
  const rules = {};
  for (const r of out.rules) {
    if (r.kind !== adapter.kind || rules[r.ruleId]) continue;
    const judged = r.counts.pass + r.counts.fail + r.counts.insufficient_evidence + r.counts.error + r.counts.waived;
    const pct = (x) => (judged === 0 ? 0 : Number(((100 * x) / judged).toFixed(2)));
    const ofItems = (x) => Number(((100 * x) / Math.max(1, judged + r.counts.not_applicable)).toFixed(2));
    rules[r.ruleId] = {
      ...r.counts,
      failPct: pct(r.counts.fail),
      unknownPct: pct(r.counts.insufficient_evidence),
      errorPct: pct(r.counts.error),
      failOfAllPct: ofItems(r.counts.fail),
      unknownOfAllPct: ofItems(r.counts.insufficient_evidence),
    };
  }
  const warningCodes = {};
  for (const w of result.warnings) warningCodes[w.code] = (warningCodes[w.code] ?? 0) + 1;
  results.push({
    source: e.source,
    kind: adapter.kind,
    bytes,
    items,
    adapterMs: Math.round(adapterMs),
    evaluateMs: Math.round(evaluateMs),
    findings: out.findings.length,
    warnings: warningCodes,
    rules,
  });
  log(
    `dataset: ${e.source}: ${items} ${adapter.kind} items, ${(bytes / 1e6).toFixed(1)} MB, adapter ${Math.round(adapterMs)} ms, evaluate ${Math.round(evaluateMs)} ms`,
  );
}
answer(opts, results);
