/**
 * The one place errors become responses: RFC 9457 application/problem+json with a stable `code`
 * and `errors[].pointer`. Anything that is not an AppError (or a known body-parser, router or
 * database error caused by the input) is a 500 that says "internal error" and logs the rest —
 * never a stack or a message in the response.
 */
import type { NextFunction, Request, Response } from 'express';
import type {} from 'pino-http'; // adds req.log and req.id
import { AppError, ERROR_CODES, ERROR_TITLES, problemType, type ErrorCode } from '../../core/errors.js';
import type { DatabaseFault } from '../../db/errors.js';
import { CLOSES_CONNECTION, RETRY_AFTER_SECONDS, statusOf } from '../errors.js';
import { safeError } from './log-safe-error.js';

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
  code?: string;
  cause?: HttpishError;
}

/** The request as far as the error mapping reads it: where a refused value came from. */
type RequestInput = Pick<Request, 'path' | 'query' | 'body'>;

/** What the database layer says an error of its own means (see db/errors.ts). */
export type ClassifyDatabaseError = (err: unknown) => DatabaseFault | undefined;

export function toAppError(err: unknown, req?: RequestInput, classify?: ClassifyDatabaseError): AppError | undefined {
  if (err instanceof AppError) return err;
  const e = err as HttpishError;
  switch (e?.type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'the request body is larger than this endpoint accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'unsupported content encoding or charset');
    case 'request.aborted':
      return new AppError('bad_request', 'the request was aborted');
    case 'entity.verify.failed':
    case 'entity.parse.failed':
      return new AppError('malformed_json', 'the request body is not valid JSON');
  }
  // the router's decodeURIComponent of a path parameter (`%E0%A4%A`)
  if (err instanceof URIError) return new AppError('bad_request', 'the path is not valid percent-encoding');
  // http-errors a middleware meant for the client (a corrupt gzip body, a missing static file)
  const status = e?.status ?? e?.statusCode;
  if (e?.expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(codeForStatus(status), typeof e.message === 'string' && e.message ? e.message : undefined);
  }
  const fault = classify?.(err);
  if (fault === 'unique_violation')
    return new AppError('conflict', 'a conflicting object was created at the same time; retry');
  if (fault === 'unstorable_character') return nulProblem(req);
  if (fault === 'unavailable')
    return new AppError('database_unavailable', 'the database is not answering; retry in a few seconds');
  return undefined;
}

/** The first error code of a status; a 4xx the table lacks is a plain 400. */
function codeForStatus(status: number): ErrorCode {
  const found = ERROR_CODES.find((code) => statusOf(code) === status);
  return found ?? 'bad_request';
}

const NUL_MESSAGE = 'holds a NUL character (U+0000), which cannot be stored';

/**
 * A value with a NUL character reached the database (every string the schemas accept may hold
 * one): the answer names where it was — a path parameter is "no such object", a query parameter
 * or a JSON body member a pointer to it. Nothing was written: the statement failed.
 */
function nulProblem(req: RequestInput | undefined): AppError {
  // req.params is gone by the time an error reaches this middleware: the path itself is read
  const segments = (req?.path ?? '').split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  const at = segments.findIndex((segment) => segment.includes('\u0000'));
  if (at >= 0)
    return at === 3 && segments[1] === 'v1' && segments[2] === 'tenants'
      ? new AppError('tenant_not_found', 'no such tenant')
      : new AppError('not_found', 'no such object');
  const inQuery = nulPointer(req?.query);
  if (inQuery !== undefined) {
    return new AppError('invalid_query', `invalid query parameter: ${inQuery.slice(1)} ${NUL_MESSAGE}`, [
      { pointer: inQuery, message: NUL_MESSAGE, in: 'query' },
    ]);
  }
  let body: unknown;
  try {
    body = Buffer.isBuffer(req?.body) ? JSON.parse(req.body.toString('utf8')) : req?.body;
  } catch {
    body = undefined;
  }
  const inBody = nulPointer(body);
  if (inBody !== undefined)
    return new AppError('validation_failed', `${inBody || '/'} ${NUL_MESSAGE}`, [
      { pointer: inBody, message: NUL_MESSAGE },
    ]);
  return new AppError('validation_failed', `a string of the input ${NUL_MESSAGE}`);
}

/** JSON Pointer of the first string (or member name) holding U+0000, if any. */
function nulPointer(value: unknown, pointer = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer : undefined;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, v] of entries) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key.includes('\u0000')) return at;
    const found = nulPointer(v, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function sendProblem(res: Response, err: AppError, requestId?: string): void {
  const status = statusOf(err.code);
  const title = ERROR_TITLES[err.code];
  if (err.code === 'unauthorized') {
    res.setHeader(
      'WWW-Authenticate',
      err.detail?.startsWith('no bearer') ? 'Bearer realm="posture"' : 'Bearer realm="posture", error="invalid_token"',
    );
  }
  const retryAfter = RETRY_AFTER_SECONDS[err.code];
  if (retryAfter !== undefined && !res.hasHeader('Retry-After')) res.setHeader('Retry-After', String(retryAfter));
  if (CLOSES_CONNECTION.has(err.code)) res.setHeader('Connection', 'close');
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: problemType(err.code),
        title,
        status,
        detail: err.detail ?? title,
        code: err.code,
        errors: err.errors,
        ...(requestId ? { requestId } : {}),
      }),
    );
}

/** The error handler: `classify` is the database layer's reading of its own errors. */
export function problemMiddleware(classify: ClassifyDatabaseError) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => handle(err, req, res, classify);
}

function handle(err: unknown, req: Request, res: Response, classify: ClassifyDatabaseError): void {
  const appErr = toAppError(err, req, classify);
  if (res.headersSent) {
    req.log?.error({ err: safeError(err) }, 'error after the response started');
    res.destroy();
    return;
  }
  if (appErr) {
    if (statusOf(appErr.code) >= 500) req.log?.error({ err: safeError(err) }, appErr.message);
    sendProblem(res, appErr, req.id as string | undefined);
    return;
  }
  // never the error as thrown: a database error's message holds every bound parameter
  req.log?.error({ err: safeError(err) }, 'unhandled error');
  sendProblem(res, new AppError('internal_error', 'internal error'), req.id as string | undefined);
}
