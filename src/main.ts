/**
 * load config → check the keys, the signer and the data dir → open the database and migrate →
 * build the app → listen. The only place that exits the process: on a start-up failure with one
 * line (`posture: …`, no stack; 78 for a configuration problem, 1 otherwise), and after a
 * graceful shutdown.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { buildApp } from './app.js';
import type { Scope } from './auth/scopes.js';
import type { UseCaseContext } from './domain/context.js';
import { recoverUnevaluated } from './domain/recover-unevaluated.js';
import { loadOrCreateSecret } from './auth/secret.js';
import { loadKeyring } from './config/data-keys.js';
import { createTokenVerifier } from './auth/verify-token.js';
import { ConfigError, loadConfig, redactUrl, type Config } from './config/load-config.js';
import { readRuleFiles } from './config/rule-files.js';
import { DataDirLockedError, openDatabase, type Database } from './db/client.js';
import { PrivilegedLoginError } from './db/roles.js';
import { APP_ROLE } from './db/scope.js';
import { compileCatalog } from './engine/compile-catalog.js';
import { PackLoadError } from './engine/yaml-source.js';
import { safeErrorSerializer } from './http/middleware/log-safe-error.js';
import { createHttpServer } from './http/server.js';
import { loadSigner } from './reporting/signing-key.js';
import { VERSION } from './version.js';
import { createWorkPool, type WorkPool } from './workers/pool.js';

/** How long in-flight requests get after SIGTERM before their connections are cut. */
const DRAIN_MS = 25_000;

const EX_CONFIG = 78;

/** A start-up failure: its message is the whole line printed (after `posture: `). */
class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let database: Database | undefined;
  try {
    await start(env, (db) => (database = db));
  } catch (err) {
    const { message, exitCode } = startupFailure(err);
    process.stderr.write(`posture: ${message}\n`);
    await database?.close().catch(() => {});
    process.exit(exitCode);
  }
}

async function start(env: NodeJS.ProcessEnv, opened: (db: Database) => void): Promise<void> {
  // A SIGTERM or SIGINT before the service listens (loading, migrating, recovering) stops it at
  // once — registered first, so that no signal finds the process without a handler of ours. The
  // database lock is released by its exit hook; an interrupted migration is rolled back.
  const early = (signal: string) => {
    process.stdout.write(
      `${JSON.stringify({ level: 30, time: Date.now(), signal, msg: 'stopped before listening' })}\n`,
    );
    process.exit(0);
  };
  process.once('SIGTERM', early);
  process.once('SIGINT', early);
  const config = loadConfig(env);
  const logger = pino({
    level: config.logLevel,
    base: { service: 'posture' },
    serializers: { err: safeErrorSerializer },
  });
  const ruleFiles = readRuleFiles();
  const catalog = compileCatalog(ruleFiles);
  logger.info({ packs: [...catalog.packs.keys()], rules: catalog.rules.size }, 'rule packs loaded');

  // Everything a configuration names is checked before the database opens: a missing key file
  // is one line, not a database left half-migrated behind it.
  const usesDataDir =
    !config.databaseUrl ||
    config.jwt.mode === 'hs256' ||
    config.signing.mode === 'self-signed' ||
    config.dataKeys.mode === 'file';
  if (usesDataDir) ensureDataDir(config.dataDir);
  const jwtVariable = {
    hs256: 'POSTURE_DATA_DIR',
    jwks: 'POSTURE_JWT_JWKS_URL',
    'public-key': 'POSTURE_JWT_PUBLIC_KEY',
  }[config.jwt.mode];
  const verifyToken = configured(jwtVariable, () =>
    createTokenVerifier(config.jwt, config.jwt.mode === 'hs256' ? loadOrCreateSecret(config.dataDir) : undefined),
  );
  const signingVariable = { p12: 'POSTURE_SIGNING_P12', pem: 'POSTURE_SIGNING_KEY', 'self-signed': 'POSTURE_DATA_DIR' }[
    config.signing.mode
  ];
  const signer = configured(signingVariable, () => loadSigner(config.signing, config.dataDir, new Date()));
  const keyring = configured(config.dataKeys.mode === 'env' ? 'POSTURE_DATA_KEYS' : 'POSTURE_DATA_DIR', () =>
    loadKeyring(config),
  );

  const database = await openAndMigrate(config, logger);
  opened(database);
  logger.info(
    { driver: database.driver, dataDir: database.driver === 'pglite' ? config.dataDir : undefined },
    'database ready (migrations applied)',
  );
  logger.info(
    { fingerprint: signer.fingerprint, subject: signer.subject, selfSigned: signer.selfSigned },
    signer.selfSigned
      ? `reports are signed with a self-signed certificate kept in ${config.dataDir}/signing (set POSTURE_SIGNING_P12 or POSTURE_SIGNING_KEY/_CERT for your own)`
      : 'report signing certificate loaded',
  );
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const work = createWorkPool({
    config: config.workers,
    ruleFiles,
    registry,
    onIdleError: (err) => logger.error({ err }, 'a worker thread failed between tasks (replaced)'),
  });
  logger.info(config.workers, 'worker pool started');
  let shuttingDown = false;
  const app = buildApp({
    config,
    database,
    logger,
    registry,
    verifyToken,
    catalog,
    signer,
    keyring,
    work,
    knownPacks: [...catalog.packs.keys()],
    version: VERSION,
    now: () => new Date(),
    shuttingDown: () => shuttingDown,
  });
  await recoverAtStart(database, { catalog, signer, keyring, work, logger });
  const server = await listen(createHttpServer(app, config), config.port);
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, `listening on http://localhost:${port}`);
  if (config.jwt.mode === 'hs256')
    logger.info(`mint a first admin token with: node dist/cli/index.js token --tenant '*' --role admin`);
  server.on('error', (err) => {
    logger.fatal({ err }, 'server error');
    process.exit(1);
  });
  const stop = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    void shutdown(server, database, work, logger, signal);
  };
  process.off('SIGTERM', early);
  process.off('SIGINT', early);
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * Snapshots stored by an ingest that died before evaluating are evaluated before the service
 * answers (a system context: it reads every tenant). A failure is logged, never fatal.
 */
