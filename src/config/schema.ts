/**
 * The environment variables Posture reads, as a JSON Schema over the raw strings. Each
 * property's `description` is what the start-up error says the variable expects.
 */
import type { JsonSchema } from '../schemas/json-schema.js';

const wholeNumber = (what: string) => ({ type: 'string', pattern: '^[0-9]{1,15}$', description: what }) as const;
const pemOrPath = (what: string) =>
  ({ type: 'string', minLength: 1, description: `${what}: PEM text, or the path of a PEM file` }) as const;

export const configSchema = {
  $id: 'posture:config',
  type: 'object',
  properties: {
    NODE_ENV: { enum: ['production', 'development', 'test'], description: 'one of production, development, test' },
    PORT: wholeNumber('a TCP port number (0-65535)'),
    POSTURE_DATA_DIR: { type: 'string', minLength: 1, description: 'a directory path' },
    DATABASE_URL: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      description: 'a PostgreSQL connection URL (postgres://user@host:5432/db), or unset for the embedded database',
    },
    POSTURE_DATABASE_OWNER_URL: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      description:
        "a PostgreSQL connection URL of the tables' owner (migrations run through it; it creates DATABASE_URL's login role)",
    },
    POSTURE_MAX_SNAPSHOT_BYTES: wholeNumber('a size in bytes, at least 1024'),
    POSTURE_MAX_BODY_BYTES: wholeNumber('a size in bytes, at least 1024'),
    POSTURE_LOG_LEVEL: {
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      description: 'one of fatal, error, warn, info, debug, trace, silent',
    },
    POSTURE_JWT_ISSUER: { type: 'string', minLength: 1, description: 'the expected JWT issuer (iss)' },
    POSTURE_JWT_AUDIENCE: { type: 'string', minLength: 1, description: 'the expected JWT audience (aud)' },
    POSTURE_JWT_JWKS_URL: { type: 'string', pattern: '^https?://', description: 'an http(s) URL of a JWKS document' },
    POSTURE_JWT_PUBLIC_KEY: pemOrPath('an RSA, EC or Ed25519 public key (SPKI)'),
    POSTURE_SIGNING_P12: {
      type: 'string',
      minLength: 1,
      description: 'the path of a PKCS#12 file with the signing key and certificate',
    },
    POSTURE_SIGNING_P12_PASSWORD: { type: 'string', description: 'the PKCS#12 password' },
    POSTURE_SIGNING_KEY: pemOrPath('the document-signing private key'),
    POSTURE_SIGNING_CERT: pemOrPath('the document-signing certificate (chain)'),
    POSTURE_DATA_KEYS: {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$',
      description:
        'id:key pairs separated by commas, each key 32 bytes in base64 (openssl rand -base64 32), the current key first',
    },
    POSTURE_DB_CONNECT_TIMEOUT_MS: wholeNumber('a time in milliseconds'),
    POSTURE_DB_STATEMENT_TIMEOUT_MS: wholeNumber('a time in milliseconds'),
    POSTURE_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: wholeNumber('a time in milliseconds'),
    POSTURE_RATE_LIMIT_WINDOW_MS: wholeNumber('a time in milliseconds'),
    POSTURE_RATE_LIMIT_PER_ADDRESS: wholeNumber('a number of requests (0: no limit)'),
    POSTURE_RATE_LIMIT_PER_SUBJECT: wholeNumber('a number of requests (0: no limit)'),
    POSTURE_RATE_LIMIT_PUBLIC: wholeNumber('a number of requests (0: no limit)'),
    POSTURE_RATE_LIMIT_FAILED_AUTH: wholeNumber('a number of failed authentications (0: no limit)'),
    POSTURE_RATE_LIMIT_FAILED_AUTH_WINDOW_MS: wholeNumber('a time in milliseconds'),
    POSTURE_BODY_STALL_TIMEOUT_MS: wholeNumber('a time in milliseconds'),
    POSTURE_BODY_MIN_BYTES_PER_SECOND: wholeNumber('a rate in bytes per second (0: no rate check)'),
    POSTURE_BODY_RATE_WINDOW_MS: wholeNumber('a time in milliseconds'),
    POSTURE_HEADERS_TIMEOUT_MS: wholeNumber('a time in milliseconds'),
    POSTURE_WORKERS: wholeNumber('a number of worker threads (1-256)'),
    POSTURE_WORKER_QUEUE: wholeNumber('a number of tasks (0: none wait)'),
    POSTURE_WORKER_HEAP_MB: wholeNumber('a heap size in MB (64-65536)'),
    POSTURE_PUBLIC_URL: {
      type: 'string',
      pattern: '^https?://[^/?#\\s]+/?$',
      description: 'the http(s) origin people reach the console at, e.g. https://posture.example.com (no path)',
    },
    POSTURE_TRUST_PROXY: {
      type: 'string',
      pattern: '^[A-Za-z0-9.:/, ]{1,2000}$',
      description:
        'a hop count (1-9) or a comma-separated list of loopback, linklocal, uniquelocal, addresses and subnets',
    },
  },
} as const satisfies JsonSchema;
