/**
 * Environment → validated Config. Pure: the caller passes the environment and gets either a
 * Config or a ConfigError whose message is one line naming the variable and what it expects.
 */
import { resolve } from 'node:path';
import { type DataKey, keyringOf, parseKeys } from '../core/sealing.js';
import { compileSchema } from '../schemas/validator.js';
import { type AvailabilityConfig, availabilityConfig } from './availability.js';
import { bounded, ConfigError } from './bounded.js';
import { configSchema } from './schema.js';
import { heapFitsExports, type WorkerConfig, workerConfig } from './workers.js';

export interface JwtConfig {
  issuer: string;
  audience: string;
  /** HS256 with the secret kept in the data dir (the embedded default) */
  mode: 'hs256' | 'jwks' | 'public-key';
  jwksUrl?: string;
  /** PEM text or path */
  publicKey?: string;
}

export type SigningConfig =
  | { mode: 'self-signed' }
  | { mode: 'p12'; path: string; password: string }
  | { mode: 'pem'; key: string; cert: string };

export interface Config extends AvailabilityConfig {
  env: 'production' | 'development' | 'test';
  port: number;
  dataDir: string;
  databaseUrl?: string;
  /** the owner's URL: migrations, and the service's login role created from DATABASE_URL */
  databaseOwnerUrl?: string;
  maxSnapshotBytes: number;
  maxBodyBytes: number;
  logLevel: string;
  jwt: JwtConfig;
  signing: SigningConfig;
  /** the data keys (raw exports and attestation files are sealed with them): from POSTURE_DATA_KEYS, else a keyring file in the data dir */
  dataKeys: { mode: 'env'; keys: DataKey[] } | { mode: 'file' };
  /** the worker pool: threads, queue, heap per thread */
  workers: WorkerConfig;
  /**
   * the origin people reach the service at (POSTURE_PUBLIC_URL, no trailing slash): console links
   * and the Origin a cookie-authenticated request must carry; unset = the request's own host
   */
  publicUrl?: string;
}

export { ConfigError };

type Env = Record<string, string | undefined>;
const MB = 1024 * 1024;

export function loadConfig(env: Env): Config {
  const raw = pickKnown(env);
  checkSchema(raw);
  const production = raw.NODE_ENV === 'production';
  const config: Config = {
    env: (raw.NODE_ENV as Config['env']) ?? 'development',
    port: bounded('PORT', raw.PORT, 8080, 0, 65535),
    dataDir: resolve(raw.POSTURE_DATA_DIR ?? './data'),
    databaseUrl: raw.DATABASE_URL,
    databaseOwnerUrl: ownerUrl(raw),
    maxSnapshotBytes: bounded('POSTURE_MAX_SNAPSHOT_BYTES', raw.POSTURE_MAX_SNAPSHOT_BYTES, 50 * MB, 1024, 2 ** 31 - 1),
    maxBodyBytes: bounded('POSTURE_MAX_BODY_BYTES', raw.POSTURE_MAX_BODY_BYTES, 1 * MB, 1024, 2 ** 31 - 1),
    logLevel: raw.POSTURE_LOG_LEVEL ?? 'info',
    jwt: jwtConfig(raw, production),
    signing: signingConfig(raw, production),
    dataKeys: dataKeysConfig(raw, production),
    workers: workerConfig(raw),
    publicUrl: raw.POSTURE_PUBLIC_URL === undefined ? undefined : new URL(raw.POSTURE_PUBLIC_URL).origin,
    ...availabilityConfig(raw),
  };
  config.workers = heapFitsExports(config.workers, config.maxSnapshotBytes, raw.POSTURE_WORKER_HEAP_MB !== undefined);
  return config;
}

