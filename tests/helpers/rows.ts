/**
 * What one tenant holds, counted straight from the tables: the "nothing stored on a 4xx" and
 * "a duplicate stores nothing" checks compare these before and after a request.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.js';

export interface TenantRows {
  snapshots: number;
  parts: number;
  /** snapshot.create audit entries */
  snapshotAudit: number;
  /** every audit entry (an ingest's evaluation is audited too) */
  audit: number;
  evaluations: number;
}

export async function tenantRows(db: Database['db'], slug: string): Promise<TenantRows> {
  const [row] = await queryRows<TenantRows>(
    db,
    sql`select (select count(*) from snapshots s where s.tenant_id = t.id)::int as "snapshots",
               (select count(*) from snapshot_parts p where p.tenant_id = t.id)::int as "parts",
               (select count(*) from audit_log a where a.tenant_id = t.id and a.action = 'snapshot.create')::int as "snapshotAudit",
               (select count(*) from audit_log a where a.tenant_id = t.id)::int as "audit",
               (select count(*) from evaluations e where e.tenant_id = t.id)::int as "evaluations"
        from tenants t where t.slug = ${slug}`,
  );
  if (!row) throw new Error(`no tenant ${slug}`);
  return row;
}

/** The rows a stored snapshot makes (an ingest answered 200 still runs and audits an evaluation). */
export function snapshotRows(r: TenantRows): Pick<TenantRows, 'snapshots' | 'parts' | 'snapshotAudit'> {
  return { snapshots: r.snapshots, parts: r.parts, snapshotAudit: r.snapshotAudit };
}
