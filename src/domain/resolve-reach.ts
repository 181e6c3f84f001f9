/**
 * What a principal reaches, as row-level security needs it: every tenant for a `*` token, else
 * the ids of the tenants its slugs name and of their clients. Resolved in a system context (the
 * reach is what it computes), reading only tenant ids, slugs and parents.
 */
import type { Principal } from '../auth/scopes.js';
import type { ScopedDb } from '../db/scope.js';
import type { Reach } from '../db/scope.js';
import { tenantIdsReachedBy } from '../db/tenants.js';

export async function resolveReach(system: (reason: string) => ScopedDb, principal: Principal): Promise<Reach> {
  if (principal.tenants.includes('*')) return { all: true };
  if (principal.tenants.length === 0) return { all: false, tenantIds: [] };
  const tenantIds = await system('resolve the tenants a token names').transaction((tx) =>
    tenantIdsReachedBy(tx, principal.tenants),
  );
  return { all: false, tenantIds };
}
