/**
 * What the pool must never do when the database fails under a transaction: crash the process
 * (a checked-out connection that dies emits 'error'), or hand a connection still inside a
 * timed-out transaction to the next caller (whose COMMIT would commit the abandoned writes).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const TIMEOUTS = { connectTimeoutMs: 500, statementTimeoutMs: 500, idleInTransactionTimeoutMs: 60_000 };

describe('the pool under a failing database', () => {
  let proxy: TcpProxy;
  let database: Database;
  const direct = new pg.Client({ connectionString: process.env.DATABASE_URL });

  beforeAll(async () => {
    const url = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    // the migrations run through the owner's URL when there is one (as in CI: the service's login
    // role owns nothing and may not create them)
    database = await openDatabase({
      url: proxy.urlFor(url.toString()),
      ownerUrl: process.env.POSTURE_DATABASE_OWNER_URL,
      timeouts: TIMEOUTS,
    });
    await database.migrate();
    await direct.connect();
  });
  afterAll(async () => {
    proxy.resume();
    await database.close();
    await proxy.close();
    await direct.end();
  });

  const probeExists = async (key: string) =>
    (await direct.query('select 1 from rate_limits where key = $1', [key])).rowCount === 1;

  it('never commits the writes of a transaction that timed out, once the database is back', async () => {
    const key = `probe:${randomUUID()}`;
    const abandoned = database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into rate_limits (key, hits, reset_at) values (${key}, 1, now())`);
      proxy.pause();
      await tx.execute(sql`select 1`);
    });
    await expect(abandoned).rejects.toThrow();
    expect(database.classifyError(await abandoned.catch((err: unknown) => err))).toBe('unavailable');
    proxy.resume();
    // the pool hands out its most recently released connection first: the abandoned one, if kept
    for (let i = 0; i < 5; i++) await database.db.transaction(async (tx) => void (await tx.execute(sql`select 1`)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await probeExists(key)).toBe(false);
  });

  it('fails a transaction whose connection is cut, without crashing the process', async () => {
    const cut = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      setTimeout(() => proxy.drop(), 50);
      await tx.execute(sql`select pg_sleep(1)`);
    });
    await expect(cut).rejects.toThrow();
    expect(database.classifyError(await cut.catch((err: unknown) => err))).toBe('unavailable');
    await database.ping();
  });
});
