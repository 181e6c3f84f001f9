import type { Request } from 'express';
import type { Principal } from '../../auth/scopes.js';
import { TokenError, type TokenVerifier } from '../../auth/verify-token.js';
import type { Config } from '../../config/load-config.js';
import { AppError } from '../../core/errors.js';
import type { SessionInfo } from '../../domain/sessions.js';
import { checkCsrf, sessionSecretOf } from '../session-cookie.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/** Who calls, and the console session when the call came with the session cookie. */
export interface Caller {
  principal: Principal;
  session?: SessionInfo;
}

export interface Authenticators {
  verifyToken: TokenVerifier;
  /** the live session a cookie's secret names */
  findSession(secret: string): Promise<Caller | undefined>;
  config: Pick<Config, 'publicUrl'>;
}

/**
 * Bearer token → Principal; without an Authorization header, the console's session cookie →
 * the same Principal (after the CSRF checks for a state-changing request); else 401. The token,
 * the cookie and the CSRF token are never logged or echoed.
 */
export async function authenticate(req: Request, auth: Authenticators): Promise<Caller> {
  const header = req.headers.authorization;
  if (!header) return authenticateSession(req, auth);
  const m = BEARER.exec(header.trim());
  if (!m) throw new AppError('unauthorized', 'the Authorization header is not a bearer JWT');
  try {
    return { principal: await auth.verifyToken(m[1]!) };
  } catch (err) {
    if (err instanceof TokenError) throw new AppError('unauthorized', err.message);
    throw err;
  }
}

async function authenticateSession(req: Request, auth: Authenticators): Promise<Caller> {
  const secret = sessionSecretOf(req, auth.config);
  if (secret === undefined) throw new AppError('unauthorized', 'no bearer token: send Authorization: Bearer <JWT>');
  const caller = await auth.findSession(secret);
  if (!caller?.session) throw new AppError('unauthorized', 'the session has ended: sign in again');
  checkCsrf(req, auth.config, caller.session);
  return caller;
}
