/** The configuration's one error type and its number reader, shared by the loader's sections. */

/** A configuration value is wrong: the message is one line naming the variable and what it expects. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * A whole number from the environment (the schema has already checked its digits), or the
 * fallback when unset; outside [min, max] is a ConfigError naming the variable and the range.
 */
export function bounded(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max} (got ${value})`);
  return n;
}
