/**
 * Row-level security, from the application's side. Every table holding tenant data has ENABLE +
 * FORCE ROW LEVEL SECURITY and a policy on `posture_reach(tenant_id)` (migrations/0003), which
 * reads two per-transaction settings: `posture.tenant_ids` (the ids the request may reach) and
 * `posture.all_tenants` (`on` for a `*` token and for system contexts). A ScopedDb sets them with
 * `set_config(…, true)` (SET LOCAL) at the start of each transaction it opens, so a query that
 * forgets its tenant filter still sees only what the caller may reach — and a query outside any
 * scope sees nothing. Connected as a superuser (a developer's database, PGlite), each transaction
 * also drops to the unprivileged role with SET LOCAL ROLE, since superusers bypass RLS.
 */
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.js';

/** The role whose privileges the service uses: no table of its own, no BYPASSRLS (migrations/0003). */
export const APP_ROLE = 'posture_app';

export type Reach = { all: true } | { all: false; tenantIds: readonly string[] };

/** Database work of one caller: each transaction sees only the tenants in its reach. */
export interface ScopedDb {
  readonly reach: Reach;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface ScopeOptions {
  /** SET LOCAL ROLE to this role in every transaction (connected as a superuser) */
  role?: string;
}

export function scoped(db: Db, reach: Reach, opts: ScopeOptions = {}): ScopedDb {
  return {
    reach,
    transaction: (fn) =>
      db.transaction(async (tx) => {
        await applyReach(tx, reach, opts.role);
        return fn(tx);
      }),
  };
}

/**
 * NOTE: one statement per transaction, the role included: `set_config('role', r, true)` is what
 * SET LOCAL ROLE does (the same membership check), and every statement is a round trip to the
 * server that each transaction of every request pays (bench/ANALYSIS.md, ingest since 259f245).
 */
async function applyReach(tx: Tx, reach: Reach, role?: string): Promise<void> {
  const ids = reach.all ? '' : reach.tenantIds.join(',');
  const all = reach.all ? 'on' : 'off';
  await tx.execute(
    role
      ? sql`select set_config('posture.tenant_ids', ${ids}, true), set_config('posture.all_tenants', ${all}, true), set_config('role', ${role}, true)`
      : sql`select set_config('posture.tenant_ids', ${ids}, true), set_config('posture.all_tenants', ${all}, true)`,
  );
}

/**
 * Add tenant ids to the reach of the transaction under way (a tenant just created, whose own rows
 * — its audit entry — are written in the same transaction).
 */
export async function widenReach(tx: Tx, reach: Reach, ids: readonly string[]): Promise<Reach> {
  if (reach.all) return reach;
  const wider: Reach = { all: false, tenantIds: [...reach.tenantIds, ...ids] };
  await applyReach(tx, wider);
  return wider;
}
