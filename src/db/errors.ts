/**
 * What a database error means for the caller, read from its SQLSTATE — the one place that knows
 * PostgreSQL's codes — or, for the errors the drivers raise themselves (time-outs, a connection
 * gone), from the socket error code or the driver's message. drizzle wraps the driver's error
 * (DrizzleQueryError): the code is on its cause.
 */
export type DatabaseFault =
  /** a unique index refused the row: a concurrent request created the same thing first */
  | 'unique_violation'
  /** PostgreSQL stores no U+0000, in text (22021) or jsonb (22P05): the input held one */
  | 'unstorable_character'
  /** the database did not answer in time, refused or lost the connection, or is shutting down: retry later */
  | 'unavailable';

/**
 * SQLSTATEs that say "not now": connection exceptions (08), too many connections (53300),
 * operator intervention (57P01–57P05: shutdown, crash recovery, cannot connect now), a statement
 * cancelled by `statement_timeout` (57014), a session ended by
 * `idle_in_transaction_session_timeout` (25P03) and a `lock_timeout` (55P03). A full disk or
 * memory (53100, 53200) stays a 500: it needs an operator, not a retry in five seconds.
 */
const UNAVAILABLE_STATE = /^(08...|53300|57P0[1-5]|57014|25P03|55P03)$/;

/** Socket errors of a connection to the server (node's `code`). */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Errors pg, pg-pool and PGlite raise without a code: a query past `query_timeout`, no pooled
 * connection within `connectionTimeoutMillis`, a connection attempt past it, a connection that
 * ended under a query, a client that lost its connection earlier, a pool or PGlite closed (the
 * process is shutting down), and our own ping time-out (pg-pool.ts).
 */
const UNAVAILABLE_MESSAGE =
  /^(Query read timeout|timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end|PGlite is closed|the database did not answer)/;

/** The fault an error (or the error it wraps, a few levels down) stands for, if it is one we know. */
export function classifyDatabaseError(err: unknown): DatabaseFault | undefined {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const fault = faultOf(e as { code?: unknown; message?: unknown; errors?: unknown });
    if (fault) return fault;
  }
  return undefined;
}

function faultOf(e: { code?: unknown; message?: unknown; errors?: unknown }): DatabaseFault | undefined {
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code === '23505') return 'unique_violation';
  if (code === '22021' || code === '22P05') return 'unstorable_character';
  if (code && (UNAVAILABLE_STATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return 'unavailable';
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return 'unavailable';
  // a connection refused on every address of a host name is an AggregateError of socket errors
  if (Array.isArray(e.errors) && e.errors.length > 0) return faultOf(e.errors[0] as typeof e);
  return undefined;
}