function pickKnown(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(configSchema.properties)) {
    const v = env[key];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

function checkSchema(raw: Record<string, string>): void {
  const validate = compileSchema(configSchema);
  if (validate(raw)) return;
  const err = validate.errors![0]!;
  const name = err.instancePath.slice(1);
  const prop = (configSchema.properties as Record<string, { description: string }>)[name];
  throw new ConfigError(`${name} must be ${prop?.description ?? 'valid'} (${echo(name, raw[name])})`);
}

/** Variables whose value is never repeated in a message: it is, or may be, a secret itself. */
const SECRET_VARIABLES = new Set(['POSTURE_SIGNING_P12_PASSWORD', 'POSTURE_SIGNING_KEY', 'POSTURE_DATA_KEYS']);
/** URL-valued variables: repeated with the password of their userinfo (and a ?password=) masked. */
const URL_VARIABLES = new Set(['DATABASE_URL', 'POSTURE_DATABASE_OWNER_URL', 'POSTURE_JWT_JWKS_URL']);

/** What a start-up error may say about the value it refuses. */
function echo(name: string, value: string | undefined): string {
  if (value === undefined) return 'unset';
  if (SECRET_VARIABLES.has(name)) return 'value not shown';
  return `got ${JSON.stringify(URL_VARIABLES.has(name) ? redactUrl(value) : value)}`;
}

/**
 * The URL with the password of its userinfo, and any `password=` query parameter, replaced by
 * `***`. Works on mistyped URLs too (no scheme, one slash, an unescaped `@` in the password): from
 * the first `:` of the userinfo to the last `@` of the text is masked.
 */
export function redactUrl(value: string): string {
  let out = value;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(out)?.[0] ?? '';
  const at = out.lastIndexOf('@');
  const colon = out.indexOf(':', scheme.length);
  if (at > scheme.length && colon >= 0 && colon < at) out = `${out.slice(0, colon + 1)}***${out.slice(at)}`;
  return out.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

function jwtConfig(raw: Record<string, string>, production: boolean): JwtConfig {
  const { POSTURE_JWT_JWKS_URL: jwksUrl, POSTURE_JWT_PUBLIC_KEY: publicKey } = raw;
  if (jwksUrl && publicKey)
    throw new ConfigError(
      'POSTURE_JWT_JWKS_URL and POSTURE_JWT_PUBLIC_KEY must not both be set (choose one key source)',
    );
  const asymmetric = Boolean(jwksUrl || publicKey);
  if (production && !asymmetric) {
    throw new ConfigError(
      'POSTURE_JWT_JWKS_URL or POSTURE_JWT_PUBLIC_KEY must be set when NODE_ENV=production (the HS256 data-dir secret is for the embedded default only)',
    );
  }
  if (asymmetric || production) {
    for (const name of ['POSTURE_JWT_ISSUER', 'POSTURE_JWT_AUDIENCE'] as const) {
      if (!raw[name])
        throw new ConfigError(`${name} must be set when tokens are verified with a JWKS URL or public key`);
    }
  }
  return {
    issuer: raw.POSTURE_JWT_ISSUER ?? 'posture',
    audience: raw.POSTURE_JWT_AUDIENCE ?? 'posture-api',
    mode: jwksUrl ? 'jwks' : publicKey ? 'public-key' : 'hs256',
    jwksUrl,
    publicKey,
  };
}

function signingConfig(raw: Record<string, string>, production: boolean): SigningConfig {
  const p12 = raw.POSTURE_SIGNING_P12;
  const key = raw.POSTURE_SIGNING_KEY;
  const cert = raw.POSTURE_SIGNING_CERT;
  if (p12 && (key || cert))
    throw new ConfigError('POSTURE_SIGNING_P12 and POSTURE_SIGNING_KEY/_CERT must not both be set (choose one)');
  if (Boolean(key) !== Boolean(cert)) {
    throw new ConfigError(
      `${key ? 'POSTURE_SIGNING_CERT' : 'POSTURE_SIGNING_KEY'} must be set together with ${key ? 'POSTURE_SIGNING_KEY' : 'POSTURE_SIGNING_CERT'}`,
    );
  }
  if (p12) return { mode: 'p12', path: p12, password: raw.POSTURE_SIGNING_P12_PASSWORD ?? '' };
  if (key && cert) return { mode: 'pem', key, cert };
  if (production)
    throw new ConfigError(
      'POSTURE_SIGNING_P12 or POSTURE_SIGNING_KEY and POSTURE_SIGNING_CERT must be set when NODE_ENV=production (no self-signed report certificate in production)',
    );
  return { mode: 'self-signed' };
}

function dataKeysConfig(raw: Record<string, string>, production: boolean): Config['dataKeys'] {
  const text = raw.POSTURE_DATA_KEYS;
  if (!text) {
    if (production)
      throw new ConfigError(
        'POSTURE_DATA_KEYS must be set when NODE_ENV=production (raw exports are encrypted with it; back it up: losing it loses the raw evidence)',
      );
    return { mode: 'file' };
  }
  const keys = parseKeys(text);
  try {
    keyringOf(keys);
  } catch (err) {
    throw new ConfigError(`POSTURE_DATA_KEYS: ${(err as Error).message}`);
  }
  return { mode: 'env', keys };
}

function ownerUrl(raw: Record<string, string>): string | undefined {
  const owner = raw.POSTURE_DATABASE_OWNER_URL;
  if (owner && !raw.DATABASE_URL)
    throw new ConfigError(
      'POSTURE_DATABASE_OWNER_URL needs DATABASE_URL (the embedded database has no roles to separate)',
    );
  return owner;
}
