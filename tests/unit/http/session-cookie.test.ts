import type { Request, Response } from 'express';
import { csrfTokenOf, sha256Hex } from '../../../src/auth/session-secrets.js';
import type { AppError } from '../../../src/core/errors.js';
import type { SessionInfo } from '../../../src/domain/sessions.js';
import {
  checkCsrf,
  clearSessionCookie,
  ownOrigin,
  sessionCookieName,
  sessionSecretOf,
  setSessionCookie,
} from '../../../src/http/session-cookie.js';

const HTTPS = { publicUrl: 'https://posture.example.com' };
const HTTP: { publicUrl?: string } = {};

function response(): Response & { cookies: string[] } {
  const cookies: string[] = [];
  return { cookies, append: (_name: string, value: string) => cookies.push(value) } as unknown as Response & {
    cookies: string[];
  };
}

function req(method: string, headers: Record<string, string>): Request {
  return {
    method,
    headers,
    protocol: 'http',
    get: (h: string) => headers[h.toLowerCase()],
  } as unknown as Request;
}

const secret = 'S'.repeat(43);
const session: SessionInfo = {
  idHash: sha256Hex(secret),
  role: 'officer',
  expiresAt: new Date(),
  csrfHash: sha256Hex(csrfTokenOf(secret)),
  csrfToken: csrfTokenOf(secret),
};

describe('the session cookie', () => {
  it('is Secure with the __Host- prefix behind an https public URL, HttpOnly and SameSite=Strict always', () => {
    const res = response();
    setSessionCookie(res, HTTPS, secret, new Date('2030-01-01T00:00:00Z'));
    expect(res.cookies[0]).toBe(
      `__Host-posture_session=${secret}; Path=/; Expires=Tue, 01 Jan 2030 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`,
    );
    const plain = response();
    setSessionCookie(plain, HTTP, secret, new Date('2030-01-01T00:00:00Z'));
    expect(plain.cookies[0]).toMatch(/^posture_session=S+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    clearSessionCookie(plain, HTTP);
    expect(plain.cookies[1]).toMatch(/^posture_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly/);
  });

  it('is read by its own name only', () => {
    expect(sessionCookieName(HTTPS)).toBe('__Host-posture_session');
    expect(sessionSecretOf(req('GET', { cookie: `a=1; posture_session=${secret}` }), HTTP)).toBe(secret);
    expect(sessionSecretOf(req('GET', { cookie: `posture_session=${secret}` }), HTTPS)).toBeUndefined();
    expect(sessionSecretOf(req('GET', {}), HTTP)).toBeUndefined();
  });
});

describe('the CSRF checks of a cookie-authenticated request', () => {
  const headers = {
    host: 'posture.local:8080',
    origin: 'http://posture.local:8080',
    'x-csrf-token': session.csrfToken,
  };
  const refused = (r: Request, config: { publicUrl?: string } = HTTP) => {
    try {
      checkCsrf(r, config, session);
    } catch (err) {
      return (err as AppError).code;
    }
    return 'passed';
  };

  it('lets reads through without either header', () => {
    expect(refused(req('GET', {}))).toBe('passed');
    expect(refused(req('HEAD', {}))).toBe('passed');
  });
  it('passes a change from our origin with the token (the request host, or the public URL when set)', () => {
    expect(ownOrigin(req('POST', headers), HTTP)).toBe('http://posture.local:8080');
    expect(refused(req('POST', headers))).toBe('passed');
    expect(refused(req('DELETE', { ...headers, origin: HTTPS.publicUrl }), HTTPS)).toBe('passed');
    expect(refused(req('DELETE', headers), HTTPS)).toBe('forbidden');
  });
  it('refuses a change with no, another or a null Origin, and with no or a wrong token', () => {
    const { origin: _o, ...noOrigin } = headers;
    const { 'x-csrf-token': _t, ...noToken } = headers;
    expect(refused(req('POST', noOrigin))).toBe('forbidden');
    expect(refused(req('POST', { ...headers, origin: 'null' }))).toBe('forbidden');
    expect(refused(req('PUT', { ...headers, origin: 'http://posture.local:8081' }))).toBe('forbidden');
    expect(refused(req('PATCH', noToken))).toBe('forbidden');
    expect(refused(req('POST', { ...headers, 'x-csrf-token': csrfTokenOf('T'.repeat(43)) }))).toBe('forbidden');
  });
});
