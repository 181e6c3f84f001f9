import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messages } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../../../src/db/client.js';
import { PGliteThread } from '../../../src/db/pglite-thread.js';
import { SLOW_MS } from '../../helpers/timeouts.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rowsOf = async <T>(db: Database['db'], q: ReturnType<typeof sql>) =>
  ((await db.execute(q)) as unknown as { rows: T[] }).rows;

/** The longest gap between ticks of a 10 ms timer while `work` runs, and how long it ran. */
async function loopGapDuring(work: () => Promise<unknown>): Promise<{ gapMs: number; tookMs: number }> {
  let last = performance.now();
  let gapMs = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    gapMs = Math.max(gapMs, t - last);
    last = t;
  }, 10);
  const start = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { gapMs, tookMs: performance.now() - start };
}

describe('the embedded PGlite in its own thread', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({});
    await database.db.execute(sql`create table t (id int primary key, b bytea, j jsonb)`);
  }, SLOW_MS);
  afterAll(() => database?.close());

  it("is PGlite's interface over a thread", () => {
    expect((database.db as unknown as { $client: unknown }).$client).toBeInstanceOf(PGliteThread);
  });

  it("leaves this thread's event loop free while Postgres works", async () => {
    // one statement that keeps the WebAssembly Postgres busy for a while (a second or more here)
    const { gapMs, tookMs } = await loopGapDuring(() =>
      database.db.execute(sql`select sum(length(md5(x::text))) from generate_series(1, 400000) x`),
    );
    expect(tookMs).toBeGreaterThan(200);
    // in this thread the timer was late by the whole statement; now it ticks on through it
    expect(gapMs).toBeLessThan(tookMs / 2);
  });

  it('round-trips bytea, jsonb and arrays, with our bytea codec', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7); // a message long enough to be transferred
    await database.db.execute(sql`insert into t values (1, ${bytes}, ${JSON.stringify({ a: [1, 'x'] })})`);
    const [row] = await rowsOf<{ b: Buffer; j: unknown; a: number[] }>(
      database.db,
      sql`select b, j, array[1, 2]::int[] as a from t where id = 1`,
    );
    expect(Buffer.isBuffer(row!.b) && row!.b.equals(bytes)).toBe(true);
    expect(bytes.length).toBe(3 * 1024 * 1024); // the caller's buffer is untouched (not detached)
    expect(row!.j).toEqual({ a: [1, 'x'] });
    expect(row!.a).toEqual([1, 2]);
    await database.db.execute(sql`delete from t`);
  });

  it("raises PostgreSQL's errors as PGlite's DatabaseError, with their SQLSTATE", async () => {
    await database.db.execute(sql`insert into t (id) values (2)`);
    const err = await database.db.execute(sql`insert into t (id) values (2)`).catch((e: unknown) => e);
    expect((err as { cause?: unknown }).cause).toBeInstanceOf(messages.DatabaseError);
    expect((err as { cause: { code: string; constraint: string } }).cause).toMatchObject({
      code: '23505',
      constraint: 't_pkey',
    });
    expect(database.classifyError(err)).toBe('unique_violation');
    await database.db.execute(sql`delete from t`);
  });

  it('rolls a transaction back whole when it fails midway, and serves the next one', async () => {
    const failed = database.db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into t (id) values (10)`);
        await tx.execute(sql`insert into t (id) values (11)`);
        await tx.execute(sql`insert into t (id) values (10)`);
      })
      .catch((e: unknown) => e);
    // another caller's statement waits for the transaction, never runs inside it
    const other = database.db.execute(sql`insert into t (id) values (12)`);
    expect(database.classifyError(await failed)).toBe('unique_violation');
    await other;
    expect(await rowsOf<{ id: number }>(database.db, sql`select id from t order by id`)).toEqual([{ id: 12 }]);
    await database.db.execute(sql`delete from t`);
  });
});

describe('closing the embedded PGlite thread', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(
    'waits for the transaction under way, which commits; later calls fail as unavailable',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'posture-pglite-thread-'));
      dirs.push(dataDir);
      const first = await openDatabase({ dataDir });
      await first.db.execute(sql`create table t (id int primary key)`);
      let inside!: () => void;
      const started = new Promise<void>((r) => (inside = r));
      const tx = first.db.transaction(async (t) => {
        await t.execute(sql`insert into t values (1)`);
        inside();
        await sleep(300);
        await t.execute(sql`insert into t values (2)`);
      });
      await started;
      await first.close();
      await tx; // committed before the close went through
      const after = await first.db.execute(sql`select 1`).catch((e: unknown) => e);
      expect(first.classifyError(after)).toBe('unavailable');

      const second = await openDatabase({ dataDir });
      try {
        expect(await rowsOf<{ id: number }>(second.db, sql`select id from t order by id`)).toEqual([
          { id: 1 },
          { id: 2 },
        ]);
      } finally {
        await second.close();
      }
    },
    SLOW_MS * 2,
  );

  it(
    "reports PGlite's start-up error, and frees the data dir's lock",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'posture-pglite-thread-'));
      dirs.push(dataDir);
      // pgdata is a file, not a directory: PGlite cannot open it
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dataDir, 'pgdata'), 'not a data dir');
      await expect(openDatabase({ dataDir })).rejects.toThrow();
      rmSync(join(dataDir, 'pgdata'));
      const again = await openDatabase({ dataDir }); // the lock was released
      await again.close();
    },
    SLOW_MS * 2,
  );
});
