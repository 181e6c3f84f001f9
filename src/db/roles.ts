/**
 * Which role serves requests. The service should log in as a role that is not a superuser, owns
 * no table and has no BYPASSRLS, and is a member of posture_app (the grants of migrations/0003):
 * with POSTURE_DATABASE_OWNER_URL, `ensureLoginRole` creates it from DATABASE_URL's user and
 * password when missing. A superuser (or BYPASSRLS) login is a developer's database: each
 * transaction then drops to posture_app with SET LOCAL ROLE — refused in production.
 */
import type pg from 'pg';
import { APP_ROLE } from './scope.js';

export class PrivilegedLoginError extends Error {
  constructor(user: string) {
    super(
      `DATABASE_URL logs in as ${user}, a superuser or BYPASSRLS role, which row-level security does not bind: in production, log in as a role without them and set POSTURE_DATABASE_OWNER_URL to the owner (the service creates the login role)`,
    );
    this.name = 'PrivilegedLoginError';
  }
}

/** The role to SET LOCAL in every transaction, or undefined when the login itself is unprivileged. */
export async function appRoleFor(
  pool: pg.Pool,
  opts: { production?: boolean; onPrivilegedLogin?: (user: string) => void },
): Promise<string | undefined> {
  const { rows } = await pool.query<{ user: string; privileged: boolean }>(
    'select current_user as "user", (rolsuper or rolbypassrls) as privileged from pg_roles where rolname = current_user',
  );
  const me = rows[0];
  if (!me?.privileged) return undefined;
  if (opts.production) throw new PrivilegedLoginError(me.user);
  opts.onPrivilegedLogin?.(me.user);
  return APP_ROLE;
}

/**
 * Through the owner's connection: the login role of `appUrl` exists, may log in with its
 * password, and is a member of posture_app. Creating it twice at once (two instances starting)
 * is success.
 */
export async function ensureLoginRole(client: pg.Client, appUrl: string): Promise<void> {
  const url = new URL(appUrl);
  const user = decodeURIComponent(url.username);
  if (!user) throw new Error('DATABASE_URL must name its user when POSTURE_DATABASE_OWNER_URL is set');
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const id = client.escapeIdentifier(user);
  const exists = await client.query('select 1 from pg_roles where rolname = $1', [user]);
  if (exists.rowCount === 0) {
    const withPassword = password === undefined ? '' : ` PASSWORD ${client.escapeLiteral(password)}`;
    await client
      .query(`CREATE ROLE ${id} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE${withPassword}`)
      .catch((err: { code?: string }) => {
        if (err.code !== '42710' && err.code !== '23505') throw err;
      });
  }
  await client.query(`GRANT ${APP_ROLE} TO ${id}`);
  const db = await client.query<{ db: string }>('select current_database() as db');
  await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(db.rows[0]!.db)} TO ${id}`);
}
