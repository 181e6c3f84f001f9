/**
 * One 50 MB SentinelOne ingest, taken apart: the steps of the ingest route called in process on
 * PostgreSQL, each with the process's peak RSS over its RSS before it (VmHWM reset through
 * /proc/self/clear_refs before each step, gc() in between). A diagnostic for the c analysis, not
 * part of `npm run bench`.
 *
 *   node --expose-gc bench/diagnose/big-phases.mjs [--data bench/out/data]
 * (The `--collapse` what-if of ANALYSIS.md is gone: since 5fdde37 the engine itself reports one
 * finding per snapshot for a field that no agent the rule applies to carries.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dist, OUT, options } from '../lib/common.mjs';
import { diagnoseTenant } from '../lib/diagnose.mjs';

const opts = options();
if (!globalThis.gc) throw new Error('run with node --expose-gc');
const { ingestSnapshot } = await dist('domain/ingest-snapshot.js');
const { runAdapter } = await dist('adapters/run-adapter.js');
const { adapterFor } = await dist('adapters/registry.js');

const mem = () => {
  const s = readFileSync('/proc/self/status', 'utf8');
  const mb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)[1]) / 1024;
  return { rss: mb('VmRSS'), hwm: mb('VmHWM') };
};
async function step(label, fn) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 50));
  const before = mem();
  writeFileSync('/proc/self/clear_refs', '5');
  const t = performance.now();
  const r = await fn();
  const ms = performance.now() - t;
  const after = mem();
  console.log(
    `${label.padEnd(62)} ${ms.toFixed(0).padStart(6)} ms  RSS ${before.rss.toFixed(0).padStart(4)} MB → peak ${after.hwm.toFixed(0).padStart(4)} MB (+${(after.hwm - before.rss).toFixed(0)} MB)`,
  );
  return r;
}

const { database, ctx, tenant, close } = await diagnoseTenant('diagnose_big');
try {
  const body = await step('read the body into a Buffer', () =>
    readFileSync(join(opts.data ?? join(OUT, 'data'), 'sentinelone/agents-big.json')),
  );
  console.log(`(body ${(body.length / 1e6).toFixed(1)} MB)`);
  await step('decode + JSON.parse, nothing kept', () => void JSON.parse(new TextDecoder().decode(body)));
  const result = await step('runAdapter (decode, parse, schemas, normalise), document kept', () =>
    runAdapter(adapterFor('sentinelone'), [{ name: 'body', bytes: body }], { clients: [] }),
  );
  await step(
    'JSON.stringify(document) (what documentSha256 hashes)',
    () => void JSON.stringify(result.document).length,
  );
  await step('ingestSnapshot (the adapter again, hashes, insert; evaluate, insert the findings)', () =>
    ingestSnapshot(ctx(), {
      tenant,
      source: 'sentinelone',
      contentType: 'application/json',
      body: async () => body,
      labels: {},
    }),
  );
  const [row] = (await database.db.execute('select count(*)::int as n from findings')).rows;
  console.log(`findings stored: ${row.n}`);
} finally {
  await close();
}
