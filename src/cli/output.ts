import { ConfigError } from '../config/load-config.js';

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