async function recoverAtStart(
  database: Database,
  deps: Pick<UseCaseContext, 'catalog' | 'signer' | 'keyring' | 'work'> & { logger: Logger },
): Promise<void> {
  const { logger, ...rest } = deps;
  const principal = { sub: 'posture:recovery', tenants: ['*'], scopes: new Set<Scope>() };
  const system = (reason: string) => database.system(reason);
  const db = system('start-up recovery of interrupted ingests');
  try {
    const n = await recoverUnevaluated({ ...rest, db, system, principal, now: new Date(), requestId: 'start-up' });
    if (n > 0) logger.warn({ tenants: n }, 'evaluated snapshots an interrupted ingest had stored without evaluating');
  } catch (err) {
    logger.error({ err }, 'could not evaluate the snapshots an interrupted ingest left');
  }
}

/** Resolves once listening; an error of the listen itself (the port is taken) rejects. */
function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const refused = (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'the address is already in use'
          : err.code === 'EACCES'
            ? 'permission denied'
            : err.message;
      reject(
        new StartupError(
          `cannot listen on port ${port}: ${why}${err.code ? ` (${err.code})` : ''}`,
          err.code === 'EACCES' ? EX_CONFIG : 1,
        ),
      );
    };
    server.once('error', refused);
    server.listen(port, () => {
      server.off('error', refused);
      resolve(server);
    });
  });
}

function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ConfigError(`POSTURE_DATA_DIR: cannot create ${dataDir} (${errnoOf(err)})`);
  }
}

/** A step that only reads what the configuration names: any failure of it is a configuration error. */
function configured<T>(variable: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const message = describe(err);
    // the key and signer errors name their source already; name it where they do not (crypto's)
    throw new ConfigError(
      message.startsWith('POSTURE_') || message.startsWith('the self-signed') ? message : `${variable}: ${message}`,
    );
  }
}

async function openAndMigrate(config: Config, logger: Logger): Promise<Database> {
  let database: Database | undefined;
  try {
    database = await openDatabase({
      url: config.databaseUrl,
      ownerUrl: config.databaseOwnerUrl,
      dataDir: config.dataDir,
      timeouts: config.database,
      production: config.env === 'production',
      onSystem: (reason) => logger.debug({ reason }, 'system context (every tenant in reach)'),
      onPrivilegedLogin: (user) =>
        logger.warn(
          { user },
          `DATABASE_URL logs in as ${user}, a superuser: every transaction drops to the ${APP_ROLE} role so that row-level security binds it (in production, log in as an unprivileged role and set POSTURE_DATABASE_OWNER_URL)`,
        ),
    });
    await database.migrate();
    // the login is checked now, not at the first request: a superuser login in production stops here
    await database.system('start-up check of the login role').transaction(async () => {});
    return database;
  } catch (err) {
    await database?.close().catch(() => {});
    if (err instanceof DataDirLockedError) throw new StartupError(err.message, 1);
    if (err instanceof PrivilegedLoginError) throw new StartupError(err.message, EX_CONFIG);
    const cause = (err as { cause?: unknown }).cause ?? err;
    const code = (cause as { code?: unknown }).code;
    const where = config.databaseUrl
      ? `the database at ${redactUrl(config.databaseUrl)}`
      : `the embedded database in ${config.dataDir}`;
    // wrong password, unknown role or database: the configuration is wrong, not the network
    const configProblem = typeof code === 'string' && (code.startsWith('28') || code === '3D000');
    throw new StartupError(`cannot open ${where}: ${describe(cause)}`, configProblem ? EX_CONFIG : 1);
  }
}

/** One line for an error of any shape (a connection refused on every address is an AggregateError with no message). */
function describe(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; errors?: unknown };
  let message = typeof e?.message === 'string' ? e.message : String(err);
  if (!message && Array.isArray(e.errors) && e.errors.length > 0) message = (e.errors[0] as Error).message ?? '';
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (!message) message = code === 'ECONNREFUSED' ? 'connection refused' : 'failed';
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** What to print and the exit code, for any start-up failure. */
function startupFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof ConfigError)
    return { message: `configuration error: ${oneLine(err.message)}`, exitCode: EX_CONFIG };
  // the only failure allowed several lines: one per pack error, each with its file:line
  if (err instanceof PackLoadError)
    return { message: `a rule pack does not load:\n${err.message}`, exitCode: EX_CONFIG };
  if (err instanceof StartupError) return { message: oneLine(err.message), exitCode: err.exitCode };
  return { message: `cannot start: ${oneLine(describe(err))}`, exitCode: 1 };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Stop accepting, let in-flight requests finish (up to DRAIN_MS), close the database, exit. */
async function shutdown(
  server: Server,
  database: Database,
  work: WorkPool,
  logger: Logger,
  signal: string,
): Promise<void> {
  logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
  const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  force.unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await work.close();
  await database.close();
  logger.info('stopped');
  logger.flush?.();
  process.exit(0);
}
