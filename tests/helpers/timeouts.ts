/**
 * The time-out of a file whose tests run the built CLI or service as child processes, or render
 * and sign PDF reports: each costs seconds on a busy 2-core machine, more than jest's default
 * 30 s allows for a test or a hook doing several. Set per file with `import.meta.jest.setTimeout`.
 */
export const SLOW_MS = 120_000;
