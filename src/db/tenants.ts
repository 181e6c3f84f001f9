/** Tenant queries. Visibility is decided here once: `*`, the tenant's own slug, or its MSP's slug. */
import { aliasedTable, and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';
import { tenants } from './schema.js';

/** A tenant without its logo's bytes (read only by the report cover and the logo route). */
export type TenantRow = Omit<typeof tenants.$inferSelect, 'logo' | 'logoMediaType'>;
export interface TenantView extends TenantRow {
  parentSlug: string | null;
}

const parent = aliasedTable(tenants, 'parent');

const rowColumns = {
  id: tenants.id,
  slug: tenants.slug,
  name: tenants.name,
  kind: tenants.kind,
  parentId: tenants.parentId,
  externalRefs: tenants.externalRefs,
  packs: tenants.packs,
  createdAt: tenants.createdAt,
  updatedAt: tenants.updatedAt,
};
const columns = { ...rowColumns, parentSlug: parent.slug };

/** The tenants a token naming `reach` may see (`*` = all). */
function visibleTo(reach: readonly string[]): SQL | undefined {
  if (reach.includes('*')) return undefined;
  return or(inArray(tenants.slug, [...reach]), inArray(parent.slug, [...reach]));
}

export async function findTenantBySlug(tx: Tx, slug: string): Promise<TenantView | undefined> {
  const rows = await tx
    .select(columns)
    .from(tenants)
    .leftJoin(parent, eq(parent.id, tenants.parentId))
    .where(eq(tenants.slug, slug))
    .limit(1);
  return rows[0];
}

export async function getTenantById(tx: Tx, id: string): Promise<TenantView | undefined> {
  const rows = await tx
    .select(columns)
    .from(tenants)
    .leftJoin(parent, eq(parent.id, tenants.parentId))
    .where(eq(tenants.id, id))
    .limit(1);
  return rows[0];
}

export function canReach(reach: readonly string[], t: { slug: string; parentSlug: string | null }): boolean {
  return reach.includes('*') || reach.includes(t.slug) || (t.parentSlug !== null && reach.includes(t.parentSlug));
}

export async function listVisibleTenants(
  tx: Tx,
  reach: readonly string[],
  limit: number,
  before?: string,
): Promise<TenantView[]> {
  return tx
    .select(columns)
    .from(tenants)
    .leftJoin(parent, eq(parent.id, tenants.parentId))
    .where(and(visibleTo(reach), before ? lt(tenants.id, before) : undefined))
    .orderBy(desc(tenants.id))
    .limit(limit);
}

export async function listClients(tx: Tx, mspId: string): Promise<TenantRow[]> {
  return tx.select(rowColumns).from(tenants).where(eq(tenants.parentId, mspId)).orderBy(tenants.slug);
}

export async function insertTenant(tx: Tx, row: typeof tenants.$inferInsert): Promise<void> {
  await tx.insert(tenants).values(row);
}

export async function updateTenant(
  tx: Tx,
  id: string,
  patch: Partial<Pick<TenantRow, 'name' | 'externalRefs' | 'packs'>>,
  at: Date,
): Promise<void> {
  await tx
    .update(tenants)
    .set({ ...patch, updatedAt: at })
    .where(eq(tenants.id, id));
}

/**
 * The ids a token naming these slugs reaches: those tenants and the clients of those that are
 * MSPs. NOTE: read in a system context (the reach is what this computes).
 */
export async function tenantIdsReachedBy(tx: Tx, slugs: readonly string[]): Promise<string[]> {
  if (slugs.length === 0) return [];
  const rows: { id: string }[] = await tx
    .select({ id: tenants.id })
    .from(tenants)
    .leftJoin(parent, eq(parent.id, tenants.parentId))
    .where(or(inArray(tenants.slug, [...slugs]), inArray(parent.slug, [...slugs])));
  return rows.map((r) => r.id);
}

/** Every tenant's id and slug, in slug order (a system context's read). */
export async function listAllTenants(tx: Tx): Promise<{ id: string; slug: string }[]> {
  return tx.select({ id: tenants.id, slug: tenants.slug }).from(tenants).orderBy(tenants.slug);
}
