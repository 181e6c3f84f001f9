/**
 * One schema, two drivers: a `pg` pool when DATABASE_URL is set, embedded PGlite (data in
 * POSTURE_DATA_DIR) when it is not. The same committed migrations run on both.
 */
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { chainUnchainedRows } from './audit.js';
import { classifyDatabaseError, type DatabaseFault } from './errors.js';
import { connectForMigration, createPool, type PoolTimeouts, within } from './pg-pool.js';
import { PgRateLimitStore } from './rate-limit-store.js';
import { ensureLoginRole, appRoleFor } from './roles.js';
import * as schema from './schema.js';
import { type Reach, type ScopedDb, scoped, APP_ROLE } from './scope.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: query functions accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface Database {
  /** unscoped: migrations and the system contexts only; requests use `scoped` */
  db: Db;
  driver: 'pg' | 'pglite';
  /** database work of a caller that reaches these tenants (row-level security, see scope.ts) */
  scoped(reach: Reach): ScopedDb;
  /**
   * Work that must cross tenants (start-up recovery, resolving a token's tenants, the public
   * verify, the slug check): every tenant is in reach. The reason is reported to `onSystem`.
   */
  system(reason: string): ScopedDb;
  /**
   * Maintenance through the owner's connection (`posture rotate-data-key --reencrypt`): every
   * tenant in reach, as the connection's own role — never used to serve a request.
   */
  maintenance(reason: string): ScopedDb;
  /** throws when the database cannot answer, within `timeoutMs` (default: the connect time-out, else 5 s) */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * A rate-limit store (one per limiter `name`) counting for every instance on this database;
   * absent on PGlite, where one process holds the database and counts in memory.
   */
  rateLimitStore?: (name: string) => PgRateLimitStore;
  /** what one of this database's errors means for the caller, if anything */
  classifyError(err: unknown): DatabaseFault | undefined;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

// Any constant: serialises migrations of several processes starting at once on one server.
const MIGRATION_LOCK = 7_210_551;

export interface OpenOptions {
  url?: string;
  /**
   * The owner's URL (POSTURE_DATABASE_OWNER_URL): migrations run through it, and it creates the
   * login role of `url` when missing. Without it, `url` migrates too.
   */
  ownerUrl?: string;
  /** PGlite data directory; `undefined` with no url = in memory (tests) */
  dataDir?: string;
  /**
   * In memory only: start from this image of a data dir (PGlite's `dumpDataDir()`) instead of an
   * empty cluster. Tests start from an image of a migrated database: PGlite's initdb takes most
   * of a test file's set-up (15-20 s on a busy 2-core machine, against 4-5 s from an image).
   */
  pgliteImage?: Blob;
  /** refuse to serve through a superuser or BYPASSRLS login (NODE_ENV=production) */
  production?: boolean;
  /** told the reason of every system context opened */
  onSystem?: (reason: string) => void;
  /** told once when the service drops from a privileged login to the app role in each transaction */
  onPrivilegedLogin?: (user: string) => void;
  /** PostgreSQL only; without them no wait is bounded (the CLI's one-off commands) */
  timeouts?: PoolTimeouts;
}

const DEFAULT_PING_MS = 5000;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.url ? openPg(opts.url, opts) : openPglite(opts.dataDir, opts);
}

async function openPg(url: string, opts: OpenOptions): Promise<Database> {
  const pool = createPool(url, opts.timeouts);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  let role: Promise<string | undefined> | undefined;
  const roleOnce = () => (role ??= appRoleFor(pool, opts));
  return {
    db,
    driver: 'pg',
    ...scopes(db, roleOnce, opts),
    classifyError: classifyDatabaseError,
    ping: async (ms = opts.timeouts?.connectTimeoutMs ?? DEFAULT_PING_MS) =>
      void (await within(ms, pool.query('select 1'))),
    rateLimitStore: (name) => new PgRateLimitStore(db, name),
    migrate: async () => {
      const client = await connectForMigration(opts.ownerUrl ?? url, opts.timeouts);
      try {
        await migrateWith(client);
        if (opts.ownerUrl) await ensureLoginRole(client, url);
      } finally {
        await client.end().catch(() => {});
      }
    },
    close: () => endWithin(pool, POOL_END_MS),
  };
}

/** On a dedicated connection (no statement time-out: a migration may take its time). */
async function migrateWith(client: pg.Client): Promise<void> {
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_DIR });
    await afterMigrations(drizzlePg(client, { schema }) as unknown as Db);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
  }
}

/** `scoped` and `system` over a database whose transactions drop to `role()` when it names one. */
function scopes(db: Db, role: () => Promise<string | undefined>, opts: OpenOptions) {
  const open = (reach: Reach): ScopedDb => ({
    reach,
    transaction: async (fn) => scoped(db, reach, { role: await role() }).transaction(fn),
  });
  return {
    scoped: open,
    system: (reason: string) => {
      opts.onSystem?.(reason);
      return open({ all: true });
    },
    maintenance: (reason: string) => {
      opts.onSystem?.(reason);
      return scoped(db, { all: true });
    },
  };
}

