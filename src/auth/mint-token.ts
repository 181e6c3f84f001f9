/** Mints HS256 tokens for the embedded default (`posture token`). */
import { SignJWT } from 'jose';
import { ROLES, type Role } from './scopes.js';

export interface MintOptions {
  secret: Uint8Array;
  issuer: string;
  audience: string;
  sub: string;
  tenants: string[];
  role: Role;
  /** a jose time span: `1h`, `30m`, `7d` */
  ttl: string;
  /** the OIDC `name` and `email` claims, recorded with the approvals the token makes */
  name?: string;
  email?: string;
}

export const TTL_PATTERN =
  /^\d+\s?(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|y|yr|yrs|year|years)$/i;

export async function mintToken(o: MintOptions): Promise<string> {
  if (!TTL_PATTERN.test(o.ttl)) throw new Error(`--ttl must be a duration such as 1h, 30m or 7d (got ${o.ttl})`);
  const person = { ...(o.name ? { name: o.name } : {}), ...(o.email ? { email: o.email } : {}) };
  return new SignJWT({ tenants: o.tenants, scope: ROLES[o.role].join(' '), ...person })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(o.sub)
    .setIssuer(o.issuer)
    .setAudience(o.audience)
    .setIssuedAt()
    .setExpirationTime(o.ttl)
    .sign(o.secret);
}
