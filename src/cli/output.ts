import { ConfigError } from '../config/load-config.js';
import { validate } from '../schemas/validator.js';

/** CLI exit codes: 0 clean, 1 findings (push/evaluate), 2 usage, network or server errors. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

/**
 * A failure the user can act on: its message is one line, printed by the entry point
 * (index.ts, `posture: …`), which also sets the exit code. Commands throw it; none exits.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const fail = {
  /** Stop the command: one line (`posture: …`) and exit 2, both done by index.ts. */
  now(message: string): never {
    throw new CliError(message);
  },
  onConfigError<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ConfigError) fail.now(`configuration error: ${err.message}`);
      throw err;
    }
  },
};

/** An RFC 3339 date-time with a zone (as X-Collected-At takes it), or a usage error naming the option. */
export function rfc3339(option: string, value: string): Date {
  // ajv-formats' date-time checks the calendar too (no 30 February, no hour 24), which Date does not.
  const d = new Date(value);
  if (validate({ type: 'string', format: 'date-time' }, value).length > 0 || Number.isNaN(d.getTime()))
    throw new CliError(`${option} must be an RFC 3339 time with a zone, such as 2026-11-26T09:00:00Z`);
  return d;
}
