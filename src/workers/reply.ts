import type { ErrorCode, ProblemDetail } from '../core/errors.js';

/** What a worker task answers: its value, or the AppError it refused with, as data. */
export type Reply<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ErrorCode; detail?: string; errors: ProblemDetail[] } };