/**
 * A macrotask boundary: awaiting a resolved promise lets no I/O in, this does. Bulk writes call it
 * between their bounded chunks, so that on the embedded PGlite — whose statements run on this
 * thread — the event loop is held by one chunk at a time, never by a whole export.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const BYTEA_OID = 17;

/**
 * bytea in and out of PGlite through Node's native hex codec. NOTE: PGlite's own serializer builds
 * one string per byte (`Array.from(bytes).map(…)`), its parser one parseInt per byte: a 45 MB
 * export's raw chunks took ~9 s of this thread to serialise (bench/pool.mjs, the profile in
 * bench/ANALYSIS.md), while the whole database was held. `toString('hex')` does it in ~0.1 s.
 */
export const BYTEA_CODEC = {
  serializers: {
    [BYTEA_OID]: (value: unknown): string => {
      if (!(value instanceof Uint8Array)) throw new Error('bytea takes a Uint8Array');
      return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
    },
  },
  parsers: {
    // PostgreSQL's hex output: \x followed by two hex digits a byte
    [BYTEA_OID]: (text: string): Buffer => Buffer.from(text.slice(2), 'hex'),
  },
};

async function openPglite(dataDir: string | undefined, opts: OpenOptions): Promise<Database> {
  let client: PGlite;
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    unlock = lockDataDir(dataDir);
    try {
      client = await PGlite.create(join(dataDir, 'pgdata'), BYTEA_CODEC);
    } catch (err) {
      unlock();
      throw err;
    }
  } else {
    client = await PGlite.create({ ...BYTEA_CODEC, ...(opts.pgliteImage ? { loadDataDir: opts.pgliteImage } : {}) });
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    // PGlite's only user is the superuser postgres: every transaction drops to the app role
    ...scopes(db, async () => APP_ROLE, opts),
    classifyError: classifyDatabaseError,
    ping: async (ms = DEFAULT_PING_MS) => void (await within(ms, db.execute(sql`select 1`))),
    // PGlite is one connection in this process, and the data dir's lock keeps other processes out.
    migrate: async () => {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR });
      await afterMigrations(db);
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * Data steps a SQL migration cannot do: audit rows written before the hash chain existed are
 * chained once, per tenant, by (at, id) (RFC 8785 hashing is not SQL's).
 */
async function afterMigrations(db: Db): Promise<void> {
  // the owner is subject to the tables' forced row-level security too: this step crosses tenants
  await scoped(db, { all: true }).transaction((tx) => chainUnchainedRows(tx));
}

export const LOCK_FILE = 'posture.lock';

/** Another process (or another open database in this one) holds the data dir. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data dir ${dataDir} is in use by Posture process ${pid}; stop that process first (two on one embedded database lose writes), or remove ${join(dataDir, LOCK_FILE)} if it is not running`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Data dirs this process holds: its own pid in a lock file is stale unless it is listed here. */
const held = new Set<string>();

/**
 * PGlite has no lock of its own: two processes on one data dir both start, and each overwrites
 * the other's acknowledged writes. `<dataDir>/posture.lock`, created exclusively, holds the pid
 * (and the process's start time where /proc tells it); a lock whose process is alive refuses the
 * open; one whose process is gone (a crash, a `kill -9`, a container restart, a pid since reused
 * by another process) is taken over. Returns the release, which also runs at process exit. (A pid
 * says nothing across machines: one data dir on a network share used by two hosts is not detected.)
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  if (held.has(path)) throw new DataDirLockedError(dataDir, process.pid);
  // written aside and linked into place: the lock file exists only with its pid in it
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, `${process.pid} ${startTime(process.pid) ?? ''}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, path); // fails with EEXIST when the lock exists: atomic, like open(…, 'wx')
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
      }
      const owner = readLock(path);
      if (owner && isAlive(owner)) throw new DataDirLockedError(dataDir, owner.pid);
      // stale: remove it unless another process took it over meanwhile (then the next link fails)
      if (readLock(path)?.text === owner?.text) unlinkQuietly(path);
    }
  } finally {
    unlinkQuietly(mine);
  }
  held.add(path);
  const release = () => {
    process.off('exit', release);
    if (!held.delete(path)) return;
    if (readLock(path)?.pid === process.pid) unlinkQuietly(path);
  };
  process.on('exit', release);
  return release;
}

interface LockOwner {
  text: string;
  pid: number;
  /** the owner's start time (Linux /proc), when known: a pid reused by another process differs */
  start?: string;
}

function readLock(path: string): LockOwner | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, start] = text.trim().split(' ');
  const n = Number(pid);
  return Number.isSafeInteger(n) && n > 0 ? { text, pid: n, start: start || undefined } : { text, pid: 0 };
}

function isAlive({ pid, start }: LockOwner): boolean {
  if (pid <= 0 || pid === process.pid) return false; // own pid, not in `held`: a previous run that had it
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = start === undefined ? undefined : startTime(pid);
  return now === undefined || now === start;
}

/** Field 22 of /proc/<pid>/stat (clock ticks after boot); undefined where there is no /proc. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Raw SQL rows; both drivers answer `{rows}`. */
export async function queryRows<T>(db: Tx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * How long closing waits for connections still checked out. NOTE: `pool.end()` waits for every
 * client to be released; one held by a request that met a dropped or frozen connection may never
 * be, and a shutdown (SIGTERM) must not wait on it forever (a test's close hung past two minutes
 * after a database outage). Past this the pool's sockets are left to the process's exit.
 */
const POOL_END_MS = 5_000;

async function endWithin(pool: { end(): Promise<void> }, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([pool.end().catch(() => {}), gaveUp]);
  clearTimeout(timer);
}
