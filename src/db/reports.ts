/** Reports are immutable once stored; signing certificates are only ever added (or their last use updated). */
import { and, desc, eq, getTableColumns, lt, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { reports, signingCertificates, tenants } from './schema.js';

export type ReportRow = typeof reports.$inferSelect;
export type ReportMeta = Omit<ReportRow, 'pdf'>;

const { pdf: _pdf, ...metaColumns } = getTableColumns(reports);

export async function insertReport(tx: Tx, row: typeof reports.$inferInsert): Promise<void> {
  await tx.insert(reports).values(row);
}

export async function getReport(tx: Tx, tenantId: string, id: string): Promise<ReportMeta | undefined> {
  const rows = await tx
    .select(metaColumns)
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, id)))
    .limit(1);
  return rows[0];
}

export async function getReportPdf(tx: Tx, tenantId: string, id: string): Promise<Buffer | undefined> {
  const rows = await tx
    .select({ pdf: reports.pdf })
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, id)))
    .limit(1);
  return rows[0]?.pdf;
}

export async function listReports(tx: Tx, tenantId: string, limit: number, before?: string): Promise<ReportMeta[]> {
  return tx
    .select(metaColumns)
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), before ? lt(reports.id, before) : undefined))
    .orderBy(desc(reports.id))
    .limit(limit);
}

/**
 * Verify's lookup: which stored report has these exact bytes. Deliberately across tenants — the
 * caller holds the PDF, and learns only the report id and tenant slug it names on its cover.
 */
export async function findReportBySha256(tx: Tx, sha256: string): Promise<{ id: string; tenant: string } | undefined> {
  const rows = await tx
    .select({ id: reports.id, tenant: tenants.slug })
    .from(reports)
    .innerJoin(tenants, eq(tenants.id, reports.tenantId))
    .where(eq(reports.sha256, sha256))
    .limit(1);
  return rows[0];
}

export async function recordSigningCertificate(
  tx: Tx,
  c: { fingerprint: string; certificatePem: string; subject: string },
  at: Date,
): Promise<void> {
  await tx
    .insert(signingCertificates)
    .values({ ...c, firstUsedAt: at, lastUsedAt: at })
    .onConflictDoUpdate({
      target: signingCertificates.fingerprint,
      set: { lastUsedAt: sql`greatest(${signingCertificates.lastUsedAt}, ${at})` },
    });
}

/** Every certificate this service ever signed with: the only ones verify trusts. */
export async function signingCertificatesByFingerprint(tx: Tx): Promise<Map<string, { certificatePem: string }>> {
  const rows = await tx
    .select({ fingerprint: signingCertificates.fingerprint, certificatePem: signingCertificates.certificatePem })
    .from(signingCertificates);
  return new Map(rows.map((r) => [r.fingerprint, { certificatePem: r.certificatePem }]));
}
