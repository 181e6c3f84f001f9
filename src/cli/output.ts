import { ConfigError } from '../config/load-config.js';

/** CLI exit codes: 0 clean, 1 findings (push/evaluate), 2 usage, network or server errors. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export const fail = {
  /** Print one line and exit 2. */
  now(message: string): never {
    process.stderr.write(`posture: ${message}\n`);
    process.exit(EXIT.error);
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
