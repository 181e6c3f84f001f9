/**
 * Issue 14, defect 8: a token whose `iat` lies in the future beyond the clock tolerance was
 * accepted (jose checks `iat` only against a maximum age). It is refused now.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { createTokenVerifier, TokenError } from '../../src/auth/verify-token.js';

const secret = new Uint8Array(randomBytes(32));
const verify = createTokenVerifier(
  { mode: 'hs256', issuer: 'posture', audience: 'posture-api' } as Parameters<typeof createTokenVerifier>[0],
  secret,
);
const now = () => Math.floor(Date.now() / 1000);
const token = (iat: number) =>
  new SignJWT({ tenants: ['*'], scope: 'tenants:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('someone')
    .setIssuer('posture')
    .setAudience('posture-api')
    .setIssuedAt(iat)
    .setExpirationTime(now() + 3600)
    .sign(secret);

describe('tokens issued in the future', () => {
  it.each([60, 86_400, 10 * 365 * 86_400])('iat %i seconds ahead is refused', async (ahead) => {
    await expect(verify(await token(now() + ahead))).rejects.toThrow(TokenError);
    await expect(verify(await token(now() + ahead))).rejects.toThrow(/issued in the future/);
  });

  it('iat now, in the past, or within the 5-second tolerance is accepted', async () => {
    for (const iat of [now(), now() - 3600, now() + 2]) {
      await expect(verify(await token(iat))).resolves.toMatchObject({ sub: 'someone' });
    }
  });
});
