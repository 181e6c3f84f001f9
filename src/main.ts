/**
 * load config → open the database and migrate → build the app → listen. The only place that
 * exits the process: on a bad configuration (one clear line), and after a graceful shutdown.
 */
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { buildApp } from './app.js';
import { loadOrCreateSecret } from './auth/secret.js';
import { createTokenVerifier } from './auth/verify-token.js';
import { ConfigError, loadConfig, type Config } from './config/load-config.js';
import { openDatabase, type Database } from './db/client.js';
import { loadCatalog } from './engine/load-packs.js';
import { PackLoadError } from './engine/yaml-source.js';
import { loadSigner } from './reporting/signing-key.js';
import { VERSION } from './version.js';

/** How long in-flight requests get after SIGTERM before their connections are cut. */
const DRAIN_MS = 25_000;

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`posture: configuration error: ${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = pino({ level: config.logLevel, base: { service: 'posture' } });
  let catalog;
  try {
    catalog = loadCatalog();
  } catch (err) {
    if (!(err instanceof PackLoadError)) throw err;
    process.stderr.write(`posture: a rule pack does not load:\n${err.message}\n`);
    process.exit(78);
  }
  logger.info({ packs: [...catalog.packs.keys()], rules: catalog.rules.size }, 'rule packs loaded');
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  logger.info({ driver: database.driver, dataDir: database.driver === 'pglite' ? config.dataDir : undefined }, 'database ready (migrations applied)');

  const signer = loadSigner(config.signing, config.dataDir, new Date());
  logger.info({ fingerprint: signer.fingerprint, subject: signer.subject, selfSigned: signer.selfSigned },
    signer.selfSigned ? `reports are signed with a self-signed certificate kept in ${config.dataDir}/signing (set POSTURE_SIGNING_P12 or POSTURE_SIGNING_KEY/_CERT for your own)` : 'report signing certificate loaded');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let shuttingDown = false;
  const app = buildApp({
    config,
    database,
    logger,
    registry,
    verifyToken: createTokenVerifier(config.jwt, config.jwt.mode === 'hs256' ? loadOrCreateSecret(config.dataDir) : undefined),
    catalog,
    signer,
    knownPacks: [...catalog.packs.keys()],
    version: VERSION,
    now: () => new Date(),
    shuttingDown: () => shuttingDown,
  });
  const server = app.listen(config.port, () => {
    const port = (server.address() as { port: number }).port;
    logger.info({ port }, `listening on http://localhost:${port}`);
    if (config.jwt.mode === 'hs256') logger.info(`mint a first admin token with: node dist/cli/index.js token --tenant '*' --role admin`);
  });
  server.on('error', (err) => {
    logger.fatal({ err }, 'cannot listen');
    process.exit(1);
  });
  const stop = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    void shutdown(server, database, logger, signal);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** Stop accepting, let in-flight requests finish (up to DRAIN_MS), close the database, exit. */
async function shutdown(server: Server, database: Database, logger: Logger, signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
  const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  force.unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await database.close();
  logger.info('stopped');
  logger.flush?.();
  process.exit(0);
}
