import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { TokenVerifier } from '../auth/verify-token.js';
import type { Config } from '../config/load-config.js';
import type { Database } from '../db/client.js';
import type { Catalog } from '../engine/catalog.js';
import type { Signer } from '../reporting/signing-key.js';
import type { Keyring } from '../core/sealing.js';
import type { Work } from '../domain/work.js';

/** Everything the app needs, passed in: nothing is read from the environment or a global. */
export interface AppDeps {
  config: Config;
  database: Database;
  verifyToken: TokenVerifier;
  logger: Logger;
  /** Prometheus registry; main.ts adds the default process metrics to it */
  registry: Registry;
  /** the rule packs, loaded and checked at start-up */
  catalog: Catalog;
  /** the report-signing key and certificate */
  signer: Signer;
  /** the data keys raw exports and attestation files are sealed with */
  keyring: Keyring;
  /** where parse, normalise, evaluate and render run: the worker pool (src/workers) */
  work: Work;
  /** pack ids tenants may choose (the catalogue's) */
  knownPacks: readonly string[];
  /** the service version (package.json), for SARIF and the OpenAPI document */
  version: string;
  /** the clock; tests pin it */
  now: () => Date;
  /**
   * false only in the test that proves row-level security alone keeps tenants apart: the
   * application's own tenancy decisions then treat every token as reaching every tenant, while
   * the database still binds each request to the tenants its token names.
   */
  appTenancyChecks?: boolean;
  /** where the built console's static files are (default: console/dist) */
  consoleDir?: string;
  /** true once SIGTERM arrived: /readyz answers 503 so load balancers drain us */
  shuttingDown?: () => boolean;
}
