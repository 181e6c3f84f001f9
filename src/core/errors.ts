/**
 * Errors as data: one AppError with a stable snake_case code, a detail and, where the input is at
 * fault, JSON Pointers into it. Every layer throws these; only `src/http` knows which HTTP status
 * a code answers with (`http/errors.ts`), and the CLI prints them as one line.
 */

/** Every error code, with the title a problem document shows. */
export const ERROR_TITLES = {
  bad_request: 'Bad request',
  request_timeout: 'Request body too slow',
  malformed_json: 'Malformed JSON',
  malformed_multipart: 'Malformed multipart body',
  malformed_export: 'The export cannot be read',
  invalid_query: 'Invalid query parameters',
  invalid_header: 'Invalid header',
  invalid_cursor: 'Invalid cursor',
  unknown_source: 'Unknown source or kind',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  tenant_not_found: 'Tenant not found',
  snapshot_not_found: 'Snapshot not found',
  evaluation_not_found: 'Evaluation not found',
  waiver_not_found: 'Waiver not found',
  attestation_not_found: 'Attestation not found',
  report_not_found: 'Report not found',
  pack_not_found: 'Pack not found',
  method_not_allowed: 'Method not allowed',
  not_acceptable: 'Not acceptable',
  conflict: 'Conflict',
  slug_taken: 'Slug already taken',
  waiver_not_pending: 'The waiver is not pending approval',
  same_person: 'The requester cannot approve their own request',
  external_ref_taken: 'External reference already mapped',
  payload_too_large: 'Payload too large',
  export_too_complex: 'The export is too complex to accept',
  rate_limited: 'Too many requests',
  unsupported_media_type: 'Unsupported media type',
  validation_failed: 'Validation failed',
  invalid_export: 'The export is not what the source exports',
  unknown_client: 'Unknown client',
  internal_error: 'Internal error',
  service_unavailable: 'Service unavailable',
  database_unavailable: 'Database unavailable',
  service_busy: 'Too busy: try again later',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_TITLES;

export const ERROR_CODES = Object.keys(ERROR_TITLES) as ErrorCode[];

export interface ProblemDetail {
  /** JSON Pointer into the offending input (body, part, or query) */
  pointer?: string;
  message: string;
  /** where the pointer points: the body (default), a query parameter, a header, or a multipart part */
  in?: 'body' | 'query' | 'header' | 'path';
  part?: string;
  page?: number;
  /** 1-based line, for text formats and JSON syntax errors */
  line?: number;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors: ProblemDetail[] = [],
  ) {
    super(detail ?? ERROR_TITLES[code]);
    this.name = 'AppError';
  }
}

/** The problem `type` URI of a code. */
export function problemType(code: ErrorCode): string {
  return `urn:posture:problem:${code}`;
}
