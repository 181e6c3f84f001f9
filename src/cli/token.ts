import type { Command } from 'commander';
import { mintToken } from '../auth/mint-token.js';
import { ROLE_NAMES, type Role } from '../auth/scopes.js';
import { loadOrCreateSecret } from '../auth/secret.js';
import { loadConfig } from '../config/load-config.js';
import { CliError, EXIT, fail } from './output.js';

const TENANT = /^(\*|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;

interface TokenOptions {
  tenant: string;
  role: string;
  ttl: string;
  sub: string;
  name?: string;
  email?: string;
}

/** The `token` command's options; its action is `token`. */
export function tokenCommand(program: Command): Command {
  return program
    .command('token')
    .description('mint an HS256 token with the data-dir secret of the embedded default')
    .requiredOption('--tenant <slugs>', "tenant slug(s) the token reaches, comma-separated; '*' for every tenant")
    .requiredOption('--role <role>', `one of ${ROLE_NAMES.join(', ')}`)
    .option('--ttl <duration>', 'lifetime, e.g. 1h, 30m, 7d', '1h')
    .option('--sub <subject>', 'the token subject (recorded in the audit log)', 'posture-cli')
    .option('--name <name>', "the person's name (the OIDC name claim), recorded with their approvals")
    .option('--email <email>', "the person's email (the OIDC email claim), recorded with their approvals");
}

/** Prints the token; a refusal throws a CliError (one line, exit 2). */
export async function token(o: TokenOptions): Promise<number> {
  const config = fail.onConfigError(() => loadConfig(process.env));
  if (config.jwt.mode !== 'hs256')
    fail.now('tokens come from your identity provider when POSTURE_JWT_JWKS_URL or POSTURE_JWT_PUBLIC_KEY is set');
  if (!ROLE_NAMES.includes(o.role as Role)) fail.now(`--role must be one of ${ROLE_NAMES.join(', ')}`);
  const tenants = o.tenant.split(',').map((t) => t.trim());
  if (!tenants.every((t) => TENANT.test(t))) fail.now(`--tenant must be tenant slugs or '*' (got ${o.tenant})`);
  try {
    const minted = await mintToken({
      secret: loadOrCreateSecret(config.dataDir),
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      sub: o.sub,
      tenants,
      role: o.role as Role,
      ttl: o.ttl,
      name: o.name,
      email: o.email,
    });
    process.stdout.write(minted + '\n');
    return EXIT.ok;
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}
