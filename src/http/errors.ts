/**
 * The HTTP side of the error codes (`core/errors.ts`): which status each code answers with. The
 * one middleware that writes problem+json (`middleware/problem.ts`) reads this table.
 */
import type { ErrorCode } from '../core/errors.js';

export const HTTP_STATUS = {
  bad_request: 400,
  request_timeout: 408,
  malformed_json: 400,
  malformed_multipart: 400,
  malformed_export: 400,
  invalid_query: 400,
  invalid_header: 400,
  invalid_cursor: 400,
  unknown_source: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  tenant_not_found: 404,
  snapshot_not_found: 404,
  evaluation_not_found: 404,
  waiver_not_found: 404,
  attestation_not_found: 404,
  waiver_not_pending: 409,
  same_person: 403,
  report_not_found: 404,
  pack_not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  slug_taken: 409,
  external_ref_taken: 409,
  payload_too_large: 413,
  export_too_complex: 413,
  rate_limited: 429,
  unsupported_media_type: 415,
  validation_failed: 422,
  invalid_export: 422,
  unknown_client: 422,
  internal_error: 500,
  service_unavailable: 503,
  database_unavailable: 503,
  service_busy: 503,
} as const satisfies Record<ErrorCode, number>;

export function statusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/**
 * Seconds a client should wait before retrying, for the codes that mean "not now" rather than
 * "not this". A `Retry-After` already on the response (the rate limiter's exact reset) is kept.
 */
export const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  database_unavailable: 5,
  rate_limited: 60,
  // the worker queue is full: a 50 MB export takes a worker some seconds
  service_busy: 5,
};

/** Codes whose answer also closes the connection: the rest of the request body is not worth reading. */
export const CLOSES_CONNECTION: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['request_timeout']);
