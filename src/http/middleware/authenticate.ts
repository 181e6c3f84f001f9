import type { Request } from 'express';
import type { Principal } from '../../auth/scopes.js';
import { TokenError, type TokenVerifier } from '../../auth/verify-token.js';
import { AppError } from '../../core/errors.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/** Bearer token → Principal, or 401. The token itself is never logged or echoed. */
export async function authenticate(req: Request, verify: TokenVerifier): Promise<Principal> {
  const header = req.headers.authorization;
  if (!header) throw new AppError('unauthorized', 'no bearer token: send Authorization: Bearer <JWT>');
  const m = BEARER.exec(header.trim());
  if (!m) throw new AppError('unauthorized', 'the Authorization header is not a bearer JWT');
  try {
    return await verify(m[1]!);
  } catch (err) {
    if (err instanceof TokenError) throw new AppError('unauthorized', err.message);
    throw err;
  }
}
