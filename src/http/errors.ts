/**
 * Errors as data: one AppError with a stable snake_case code, one table from code to status and
 * title, one middleware (./problem.ts) that writes RFC 9457 problem+json.
 */
export const ERROR_CODES = {
  bad_request: [400, 'Bad request'],
  malformed_json: [400, 'Malformed JSON'],
  malformed_multipart: [400, 'Malformed multipart body'],
  malformed_export: [400, 'The export cannot be read'],
  invalid_query: [400, 'Invalid query parameters'],
  invalid_header: [400, 'Invalid header'],
  invalid_cursor: [400, 'Invalid cursor'],
  unknown_source: [400, 'Unknown source or kind'],
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  not_found: [404, 'Not found'],
  tenant_not_found: [404, 'Tenant not found'],
  snapshot_not_found: [404, 'Snapshot not found'],
  evaluation_not_found: [404, 'Evaluation not found'],
  waiver_not_found: [404, 'Waiver not found'],
  report_not_found: [404, 'Report not found'],
  pack_not_found: [404, 'Pack not found'],
  method_not_allowed: [405, 'Method not allowed'],
  not_acceptable: [406, 'Not acceptable'],
  conflict: [409, 'Conflict'],
  slug_taken: [409, 'Slug already taken'],
  external_ref_taken: [409, 'External reference already mapped'],
  payload_too_large: [413, 'Payload too large'],
  unsupported_media_type: [415, 'Unsupported media type'],
  validation_failed: [422, 'Validation failed'],
  invalid_export: [422, 'The export is not what the source exports'],
  unknown_client: [422, 'Unknown client'],
  internal_error: [500, 'Internal error'],
  service_unavailable: [503, 'Service unavailable'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERROR_CODES;

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
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors: ProblemDetail[] = [],
  ) {
    super(detail ?? ERROR_CODES[code][1]);
    this.name = 'AppError';
    this.status = ERROR_CODES[code][0];
  }
}

export function problemType(code: ErrorCode): string {
  return `urn:posture:problem:${code}`;
}
