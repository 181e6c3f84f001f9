/**
 * What a database error means for the caller, read from its SQLSTATE — the one place that knows
 * PostgreSQL's codes. drizzle wraps the driver's error (DrizzleQueryError): the code is on its cause.
 */
export type DatabaseFault =
  /** a unique index refused the row: a concurrent request created the same thing first */
  | 'unique_violation'
  /** PostgreSQL stores no U+0000, in text (22021) or jsonb (22P05): the input held one */
  | 'unstorable_character';

export function classifyDatabaseError(err: unknown): DatabaseFault | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null | undefined;
  const sqlState = (e?.cause ?? e)?.code;
  if (sqlState === '23505') return 'unique_violation';
  if (sqlState === '22021' || sqlState === '22P05') return 'unstorable_character';
  return undefined;
}
