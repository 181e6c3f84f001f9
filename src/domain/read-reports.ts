/** Reading reports: metadata, the signed PDF as stored, or a page of them. */
import { AppError } from '../core/errors.js';
import type { ScopedDb } from '../db/scope.js';
import { getReport, getReportPdf, listReports } from '../db/reports.js';
import { toReportDto } from './create-report.js';
import { type Page, type PageRequest, pageOf } from './page.js';

export type ReportDto = ReturnType<typeof toReportDto>;

export async function getReportById(
  db: ScopedDb,
  tenant: { id: string; slug: string },
  id: string,
): Promise<ReportDto> {
  const r = await db.transaction((tx) => getReport(tx, tenant.id, id));
  if (!r) throw new AppError('report_not_found', `no report "${id}"`);
  return toReportDto(r, tenant.slug);
}

export async function getReportBytes(db: ScopedDb, tenantId: string, id: string): Promise<Buffer> {
  const pdf = await db.transaction((tx) => getReportPdf(tx, tenantId, id));
  if (!pdf) throw new AppError('report_not_found', `no report "${id}"`);
  return pdf;
}

export async function listReportPage(
  db: ScopedDb,
  tenant: { id: string; slug: string },
  page: PageRequest,
): Promise<Page<ReportDto>> {
  const rows = await db.transaction((tx) => listReports(tx, tenant.id, page.limit + 1, page.cursor));
  return pageOf(
    rows,
    page.limit,
    (r) => r.id,
    (r) => toReportDto(r, tenant.slug),
  );
}
