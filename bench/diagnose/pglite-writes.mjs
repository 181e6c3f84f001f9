/**
 * Not run by `npm run bench`: how long one snapshot's store transaction holds the embedded PGlite
 * and the event loop (the longest gap of a 10 ms timer), for a raw body of RAW_MB (random bytes,
 * sealed as ingest seals them) and a canonical document of ENDPOINTS synthetic endpoints; an
 * optional SQL statement runs first (e.g. an `alter table … set storage external` to try).
 *
 *   npm run build && nice node bench/diagnose/pglite-writes.mjs RAW_MB ENDPOINTS ['SQL']
 */
import { openDatabase } from '../../dist/db/client.js';
import { insertSnapshot } from '../../dist/db/snapshots.js';
import { keyringOf } from '../../dist/core/sealing.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { sql } from 'drizzle-orm';
const dir = mkdtempSync('/tmp/pool-pgl-');
const database = await openDatabase({ dataDir: dir });
await database.migrate();
const db = database.system('probe');
const tenantId = randomUUID();
await database.db.execute(
  sql`insert into tenants (id, slug, name, kind, packs) values (${tenantId}, 'x', 'x', 'client', '[]'::jsonb)`,
);
if (process.argv[4]) await database.db.execute(sql.raw(process.argv[4]));
const raw = randomBytes(Number(process.argv[2]) * 1e6);
const doc = {
  endpoints: Array.from({ length: Number(process.argv[3]) }, (_, i) => ({
    id: `e${i}`,
    hostname: `host-${i}`,
    os: 'windows',
    agent: { vendor: 's1', version: '24.1', lastSeenAt: '2026-01-01T00:00:00Z' },
    origin: { part: 'body', pointer: `/data/${i}` },
    pad: 'x'.repeat(600),
  })),
};
const json = JSON.stringify(doc);
console.log('json MB', json.length / 1e6);
const ring = keyringOf([{ id: 'k', key: randomBytes(32) }]);
let maxGap = 0,
  last = performance.now();
const timer = setInterval(() => {
  const n = performance.now();
  maxGap = Math.max(maxGap, n - last);
  last = n;
}, 10);
const t = performance.now();
await db.transaction(async (tx) => {
  await insertSnapshot(
    tx,
    {
      tenantId,
      id: randomUUID(),
      kind: 'endpoint',
      source: 'sentinelone',
      instance: 'default',
      receivedAt: new Date(),
      sha256: 'a',
      documentSha256: 'b',
      contentType: 'application/json',
      parts: [],
      normalized: json,
      itemCount: 1,
      submittedBy: 'x',
    },
    raw,
    ring,
  );
});
console.log('tx ms', Math.round(performance.now() - t), 'max loop gap ms', Math.round(maxGap));
clearInterval(timer);
await database.close();
