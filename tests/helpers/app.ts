/**
 * A real app on real migrations: in-memory PGlite by default, the PostgreSQL of DATABASE_URL
 * when it is set (then tests share one database, so every test makes its own tenants with
 * unique slugs and never assumes an empty table).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import request from 'supertest';
import type { Express } from 'express';
import { buildApp } from '../../src/app.js';
import { ROLES, type Role } from '../../src/auth/scopes.js';
import { createTokenVerifier } from '../../src/auth/verify-token.js';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { Catalog } from '../../src/engine/catalog.js';
import { type Keyring, keyringOf } from '../../src/core/sealing.js';
import { loadCatalog, RULES_DIR } from './catalog.js';
import { readRuleFiles } from '../../src/config/rule-files.js';
import { createWorkPool } from '../../src/workers/pool.js';
import { migratedImage } from './pglite-image.js';
import { VERSION } from '../../src/version.js';
import { loadSigner, type Signer } from '../../src/reporting/signing-key.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDeps } from '../../src/http/deps.js';

export interface TestApp {
  app: Express;
  deps: AppDeps;
  database: Database;
  secret: Uint8Array;
  /**
   * The tables as their owner (or a superuser) sees them, for a test to inspect or tamper with:
   * not bound by row-level security, unlike every query of the service itself.
   */
  owner: Database['db'];
  /** a token for `tenants` with a role preset (or explicit scopes), and any further claims (`name`, `email`) */
  token(tenants: string[], role: Role | string[], sub?: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * Rate limits far above what any test sends, so that tests share the client address 127.0.0.1
 * (and, on PostgreSQL, the counters) without tripping them; tests of the limits set low ones.
 */
const GENEROUS_LIMITS = {
  // one worker thread per test app (tests run side by side on small machines)
  POSTURE_WORKERS: '1',
  POSTURE_RATE_LIMIT_PER_ADDRESS: '1000000',
  POSTURE_RATE_LIMIT_PER_SUBJECT: '1000000',
  POSTURE_RATE_LIMIT_PUBLIC: '1000000',
  POSTURE_RATE_LIMIT_FAILED_AUTH: '1000000',
};

export interface TestAppOptions extends Partial<AppDeps> {
  /** environment variables, read by loadConfig */
  env?: Record<string, string>;
  /** the PostgreSQL to use instead of DATABASE_URL (a proxy in front of it, say) */
  databaseUrl?: string;
}

export async function createTestApp(overrides: TestAppOptions = {}): Promise<TestApp> {
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    POSTURE_DATA_DIR: '/nonexistent',
    ...GENEROUS_LIMITS,
    ...overrides.env,
  });
  const url = overrides.databaseUrl ?? process.env.DATABASE_URL;
  const registry = overrides.registry ?? new Registry();
  const database = await openDatabase({
    url,
    ownerUrl: process.env.POSTURE_DATABASE_OWNER_URL,
    timeouts: config.database,
    ...(url ? {} : { pgliteImage: IMAGE }),
  });
  await database.migrate();
  const ownerDatabase = process.env.POSTURE_DATABASE_OWNER_URL
    ? await openDatabase({ url: process.env.POSTURE_DATABASE_OWNER_URL })
    : undefined;
  const secret = new Uint8Array(randomBytes(32));
  const pool = overrides.work
    ? undefined
    : createWorkPool({ config: config.workers, ruleFiles: readRuleFiles(RULES_DIR), registry });
  const deps: AppDeps = {
    config,
    database,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    registry,
    verifyToken: createTokenVerifier(config.jwt, secret),
    catalog: catalog(),
    signer: testSigner(),
    keyring: testKeyring(),
    work: pool!,
    knownPacks: [...catalog().packs.keys()],
    version: VERSION,
    now: () => new Date(),
    ...withoutTestOptions(overrides),
  };
  const app = buildApp(deps);
  return {
    app,
    deps,
    database,
    secret,
    owner: (ownerDatabase ?? database).db,
    token: (tenants, role, sub = 'test-user', claims = {}) =>
      new SignJWT({ ...claims, tenants, scope: (Array.isArray(role) ? role : ROLES[role]).join(' ') })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer(config.jwt.issuer)
        .setAudience(config.jwt.audience)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(secret),
    close: async () => {
      await pool?.close();
      await ownerDatabase?.close();
      await database.close();
    },
  };
}

function withoutTestOptions({ env: _env, databaseUrl: _url, ...deps }: TestAppOptions): Partial<AppDeps> {
  return deps;
}

/**
 * Loaded (or, the first time on a machine, made) when a test file imports this helper: module
 * loading has no time-out, while a set-up hook that also had to make the image could pass 30 s.
 */
const IMAGE = process.env.DATABASE_URL ? undefined : await migratedImage();

let loaded: Catalog | undefined;
/** The real rule packs, loaded once per test file. */
export function catalog(): Catalog {
  return (loaded ??= loadCatalog());
}

const keyring = keyringOf([{ id: 'test-1', key: randomBytes(32) }]);
/** The data keys of a test app: one random key per test process. */
export function testKeyring(): Keyring {
  return keyring;
}

let signer: Signer | undefined;
/** One self-signed report signer for every test run (created once, then reused from the temp dir). */
export function testSigner(): Signer {
  return (signer ??= loadSigner({ mode: 'self-signed' }, join(tmpdir(), 'posture-test-signer'), new Date()));
}

/** A slug no other test (or earlier run on a shared database) uses. */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TenantPair {
  msp: string;
  client: string;
}

/** An MSP with one client, created through the API with a deployment-wide admin token. */
export async function createMspWithClient(t: TestApp, externalRefs: Record<string, string> = {}): Promise<TenantPair> {
  const root = await t.token(['*'], 'admin', 'root');
  const msp = uniqueSlug('msp');
  const client = uniqueSlug('client');
  await request(t.app)
    .post('/v1/tenants')
    .set('Authorization', `Bearer ${root}`)
    .send({ slug: msp, name: `MSP ${msp}`, kind: 'msp' })
    .expect(201);
  await request(t.app)
    .post('/v1/tenants')
    .set('Authorization', `Bearer ${root}`)
    .send({ slug: client, name: `Client ${client}`, kind: 'client', parent: msp, externalRefs })
    .expect(201);
  return { msp, client };
}

/** A GET whose body is bytes (a PDF, a download), as a Buffer in `body`. */
export function getBytes(app: TestApp['app'], path: string, token: string) {
  return request(app)
    .get(path)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}
