/** Reading tenants: the one a request names (if the caller reaches it), those it sees, its audit log and parameters. */
import type { Principal } from '../auth/scopes.js';
import { AppError } from '../core/errors.js';
import { listAudit } from '../db/audit.js';
import type { ScopedDb } from '../db/scope.js';
import { tenantParameters } from '../db/parameters.js';
import { canReach, findTenantBySlug, listVisibleTenants, type TenantView } from '../db/tenants.js';
import { type Page, type PageRequest, pageOf } from './page.js';
import { type TenantDto, toTenantDto } from './tenant-view.js';

/** A tenant outside the caller's reach is exactly as unknown as a missing one: the same 404. */
export async function findReachableTenant(db: ScopedDb, principal: Principal, slug: string): Promise<TenantView> {
  const tenant = await db.transaction((tx) => findTenantBySlug(tx, slug));
  if (!tenant || !canReach(principal.tenants, tenant)) throw new AppError('tenant_not_found', `no tenant "${slug}"`);
  return tenant;
}

export async function listTenantPage(db: ScopedDb, principal: Principal, page: PageRequest): Promise<Page<TenantDto>> {
  const rows = await db.transaction((tx) => listVisibleTenants(tx, principal.tenants, page.limit + 1, page.cursor));
  return pageOf(rows, page.limit, (t) => t.id, toTenantDto);
}

export async function listAuditPage(db: ScopedDb, tenantId: string, page: PageRequest) {
  const rows = await db.transaction((tx) => listAudit(tx, tenantId, page.limit + 1, page.cursor));
  return pageOf(
    rows,
    page.limit,
    (r) => r.id,
    ({ tenantId: _t, ...r }) => ({ ...r, at: r.at.toISOString() }),
  );
}

export function getParameters(db: ScopedDb, tenantId: string): Promise<Record<string, Record<string, unknown>>> {
  return db.transaction((tx) => tenantParameters(tx, tenantId));
}
