/**
 * Token verification with jose. HS256 only with the data-dir secret; asymmetric algorithms only
 * with a JWKS URL or PEM public key (an HS256 token there is refused, as is `alg: none`
 * everywhere). `exp` and `sub` are required; `tenants` and `scope` must have the contract's shape.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../config/load-config.js';
import { isScope, type Principal, type Scope } from './scopes.js';

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Seconds of clock skew allowed between the token issuer and this service (exp, nbf and iat). */
const CLOCK_TOLERANCE = 5;
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const TENANT = /^(\*|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;

export function createTokenVerifier(config: JwtConfig, secret?: Uint8Array): TokenVerifier {
  const key = verificationKey(config, secret);
  const algorithms = config.mode === 'hs256' ? ['HS256'] : ASYMMETRIC;
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
        algorithms,
        issuer: config.issuer,
        audience: config.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE,
      }));
    } catch (err) {
      throw new TokenError(describe(err));
    }
    checkIssuedAt(payload);
    return principalOf(payload);
  };
}

function verificationKey(config: JwtConfig, secret?: Uint8Array): Uint8Array | KeyObject | JWTVerifyGetKey {
  if (config.mode === 'jwks') return createRemoteJWKSet(new URL(config.jwksUrl!), { timeoutDuration: 5000 });
  if (config.mode === 'public-key') {
    const pem = config.publicKey!.includes('-----BEGIN') ? config.publicKey! : readPemFile(config.publicKey!);
    try {
      return createPublicKey(pem);
    } catch (err) {
      throw new Error(`POSTURE_JWT_PUBLIC_KEY: not a PEM public key (${(err as Error).message})`);
    }
  }
  if (!secret) throw new Error('the HS256 secret is missing');
  return secret;
}

function readPemFile(path: string): string {
  if (!existsSync(path)) throw new Error(`POSTURE_JWT_PUBLIC_KEY: no PEM text and no file at ${path}`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `POSTURE_JWT_PUBLIC_KEY: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

/**
 * A token issued in the future (beyond the clock tolerance) is refused: jose checks `iat` only
 * against a maximum token age, which we do not set. A token without `iat` is accepted (`exp` bounds it).
 */
function checkIssuedAt(payload: JWTPayload): void {
  if (payload.iat === undefined) return;
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) {
    throw new TokenError("the token's iat claim is not accepted");
  }
  if (payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE) throw new TokenError('the token is issued in the future');
}

function principalOf(payload: JWTPayload): Principal {
  const { sub, tenants, scope } = payload as JWTPayload & { tenants?: unknown; scope?: unknown };
  if (typeof sub !== 'string' || sub === '') throw new TokenError('the token has no subject');
  if (
    !Array.isArray(tenants) ||
    tenants.length === 0 ||
    !tenants.every((t) => typeof t === 'string' && TENANT.test(t))
  ) {
    throw new TokenError('the token has no valid tenants claim');
  }
  if (typeof scope !== 'string') throw new TokenError('the token has no scope claim');
  const scopes = new Set<Scope>(scope.split(' ').filter(isScope));
  return { sub, tenants: tenants as string[], scopes, ...person(payload) };
}

/**
 * The OIDC standard claims `name` and `email`, when the token carries them as short strings:
 * recorded beside the subject of who approved or attested something. Anything else is ignored
 * (they are labels for people, never used to decide access).
 */
function person(payload: JWTPayload): Pick<Principal, 'name' | 'email'> {
  const label = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && v.length <= 200 ? v.trim() : undefined);
  const name = label(payload.name);
  const email = label(payload.email);
  return { ...(name === undefined ? {} : { name }), ...(email === undefined ? {} : { email }) };
}

/** A reason the caller may see: never the token, never key material. */
function describe(err: unknown): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `the token's ${(err as { claim?: string }).claim ?? ''} claim is not accepted`.replace('  ', ' ');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token is signed with an algorithm this service does not accept';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the token signature is invalid';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'the token is malformed';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no key matches the token';
    default:
      return 'the token cannot be verified';
  }
}
