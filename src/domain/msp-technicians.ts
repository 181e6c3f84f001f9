/**
 * "Your MSP's technicians" in a client's report. The one place a tenant's request reads another
 * tenant's data: the parent MSP's latest technician-hygiene evaluation, its technician
 * snapshots and its findings — and only for the technicians whose client access names this
 * client ("can reach"), is every client ("*": can reach), or is unknown (null: "may reach").
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { evaluations, findings, snapshots, tenants } from '../db/schema.js';
import type { TenantView } from '../db/tenants.js';
import type { Technician } from '../schemas/canonical-types.js';
import type { TechnicianReach, TechnicianSection } from '../reporting/report-data.js';
import type { Catalog } from '../engine/catalog.js';

export const TECHNICIAN_PACK = 'msp-technician-hygiene';

export async function readMspTechnicians(db: Tx, client: TenantView, catalog: Catalog): Promise<TechnicianSection | null> {
  if (client.kind !== 'client' || client.parentId === null) return null;
  const [msp] = await db.select({ id: tenants.id, slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.id, client.parentId)).limit(1);
  if (!msp) return null;
  const [evaluation] = await db
    .select({ id: evaluations.id, asOf: evaluations.asOf, snapshotIds: evaluations.snapshotIds })
    .from(evaluations)
    .where(and(eq(evaluations.tenantId, msp.id), sql`${evaluations.packs} @> ${JSON.stringify([TECHNICIAN_PACK])}::jsonb`))
    .orderBy(desc(evaluations.id))
    .limit(1);
  if (!evaluation) return { msp: { slug: msp.slug, name: msp.name }, evaluation: null, reach: [] };
  const docs = evaluation.snapshotIds.length === 0 ? [] : await db
    .select({ normalized: snapshots.normalized })
    .from(snapshots)
    .where(and(eq(snapshots.tenantId, msp.id), inArray(snapshots.id, evaluation.snapshotIds), eq(snapshots.kind, 'technicians')));
  const problems = await db
    .select({ itemId: findings.itemId, source: findings.source, ruleId: findings.ruleId, status: findings.status, severity: findings.severity, message: findings.message })
    .from(findings)
    .where(and(eq(findings.tenantId, msp.id), eq(findings.evaluationId, evaluation.id), eq(findings.packId, TECHNICIAN_PACK)));
  const reach: TechnicianReach[] = [];
  for (const t of docs.flatMap((d) => (d.normalized as { technicians: Technician[] }).technicians)) {
    const access = t.clientAccess === null ? 'may' : t.clientAccess.includes('*') || t.clientAccess.includes(client.slug) ? 'can' : undefined;
    if (!access) continue;
    reach.push({
      technician: { id: t.id, name: t.name, source: t.source, status: t.status, privileged: t.privileged ?? null },
      access,
      problems: problems
        .filter((p) => p.itemId === t.id && p.source === t.source)
        .map((p) => ({ ruleId: p.ruleId, title: catalog.rules.get(p.ruleId)?.title ?? p.ruleId, status: p.status, severity: p.severity, message: p.message })),
    });
  }
  return { msp: { slug: msp.slug, name: msp.name }, evaluation: { id: evaluation.id, asOf: evaluation.asOf }, reach };
}
