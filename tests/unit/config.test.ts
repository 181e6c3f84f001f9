import { ConfigError, loadConfig, redactUrl } from '../../src/config/load-config.js';

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

/** A 32-byte key in base64, as `openssl rand -base64 32` prints one. */
const KEY = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      maxSnapshotBytes: 50 * 1024 * 1024,
      maxBodyBytes: 1024 * 1024,
      databaseUrl: undefined,
      jwt: { mode: 'hs256', issuer: 'posture', audience: 'posture-api' },
      signing: { mode: 'self-signed' },
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
    [
      {
        POSTURE_JWT_JWKS_URL: 'https://idp/j',
        POSTURE_JWT_PUBLIC_KEY: 'x',
        POSTURE_JWT_ISSUER: 'i',
        POSTURE_JWT_AUDIENCE: 'a',
      },
      /must not both be set/,
    ],
    [
      { NODE_ENV: 'production' },
      /^POSTURE_JWT_JWKS_URL or POSTURE_JWT_PUBLIC_KEY must be set when NODE_ENV=production/,
    ],
    [
      {
        NODE_ENV: 'production',
        POSTURE_JWT_JWKS_URL: 'https://idp/j',
        POSTURE_JWT_ISSUER: 'i',
        POSTURE_JWT_AUDIENCE: 'a',
      },
      /^POSTURE_SIGNING_P12 or POSTURE_SIGNING_KEY/,
    ],
    [{ POSTURE_SIGNING_KEY: 'k.pem' }, /^POSTURE_SIGNING_CERT must be set together with POSTURE_SIGNING_KEY/],
    [{ POSTURE_LOG_LEVEL: 'loud' }, /^POSTURE_LOG_LEVEL must be one of/],
    [
      {
        NODE_ENV: 'production',
        POSTURE_JWT_JWKS_URL: 'https://idp/j',
        POSTURE_JWT_ISSUER: 'i',
        POSTURE_JWT_AUDIENCE: 'a',
        POSTURE_SIGNING_P12: '/s.p12',
      },
      /^POSTURE_DATA_KEYS must be set when NODE_ENV=production/,
    ],
    [{ POSTURE_DATA_KEYS: 'k1:short' }, /^POSTURE_DATA_KEYS must be id:key pairs .* \(value not shown\)$/],
    [{ POSTURE_DATA_KEYS: `k1:${KEY},k1:${KEY}` }, /^POSTURE_DATA_KEYS: two data keys share an id$/],
  ])('%p → one clear line', (env, message) => {
    expect(fails(env)).toMatch(message);
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      POSTURE_JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      POSTURE_JWT_ISSUER: 'https://idp.example',
      POSTURE_JWT_AUDIENCE: 'posture',
      POSTURE_SIGNING_P12: '/run/secrets/sign.p12',
      POSTURE_SIGNING_P12_PASSWORD: 'pw',
      DATABASE_URL: 'postgres://u@db/posture',
      POSTURE_DATA_KEYS: `k2:${KEY},k1:${KEY}`,
    });
    expect(c.dataKeys).toMatchObject({ mode: 'env', keys: [{ id: 'k2' }, { id: 'k1' }] });
    expect(c.jwt.mode).toBe('jwks');
    expect(c.signing).toEqual({ mode: 'p12', path: '/run/secrets/sign.p12', password: 'pw' });
  });

  it.each([
    ['postgress://posture:s3cret-pw@db:5432/posture', 'postgress://posture:***@db:5432/posture'],
    ['posture:s3cret-pw@db/posture', 'posture:***@db/posture'],
    ['postgres:/posture:s3cret-pw@db/posture', 'postgres:***@db/posture'],
    ['mysql://posture:s3cret-pw@with@at@db/posture', 'mysql://posture:***@db/posture'],
    ['http://db/posture?user=u&password=s3cret-pw&ssl=1', 'http://db/posture?user=u&password=***&ssl=1'],
  ])('never echoes the password of a mistyped DATABASE_URL (%s)', (url, shown) => {
    const message = fails({ DATABASE_URL: url });
    expect(message).toMatch(/^DATABASE_URL must be a PostgreSQL connection URL/);
    expect(message).not.toContain('s3cret-pw');
    expect(message).toContain(JSON.stringify(shown));
  });

  it('masks only a password: a URL without one is shown as it is', () => {
    expect(redactUrl('postgres://posture@db:5432/posture')).toBe('postgres://posture@db:5432/posture');
    expect(redactUrl('postgres://db:5432/posture')).toBe('postgres://db:5432/posture');
    expect(fails({ POSTURE_JWT_JWKS_URL: 'ftp://svc:s3cret-pw@idp/jwks' })).toBe(
      'POSTURE_JWT_JWKS_URL must be an http(s) URL of a JWKS document (got "ftp://svc:***@idp/jwks")',
    );
  });
});
