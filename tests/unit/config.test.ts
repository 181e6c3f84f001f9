import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080, maxSnapshotBytes: 50 * 1024 * 1024, maxBodyBytes: 1024 * 1024, databaseUrl: undefined,
      jwt: { mode: 'hs256', issuer: 'posture', audience: 'posture-api' }, signing: { mode: 'self-signed' },
    });
    expect(c.dataDir).toMatch(/\/data$/);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT must be a TCP port number \(0-65535\) \(got "eighty"\)$/],
    [{ PORT: '70000' }, /^PORT must be between 0 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a PostgreSQL connection URL/],
    [{ POSTURE_MAX_BODY_BYTES: '1MB' }, /^POSTURE_MAX_BODY_BYTES must be a size in bytes/],
    [{ POSTURE_MAX_SNAPSHOT_BYTES: '10' }, /^POSTURE_MAX_SNAPSHOT_BYTES must be between 1024/],
    [{ NODE_ENV: 'prod' }, /^NODE_ENV must be one of production, development, test/],
    [{ POSTURE_JWT_JWKS_URL: 'ftp://idp' }, /^POSTURE_JWT_JWKS_URL must be an http\(s\) URL/],
    [{ POSTURE_JWT_JWKS_URL: 'https://idp.example/jwks' }, /^POSTURE_JWT_ISSUER must be set/],
    [{ POSTURE_JWT_JWKS_URL: 'https://idp/j', POSTURE_JWT_PUBLIC_KEY: 'x', POSTURE_JWT_ISSUER: 'i', POSTURE_JWT_AUDIENCE: 'a' }, /must not both be set/],
    [{ NODE_ENV: 'production' }, /^POSTURE_JWT_JWKS_URL or POSTURE_JWT_PUBLIC_KEY must be set when NODE_ENV=production/],
    [{ NODE_ENV: 'production', POSTURE_JWT_JWKS_URL: 'https://idp/j', POSTURE_JWT_ISSUER: 'i', POSTURE_JWT_AUDIENCE: 'a' }, /^POSTURE_SIGNING_P12 or POSTURE_SIGNING_KEY/],
    [{ POSTURE_SIGNING_KEY: 'k.pem' }, /^POSTURE_SIGNING_CERT must be set together with POSTURE_SIGNING_KEY/],
    [{ POSTURE_LOG_LEVEL: 'loud' }, /^POSTURE_LOG_LEVEL must be one of/],
  ])('%p → one clear line', (env, message) => {
    expect(fails(env)).toMatch(message);
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig({
      NODE_ENV: 'production', POSTURE_JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json', POSTURE_JWT_ISSUER: 'https://idp.example',
      POSTURE_JWT_AUDIENCE: 'posture', POSTURE_SIGNING_P12: '/run/secrets/sign.p12', POSTURE_SIGNING_P12_PASSWORD: 'pw', DATABASE_URL: 'postgres://u@db/posture',
    });
    expect(c.jwt.mode).toBe('jwks');
    expect(c.signing).toEqual({ mode: 'p12', path: '/run/secrets/sign.p12', password: 'pw' });
  });
});
