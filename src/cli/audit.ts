/**
 * `posture audit verify [--tenant t]`: is each tenant's audit hash chain intact? Through the
 * running service (GET …/audit/verify) when a server is given; otherwise offline, on the database
 * the environment names (the embedded one only when no server holds its data dir). Exit 0 intact,
 * 1 a chain is broken, 2 could not check.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import type { AuditVerdict } from '../domain/verify-audit.js';
import { connect } from './api.js';
import { EXIT, fail } from './output.js';

interface AuditOptions {
  tenant?: string;
  server?: string;
  token?: string;
}

export function auditCommand(program: Command): Command {
  return program
    .command('audit')
    .description('the audit log')
    .command('verify')
    .description("check each tenant's audit hash chain (all the token or database reaches, or --tenant)")
    .option('--tenant <slug>', 'one tenant')
    .option(
      '--server <url>',
      'ask this Posture server (default: POSTURE_SERVER; else open the database)',
      process.env.POSTURE_SERVER,
    )
    .option('--token <jwt>', 'a token with tenants:read (default: POSTURE_TOKEN)', process.env.POSTURE_TOKEN);
}

export async function auditVerify(o: AuditOptions): Promise<number> {
  const verdicts = o.server ? await online(o) : await offline(o.tenant);
  for (const [slug, v] of verdicts) {
    const where = v.brokenAt ? `: broken at seq ${v.brokenAt.seq} (${v.brokenAt.reason}, entry ${v.brokenAt.id})` : '';
    const head = v.head ? `, head seq ${v.head.seq} ${v.head.hash}` : '';
    process.stdout.write(`${slug}: ${v.intact ? 'intact' : 'BROKEN'}, ${v.rows} entries checked${head}${where}\n`);
  }
  return [...verdicts.values()].every((v) => v.intact) ? EXIT.ok : EXIT.findings;
}

async function online(o: AuditOptions): Promise<Map<string, AuditVerdict>> {
  const api = connect(o.server, o.token);
  const slugs = o.tenant ? [o.tenant] : await allSlugs(api);
  const out = new Map<string, AuditVerdict>();
  for (const slug of slugs)
    out.set(slug, await api.json<AuditVerdict>(`/v1/tenants/${encodeURIComponent(slug)}/audit/verify`));
  return out;
}

async function allSlugs(api: ReturnType<typeof connect>): Promise<string[]> {
  const slugs: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { slug: string }[]; nextCursor: string | null } = await api.json(
      `/v1/tenants?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    slugs.push(...page.items.map((t) => t.slug));
    cursor = page.nextCursor;
  } while (cursor);
  return slugs;
}

async function offline(tenant: string | undefined): Promise<Map<string, AuditVerdict>> {
  const config = fail.onConfigError(() => loadConfig(process.env));
  const { openDatabase } = await import('../db/client.js');
  const { verifyAllAuditChains } = await import('../domain/verify-audit.js');
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }).catch((err: Error) =>
    fail.now(`${err.message}${config.databaseUrl ? '' : ' (or give --server to ask the running service)'}`),
  );
  try {
    return await verifyAllAuditChains(db.system('posture audit verify, offline'), tenant);
  } finally {
    await db.close();
  }
}
