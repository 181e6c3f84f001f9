/**
 * The PostgreSQL pool, built so that a database that stops answering costs a request seconds,
 * never the process: every wait has a bound, and a connection that timed out inside a
 * transaction is thrown away rather than handed to the next request.
 */
import pg from 'pg';

/** Field names match the configuration's (config/availability.ts); see the README for defaults. */
export interface PoolTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/** The client gives up this long after the server should have cancelled the statement itself. */
export const QUERY_GRACE_MS = 1000;

/** A dead peer (host gone, cable cut) is noticed by TCP keepalive after about this long plus its probes. */
const KEEPALIVE_DELAY_MS = 10_000;

/** Without timeouts (the CLI's one-off commands), waits are as long as the server takes. */
export function createPool(url: string, timeouts?: PoolTimeouts): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    ...(timeouts && {
      connectionTimeoutMillis: timeouts.connectTimeoutMs,
      statement_timeout: timeouts.statementTimeoutMs,
      query_timeout: timeouts.statementTimeoutMs + QUERY_GRACE_MS,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
    }),
  });
  // An idle client's connection error must not crash the process; the next query reports it.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    // A checked-out client whose connection dies emits 'error' too, and pg-pool listens only to
    // idle ones: without this the process would crash. Its queries fail, and it leaves the pool.
    client.on('error', () => {});
  });
  pool.on('release', (err, client) => {
    // NOTE: pg's query_timeout rejects the query but leaves it running on the connection, and a
    // rollback queued behind it times out unsent. Such a client still holds the open transaction
    // (status T or E): back in the pool, the next request's COMMIT would commit its writes.
    // Ending it here (before pg-pool's own check, which then drops it) lets the server roll back.
    if (!err && client.getTransactionStatus() !== 'I') client.end().catch(() => {});
  });
  return pool;
}

/** A dedicated connection for migrations: no statement time-out (a migration may take its time). */
export async function connectForMigration(url: string, timeouts?: PoolTimeouts): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    keepAlive: true,
    connectionTimeoutMillis: timeouts?.connectTimeoutMs,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** `work`, or a rejection (classified `unavailable`, db/errors.ts) once `ms` have passed without an answer. */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  work.catch(() => {}); // the loser of the race settles later: never an unhandled rejection
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
