/**
 * Errors as they may be logged. drizzle wraps every database error as a DrizzleQueryError whose
 * message is the SQL *and every bound parameter* (`params: …`), and PGlite hangs `query`,
 * `params` and `queryOptions` on its own errors: logging either as is would copy the raw body of
 * an ingest (config.xml password hashes, private keys) into the log. What is logged of such an
 * error is the SQL text (placeholders only) and the database's code and message; never the
 * parameters, the composed message, or the server's `detail` (which quotes key values).
 */
import { stdSerializers } from 'pino';

/** A database error reduced to what may be logged. */
export class LoggedDatabaseError extends Error {
  constructor(
    name: string,
    message: string,
    stack: string | undefined,
    readonly code?: string,
    readonly sql?: string,
    readonly constraint?: string,
    cause?: LoggedDatabaseError,
  ) {
    super(message, cause ? { cause } : undefined);
    Object.defineProperty(this, 'name', { value: name, writable: true, configurable: true });
    this.stack = stack;
  }
}

const MAX_DEPTH = 5;

/** The error to log in place of `err`: itself when it carries nothing unsafe, else a safe copy. */
export function safeError(err: unknown, depth = 0): unknown {
  if (err === null || typeof err !== 'object' || depth > MAX_DEPTH) return err;
  const e = err as Error & { cause?: unknown };
  if (isDatabaseError(e)) return summarise(e, depth);
  if (e.cause === undefined) return err;
  const cause = safeError(e.cause, depth + 1);
  if (cause === e.cause) return err;
  // Same prototype (so the logged `type` stays), same fields, the cause replaced by its safe copy.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(e) as object) as Error, e);
  Object.defineProperties(copy, {
    name: { value: e.name, writable: true, configurable: true },
    message: { value: e.message, writable: true, configurable: true },
    stack: { value: e.stack, writable: true, configurable: true },
    cause: { value: cause, writable: true, configurable: true },
  });
  return copy;
}

/** pino's `err` serializer, on the safe copy. */
export function safeErrorSerializer(err: unknown): unknown {
  return stdSerializers.err(safeError(err) as Error);
}

/** drizzle's wrapper, PGlite's and pg's own errors: anything carrying a query, its parameters or a SQLSTATE. */
function isDatabaseError(e: object): boolean {
  return (
    'params' in e ||
    'query' in e ||
    'queryOptions' in e ||
    (typeof (e as { code?: unknown }).code === 'string' && 'severity' in e)
  );
}

function summarise(
  e: Error & { cause?: unknown; query?: unknown; code?: unknown; constraint?: unknown },
  depth: number,
): LoggedDatabaseError {
  const sql = typeof e.query === 'string' ? e.query : undefined;
  // drizzle leaves `name` at 'Error': its class names the wrapper (PGlite's classes are minified)
  const wrapper =
    e.constructor?.name === 'DrizzleQueryError' ||
    (sql !== undefined && typeof e.message === 'string' && e.message.startsWith('Failed query:'));
  const name = wrapper ? 'DrizzleQueryError' : typeof e.name === 'string' ? e.name : 'Error';
  // the wrapper's message is the query plus its parameters: rebuilt from the query alone
  const message = wrapper ? `Failed query: ${sql ?? '(unknown)'}` : String(e.message ?? '');
  const cause =
    e.cause !== null && typeof e.cause === 'object' && depth < MAX_DEPTH
      ? summarise(e.cause as Error, depth + 1)
      : undefined;
  // the wrapper has no SQLSTATE of its own: the database's, from the cause, is the useful one
  const code = typeof e.code === 'string' ? e.code : cause?.code;
  const constraint = typeof e.constraint === 'string' ? e.constraint : cause?.constraint;
  return new LoggedDatabaseError(name, message, frames(e, name, message), code, sql, constraint, cause);
}

/** The stack's frames under a safe header; none when the original header cannot be cut off exactly. */
function frames(e: Error, name: string, message: string): string {
  const header = `${e.name}: ${e.message}`;
  const stack = typeof e.stack === 'string' ? e.stack : '';
  return `${name}: ${message}${stack.startsWith(header) ? stack.slice(header.length) : ''}`;
}
