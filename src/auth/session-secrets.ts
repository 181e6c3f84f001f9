/**
 * The secrets of console sign-in: a session's cookie value and a login link's token are 32
 * random bytes (base64url); the database keeps only their SHA-256. A session's CSRF token is
 * derived from its secret (HMAC), so the service can hand it out again without storing it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The CSRF token of the session whose cookie carries `secret`. */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('posture csrf token').digest('base64url');
}

/** Does `given` hash to `expectedHash` (hex SHA-256)? In constant time. */
export function matchesHash(given: string, expectedHash: string): boolean {
  const a = Buffer.from(sha256Hex(given), 'hex');
  const b = Buffer.from(expectedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
