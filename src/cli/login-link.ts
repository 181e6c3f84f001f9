/**
 * `posture login-link --tenant t --role r --sub s`: prints a one-time URL that signs a person in
 * to the console. With a server (--server, POSTURE_SERVER, or the embedded default's own server
 * holding the data dir) it asks the running service (POST /v1/login-links), with --token or an
 * admin token minted from the data dir's secret; otherwise it writes the link into the database
 * the environment names.
 */
import type { Command } from 'commander';
import { mintToken } from '../auth/mint-token.js';
import { ROLE_NAMES, type Role } from '../auth/scopes.js';
import { loadOrCreateSecret } from '../auth/secret.js';
import { type Config, loadConfig } from '../config/load-config.js';
import { connect } from './api.js';
import { CliError, EXIT, fail } from './output.js';

const TENANT = /^(\*|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;
const TTL = /^(\d{1,6})(s|m|h)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

interface LoginLinkOptions {
  tenant: string;
  role: string;
  sub: string;
  name?: string;
  email?: string;
  ttl: string;
  server?: string;
  token?: string;
}

export function loginLinkCommand(program: Command): Command {
  return program
    .command('login-link')
    .description('print a one-time URL that signs a person in to the web console (valid once, 10 minutes by default)')
    .requiredOption(
      '--tenant <slug>',
      "the tenant the session reaches (an MSP's slug reaches its clients); '*' for all",
    )
    .requiredOption('--role <role>', `one of ${ROLE_NAMES.join(', ')}`)
    .requiredOption('--sub <subject>', 'who signs in (recorded in the audit log with what they do)')
    .option('--name <name>', "the person's name, recorded with their approvals")
    .option('--email <email>', "the person's email, recorded with their approvals")
    .option('--ttl <duration>', 'how long the link works: 60s to 24h, e.g. 10m', '10m')
    .option('--server <url>', 'the running Posture server (default: POSTURE_SERVER)', process.env.POSTURE_SERVER)
    .option(
      '--token <jwt>',
      'a token with tenants:admin (default: POSTURE_TOKEN; else minted from the data dir)',
      process.env.POSTURE_TOKEN,
    );
}

export async function loginLink(o: LoginLinkOptions): Promise<number> {
  const config = fail.onConfigError(() => loadConfig(process.env));
  if (!ROLE_NAMES.includes(o.role as Role)) fail.now(`--role must be one of ${ROLE_NAMES.join(', ')}`);
  if (!TENANT.test(o.tenant)) fail.now(`--tenant must be a tenant slug or '*' (got ${o.tenant})`);
  const ttlSeconds = parseTtl(o.ttl);
  const input = { tenant: o.tenant, role: o.role as Role, sub: o.sub, name: o.name, email: o.email, ttlSeconds };
  const url = o.server ? await online(o.server, o.token, config, input) : await offlineOrLocal(o.token, config, input);
  process.stdout.write(`${url}\n`);
  return EXIT.ok;
}

function parseTtl(ttl: string): number {
  const m = TTL.exec(ttl.trim());
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS] : Number.NaN;
  if (!(seconds >= 60 && seconds <= 86_400)) fail.now(`--ttl must be between 60s and 24h, e.g. 10m (got ${ttl})`);
  return seconds;
}

type Input = { tenant: string; role: Role; sub: string; name?: string; email?: string; ttlSeconds: number };

async function online(server: string, token: string | undefined, config: Config, input: Input): Promise<string> {
  const api = connect(server, token ?? (await localAdminToken(config)));
  const res = await api.request('POST', '/v1/login-links', {
    body: JSON.stringify(input),
    headers: { 'content-type': 'application/json' },
  });
  return ((await res.json()) as { url: string }).url;
}

/** A two-minute admin token from the embedded default's secret, as `posture token` mints. */
async function localAdminToken(config: Config): Promise<string> {
  if (config.jwt.mode !== 'hs256')
    fail.now(
      'give --token (a token with tenants:admin from your identity provider): this deployment does not use the data-dir secret',
    );
  return mintToken({
    secret: loadOrCreateSecret(config.dataDir),
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    sub: 'posture-cli',
    tenants: ['*'],
    role: 'admin',
    ttl: '2m',
  });
}

/** No server given: the database directly — unless the embedded one is held by a running server, then that server. */
async function offlineOrLocal(token: string | undefined, config: Config, input: Input): Promise<string> {
  const { openDatabase, DataDirLockedError } = await import('../db/client.js');
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      const own = config.publicUrl ?? `http://localhost:${config.port}`;
      return online(process.env.POSTURE_SERVER ?? own, token, config, input);
    }
    throw new CliError((err as Error).message);
  }
  try {
    return await writeLink(database, config, input);
  } finally {
    await database.close();
  }
}

async function writeLink(
  database: Awaited<ReturnType<typeof import('../db/client.js').openDatabase>>,
  config: Config,
  input: Input,
): Promise<string> {
  const { findTenantBySlug } = await import('../db/tenants.js');
  const { createLoginLink } = await import('../domain/create-login-link.js');
  // a data dir no server has started yet: the tables come first (a server's start migrates PostgreSQL)
  if (!config.databaseUrl) await database.migrate();
  const db = database.system('posture login-link, offline');
  const tenant = input.tenant === '*' ? '*' : await db.transaction((tx) => findTenantBySlug(tx, input.tenant));
  if (!tenant) throw new CliError(`no tenant "${input.tenant}"`);
  const principal = { sub: 'posture-cli', tenants: ['*'], scopes: new Set<never>() };
  const link = await createLoginLink({ db, principal, now: new Date() }, { ...input, tenant });
  return `${config.publicUrl ?? `http://localhost:${config.port}`}/login?token=${link.token}`;
}
