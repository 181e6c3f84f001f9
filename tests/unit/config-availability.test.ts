import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig: time-outs and rate limits', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      database: { connectTimeoutMs: 5000, statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 60_000 },
      rateLimit: {
        windowMs: 60_000,
        perAddress: 600,
        perSubject: 300,
        public: 30,
        failedAuth: 20,
        failedAuthWindowMs: 900_000,
      },
      bodyTimeout: { stallMs: 10_000, minBytesPerSecond: 1024, windowMs: 10_000 },
      headersTimeoutMs: 10_000,
      trustProxy: false,
    });
  });

  it('reads every variable', () => {
    const c = loadConfig({
      POSTURE_DB_CONNECT_TIMEOUT_MS: '1000',
      POSTURE_DB_STATEMENT_TIMEOUT_MS: '2000',
      POSTURE_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '3000',
      POSTURE_RATE_LIMIT_WINDOW_MS: '4000',
      POSTURE_RATE_LIMIT_PER_ADDRESS: '0',
      POSTURE_RATE_LIMIT_PER_SUBJECT: '5',
      POSTURE_RATE_LIMIT_PUBLIC: '6',
      POSTURE_RATE_LIMIT_FAILED_AUTH: '7',
      POSTURE_RATE_LIMIT_FAILED_AUTH_WINDOW_MS: '8000',
      POSTURE_BODY_STALL_TIMEOUT_MS: '900',
      POSTURE_BODY_MIN_BYTES_PER_SECOND: '0',
      POSTURE_BODY_RATE_WINDOW_MS: '1100',
      POSTURE_HEADERS_TIMEOUT_MS: '1200',
      POSTURE_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1',
    });
    expect(c.database).toEqual({ connectTimeoutMs: 1000, statementTimeoutMs: 2000, idleInTransactionTimeoutMs: 3000 });
    expect(c.rateLimit).toEqual({
      windowMs: 4000,
      perAddress: 0,
      perSubject: 5,
      public: 6,
      failedAuth: 7,
      failedAuthWindowMs: 8000,
    });
    expect(c.bodyTimeout).toEqual({ stallMs: 900, minBytesPerSecond: 0, windowMs: 1100 });
    expect(c.headersTimeoutMs).toBe(1200);
    expect(c.trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(loadConfig({ POSTURE_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it.each([
    [{ POSTURE_DB_STATEMENT_TIMEOUT_MS: '15s' }, /^POSTURE_DB_STATEMENT_TIMEOUT_MS must be a time in milliseconds/],
    [{ POSTURE_DB_CONNECT_TIMEOUT_MS: '0' }, /^POSTURE_DB_CONNECT_TIMEOUT_MS must be between 100 and/],
    [{ POSTURE_RATE_LIMIT_PER_ADDRESS: '-1' }, /^POSTURE_RATE_LIMIT_PER_ADDRESS must be a number of requests/],
    [{ POSTURE_RATE_LIMIT_WINDOW_MS: '10' }, /^POSTURE_RATE_LIMIT_WINDOW_MS must be between 1000/],
    [{ POSTURE_BODY_RATE_WINDOW_MS: '99' }, /^POSTURE_BODY_RATE_WINDOW_MS must be between 100/],
    [{ POSTURE_HEADERS_TIMEOUT_MS: '999' }, /^POSTURE_HEADERS_TIMEOUT_MS must be between 1000/],
    [{ POSTURE_TRUST_PROXY: 'true' }, /^POSTURE_TRUST_PROXY must be a hop count \(1-9\) or .* \(got "true"\)$/],
    [{ POSTURE_TRUST_PROXY: '10.0.0.0/33' }, /^POSTURE_TRUST_PROXY must be/],
    [{ POSTURE_TRUST_PROXY: '0' }, /^POSTURE_TRUST_PROXY must be/],
    [{ POSTURE_TRUST_PROXY: '*' }, /^POSTURE_TRUST_PROXY must be/],
  ])('%p → one clear line', (env, message) => {
    expect(fails(env)).toMatch(message);
  });
});
