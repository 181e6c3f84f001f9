/**
 * One CI ingest, taken apart: the use cases the HTTP route runs (ingestSnapshot, then
 * which now also runs the evaluation) called in process and in sequence on PostgreSQL, with distinct ~20 KB nftables
 * exports; per request: wall time per use case, the adapter and evaluate() alone, how many
 * queries and how many bytes of SQL + parameters go to PostgreSQL, and table growth. A diagnostic
 * for the b profile, not part of `npm run bench`.
 *
 *   node bench/diagnose/ingest-phases.mjs [--data bench/out/data] [--requests 300]
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { dist, OUT, options } from '../lib/common.mjs';
import { diagnoseTenant } from '../lib/diagnose.mjs';

const opts = options();
const N = Number(opts.requests ?? 300);
const pg = createRequire(import.meta.url)('pg');
const { ingestSnapshot } = await dist('domain/ingest-snapshot.js');
const { runAdapter } = await dist('adapters/run-adapter.js');
const { adapterFor } = await dist('adapters/registry.js');
const { evaluate } = await dist('engine/evaluate.js');

// count what goes to PostgreSQL (pg sends Buffers as binary parameters: counted at their length)
let counting = false;
const sent = { queries: 0, bytes: 0, byStatement: new Map() };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, cb) {
  if (counting) {
    const text = typeof config === 'string' ? config : (config?.text ?? '');
    const vals = (typeof config === 'object' && config?.values) || values || [];
    const size =
      vals.reduce(
        (s, v) =>
          s +
          (v == null
            ? 0
            : Buffer.isBuffer(v)
              ? v.length
              : Buffer.byteLength(typeof v === 'object' ? JSON.stringify(v) : String(v))),
        0,
      ) + text.length;
    sent.queries++;
    sent.bytes += size;
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 50);
    const e = sent.byStatement.get(key) ?? { n: 0, bytes: 0 };
    e.n++;
    e.bytes += size;
    sent.byStatement.set(key, e);
  }
  return query.call(this, config, values, cb);
};

const { database, catalog, ctx, tenant, close } = await diagnoseTenant('diagnose');
try {
  const template = readFileSync(join(opts.data ?? join(OUT, 'data'), 'nftables/ci-template.json'), 'utf8');
  const body = (tag) => Buffer.from(template.replace('ci-build 000000000', `ci-build ${tag}`));
  const input = (b) => ({
    tenant,
    source: 'nftables',
    contentType: 'application/json',
    body: async () => b,
    labels: {},
    internetInterfaces: ['eth0'],
  });
  for (let i = 0; i < 20; i++) {
    await ingestSnapshot(ctx(), input(body(`w${String(i).padStart(8, '0')}`)));
  }
  const sizes = async () =>
    Object.fromEntries(
      (
        await database.db.execute(
          `select relname, pg_total_relation_size(oid)::bigint as b from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`,
        )
      ).rows.map((r) => [r.relname, Number(r.b)]),
    );
  const before = await sizes();
  const t = { adapter: 0, evaluate: 0, ingest: 0 };
  counting = true;
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const b = body(String(i).padStart(9, '0'));
    let s = performance.now();
    const r = runAdapter(adapterFor('nftables'), [{ name: 'body', bytes: b }], {
      clients: [],
      internetInterfaces: ['eth0'],
    });
    t.adapter += performance.now() - s;
    s = performance.now();
    evaluate({
      catalog,
      packIds: tenant.packs,
      asOf: new Date(),
      snapshots: [{ id: 'x', kind: 'firewall', source: 'nftables', instance: 'default', document: r.document }],
    });
    t.evaluate += performance.now() - s;
    counting = true;
    s = performance.now();
    await ingestSnapshot(ctx(), input(b));
    t.ingest += performance.now() - s;
  }
  const wall = performance.now() - start - t.adapter - t.evaluate;
  counting = false;
  const after = await sizes();
  const per = (x) => (x / N).toFixed(2);
  console.log(`${N} ingests in sequence, per request:`);
  console.log(
    `  ingestSnapshot (store and evaluate) ${per(t.ingest)} ms = ${per(wall)} ms wall (one connection, no concurrency)`,
  );
  console.log(
    `  of which pure CPU: the nftables adapter ${per(t.adapter)} ms, evaluate() of ${tenant.packs.length} packs ${per(t.evaluate)} ms`,
  );
  console.log(
    `  ${(sent.queries / N).toFixed(1)} queries, ${(sent.bytes / N / 1024).toFixed(0)} KB of SQL + parameters sent to PostgreSQL:`,
  );
  for (const [k, e] of [...sent.byStatement].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8))
    console.log(`    ${(e.n / N).toFixed(1)}x ${(e.bytes / N / 1024).toFixed(1).padStart(6)} KB  ${k}`);
  console.log('  table growth per request:');
  for (const k of Object.keys(after))
    if (after[k] > (before[k] ?? 0))
      console.log(`    ${k}: ${((after[k] - (before[k] ?? 0)) / N / 1024).toFixed(1)} KB`);
} finally {
  await close();
}
