/**
 * The console's session cookie and the checks a cookie-authenticated request passes. The cookie
 * is HttpOnly and SameSite=Strict, Secure (with the `__Host-` prefix) when POSTURE_PUBLIC_URL is
 * https. A state-changing request carried by the cookie must also come from our own origin
 * (Origin header) and carry the session's CSRF token (X-CSRF-Token): bearer requests need neither.
 */
import type { Request, Response } from 'express';
import { parse, serialize } from 'cookie';
import { matchesHash } from '../auth/session-secrets.js';
import type { Config } from '../config/load-config.js';
import { AppError } from '../core/errors.js';
import type { SessionInfo } from '../domain/sessions.js';

type CookieConfig = Pick<Config, 'publicUrl'>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function secure(config: CookieConfig): boolean {
  return config.publicUrl?.startsWith('https://') ?? false;
}

export function sessionCookieName(config: CookieConfig): string {
  return secure(config) ? '__Host-posture_session' : 'posture_session';
}

/** The session secret the request's cookie carries, if any. */
export function sessionSecretOf(req: Request, config: CookieConfig): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[sessionCookieName(config)] || undefined;
}

export function setSessionCookie(res: Response, config: CookieConfig, secret: string, expiresAt: Date): void {
  res.append('Set-Cookie', cookieFor(config, secret, expiresAt));
}

export function clearSessionCookie(res: Response, config: CookieConfig): void {
  res.append('Set-Cookie', cookieFor(config, '', new Date(0)));
}

function cookieFor(config: CookieConfig, value: string, expires: Date): string {
  return serialize(sessionCookieName(config), value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(config),
    path: '/',
    expires,
  });
}

/** The origin this service is reached at: POSTURE_PUBLIC_URL, else the request's own scheme and host. */
export function ownOrigin(req: Request, config: CookieConfig): string {
  return config.publicUrl ?? `${req.protocol}://${req.get('host') ?? ''}`;
}

/** 403 unless the request names our origin (a browser sends Origin with every POST). */
export function checkOrigin(req: Request, config: CookieConfig): void {
  const origin = req.headers.origin;
  if (origin !== ownOrigin(req, config)) {
    throw new AppError(
      'forbidden',
      origin === undefined
        ? 'a request signed in by cookie must carry an Origin header'
        : `a request signed in by cookie must come from ${ownOrigin(req, config)}, not ${origin}`,
    );
  }
}

/** For a state-changing request carried by the session cookie: same origin and the CSRF token. */
export function checkCsrf(req: Request, config: CookieConfig, session: SessionInfo): void {
  if (SAFE_METHODS.has(req.method)) return;
  checkOrigin(req, config);
  const token = req.headers['x-csrf-token'];
  if (typeof token !== 'string' || token === '') {
    throw new AppError('forbidden', 'a request signed in by cookie needs the X-CSRF-Token header (GET /v1/session)');
  }
  if (!matchesHash(token, session.csrfHash))
    throw new AppError('forbidden', 'the X-CSRF-Token does not match the session');
}
