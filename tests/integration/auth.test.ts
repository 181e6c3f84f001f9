import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';
import request from 'supertest';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';

const SCOPE = 'tenants:read tenants:write';

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

describe('authentication (embedded HS256)', () => {
  let t: TestApp;
  let tenants: { msp: string; client: string };
  const sign = (claims: JWTPayload, opts: { secret?: Uint8Array; iss?: string; aud?: string } = {}) =>
    new SignJWT({ tenants: ['*'], scope: SCOPE, ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer(opts.iss ?? 'posture')
      .setAudience(opts.aud ?? 'posture-api')
      .setIssuedAt()
      .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '5m')
      .sign(opts.secret ?? t.secret);
  const get = (token?: string) => {
    const r = request(t.app).get('/v1/tenants');
    return token === undefined ? r : r.set('Authorization', token);
  };
  const expect401 = async (authorization: string | undefined, detail: RegExp) => {
    const res = await get(authorization);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.code).toBe('unauthorized');
    expect(res.body.detail).toMatch(detail);
  };

  beforeAll(async () => {
    t = await createTestApp();
    tenants = await createMspWithClient(t);
  });
  afterAll(() => t.close());

  it('accepts a valid token', async () => {
    expect((await get(`Bearer ${await sign({})}`)).status).toBe(200);
  });
  it('rejects a missing token', () => expect401(undefined, /no bearer token/));
  it('rejects a malformed header', () => expect401('Basic dXNlcjpwdw==', /not a bearer JWT/));
  it('rejects a malformed token', () => expect401('Bearer abc.def.ghi', /malformed|cannot be verified/));
  it('rejects an expired token', async () =>
    expect401(`Bearer ${await sign({ exp: Math.floor(Date.now() / 1000) - 3600 })}`, /expired/));
  it('rejects a token that is not yet valid', async () =>
    expect401(`Bearer ${await sign({ nbf: Math.floor(Date.now() / 1000) + 3600 })}`, /nbf claim/));
  it('rejects alg: none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = { sub: 'alice', iss: 'posture', aud: 'posture-api', exp: now + 300, tenants: ['*'], scope: SCOPE };
    await expect401(
      `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(body)}.`,
      /algorithm|malformed|cannot be verified/,
    );
  });
  it('rejects a wrong issuer', async () => expect401(`Bearer ${await sign({}, { iss: 'evil' })}`, /iss claim/));
  it('rejects a wrong audience', async () => expect401(`Bearer ${await sign({}, { aud: 'other-api' })}`, /aud claim/));
  it('rejects a bad signature', async () =>
    expect401(`Bearer ${await sign({}, { secret: new Uint8Array(32).fill(7) })}`, /signature/));
  it('rejects a tampered payload', async () => {
    const [h, , s] = (await sign({ tenants: [tenants.client] })).split('.');
    await expect401(
      `Bearer ${h}.${b64url({ sub: 'alice', tenants: ['*'], scope: SCOPE })}.${s}`,
      /signature|cannot be verified/,
    );
  });
  it('rejects a token without a tenants claim', async () =>
    expect401(`Bearer ${await sign({ tenants: undefined })}`, /tenants claim/));
  it('rejects a token without exp', async () => {
    const token = await new SignJWT({ tenants: ['*'], scope: SCOPE })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('a')
      .setIssuer('posture')
      .setAudience('posture-api')
      .sign(t.secret);
    await expect401(`Bearer ${token}`, /exp claim|cannot be verified/);
  });

  it('checks in the order 401 → 404 → 403', async () => {
    const noScope = await sign({ tenants: [tenants.msp], scope: 'snapshots:read' });
    const other = await createMspWithClient(t);
    // tenant outside the token: 404 even though the scope is missing too
    const outside = await request(t.app).get(`/v1/tenants/${other.client}`).set('Authorization', `Bearer ${noScope}`);
    expect(outside.status).toBe(404);
    expect(outside.body.code).toBe('tenant_not_found');
    // inside the token, scope missing: 403
    const inside = await request(t.app).get(`/v1/tenants/${tenants.client}`).set('Authorization', `Bearer ${noScope}`);
    expect(inside.status).toBe(403);
    // a missing tenant looks exactly like one outside the token
    const missing = await request(t.app).get('/v1/tenants/does-not-exist').set('Authorization', `Bearer ${noScope}`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('no tenant "does-not-exist"');
    expect(outside.body.detail).toBe(`no tenant "${other.client}"`);
  });
});

describe('authentication with an asymmetric key', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let t: TestApp;
  let jwks: Server;
  let jwksUrl: string;
  const rs256 = (kid?: string) =>
    new SignJWT({ tenants: ['*'], scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', ...(kid ? { kid } : {}) })
      .setSubject('idp-user')
      .setIssuer('https://idp.example')
      .setAudience('posture')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  beforeAll(async () => {
    t = await createTestApp({
      env: { POSTURE_JWT_PUBLIC_KEY: pem, POSTURE_JWT_ISSUER: 'https://idp.example', POSTURE_JWT_AUDIENCE: 'posture' },
    });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) =>
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => jwks.close(r));
  });

  it('accepts an RS256 token signed by the configured key', async () => {
    const res = await request(t.app)
      .get('/v1/tenants')
      .set('Authorization', `Bearer ${await rs256()}`);
    expect(res.status).toBe(200);
  });

  it('rejects an HS256 token, even one keyed with the public key (algorithm confusion)', async () => {
    for (const secret of [new TextEncoder().encode(pem), t.secret]) {
      const token = await new SignJWT({ tenants: ['*'], scope: SCOPE })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuer('https://idp.example')
        .setAudience('posture')
        .setExpirationTime('5m')
        .sign(secret);
      const res = await request(t.app).get('/v1/tenants').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/algorithm/);
    }
  });

  it('verifies against a JWKS URL', async () => {
    const j = await createTestApp({
      env: {
        POSTURE_JWT_JWKS_URL: jwksUrl,
        POSTURE_JWT_ISSUER: 'https://idp.example',
        POSTURE_JWT_AUDIENCE: 'posture',
      },
    });
    try {
      expect(
        (
          await request(j.app)
            .get('/v1/tenants')
            .set('Authorization', `Bearer ${await rs256('k1')}`)
        ).status,
      ).toBe(200);
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const forged = await new SignJWT({ tenants: ['*'], scope: SCOPE })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('x')
        .setIssuer('https://idp.example')
        .setAudience('posture')
        .setExpirationTime('5m')
        .sign(other);
      expect((await request(j.app).get('/v1/tenants').set('Authorization', `Bearer ${forged}`)).status).toBe(401);
    } finally {
      await j.close();
    }
  });
});
