/**
 * The one place errors become responses: RFC 9457 application/problem+json with a stable `code`
 * and `errors[].pointer`. Anything that is not an AppError (or a known body-parser error) is a
 * 500 that says "internal error" and logs the rest — never a stack or a message in the response.
 */
import type { NextFunction, Request, Response } from 'express';
import type {} from 'pino-http'; // adds req.log and req.id
import { AppError, ERROR_CODES, problemType, type ErrorCode } from '../errors.js';

interface HttpishError {
  type?: string;
  status?: number;
  code?: string;
}

export function toAppError(err: unknown): AppError | undefined {
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
  // PostgreSQL unique violation: a concurrent request created the same thing first.
  if (e?.code === '23505') return new AppError('conflict', 'a conflicting object was created at the same time; retry');
  return undefined;
}

export function sendProblem(res: Response, err: AppError, requestId?: string): void {
  const [status, title] = ERROR_CODES[err.code as ErrorCode];
  if (err.code === 'unauthorized') {
    res.setHeader('WWW-Authenticate', err.detail?.startsWith('no bearer') ? 'Bearer realm="posture"' : 'Bearer realm="posture", error="invalid_token"');
  }
  res.status(status).type('application/problem+json').send(
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

export function problemMiddleware(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const appErr = toAppError(err);
  if (res.headersSent) {
    req.log?.error({ err }, 'error after the response started');
    res.destroy();
    return;
  }
  if (appErr) {
    if (appErr.status >= 500) req.log?.error({ err }, appErr.message);
    sendProblem(res, appErr, req.id as string | undefined);
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  sendProblem(res, new AppError('internal_error', 'internal error'), req.id as string | undefined);
}
