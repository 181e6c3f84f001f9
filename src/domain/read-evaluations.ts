/** Reading evaluations and their findings. */
import { AppError } from '../core/errors.js';
import type { ScopedDb } from '../db/scope.js';
import {
  type EvaluationRow,
  type FindingFilter,
  getEvaluation,
  listEvaluations,
  listFindings,
  matchingFindings,
} from '../db/evaluations.js';
import type { Catalog } from '../engine/catalog.js';
import { findingsCsv, findingsXlsx, findingTable } from '../reporting/findings-table.js';
import { toEvaluationDto, toFindingDto } from './evaluation-view.js';
import { type PageRequest, pageOf } from './page.js';

export async function getEvaluationById(db: ScopedDb, tenantId: string, id: string): Promise<EvaluationRow> {
  const e = await db.transaction((tx) => getEvaluation(tx, tenantId, id));
  if (!e) throw new AppError('evaluation_not_found', `no evaluation "${id}"`);
  return e;
}

export async function listEvaluationPage(db: ScopedDb, tenantId: string, page: PageRequest) {
  const rows = await db.transaction((tx) => listEvaluations(tx, tenantId, page.limit + 1, page.cursor));
  return pageOf(
    rows,
    page.limit,
    (e) => e.id,
    (e) => toEvaluationDto(e, false),
  );
}

/** A page of findings, each with its rule's title and remediation from the catalog, for follow-up work. */
export async function listFindingPage(
  db: ScopedDb,
  catalog: Catalog,
  tenantId: string,
  evaluationId: string,
  filter: FindingFilter,
  page: PageRequest,
) {
  await getEvaluationById(db, tenantId, evaluationId);
  const rows = await db.transaction((tx) =>
    listFindings(tx, tenantId, evaluationId, filter, page.limit + 1, page.cursor),
  );
  return pageOf(
    rows,
    page.limit,
    (f) => f.id,
    (f) => {
      const rule = catalog.rules.get(f.ruleId);
      return { ...toFindingDto(f), ruleTitle: rule?.title ?? null, remediation: rule?.remediation ?? null };
    },
  );
}

export type FindingsFormat = 'csv' | 'xlsx';

/**
 * The findings the filter lets through as a download: one row per rule and item with every pack
 * and requirement it affects, the rule's title and remediation from the catalog.
 */
export async function exportFindings(
  db: ScopedDb,
  catalog: Catalog,
  tenantId: string,
  evaluationId: string,
  filter: FindingFilter,
  format: FindingsFormat,
): Promise<{ bytes: Buffer | string; contentType: string; extension: string }> {
  await getEvaluationById(db, tenantId, evaluationId);
  const stored = await db.transaction((tx) => matchingFindings(tx, tenantId, evaluationId, filter));
  const rows = findingTable(
    stored.map((f) => ({ ...toFindingDto(f), new: f.isNew })),
    catalog.rules,
  );
  if (format === 'csv') return { bytes: findingsCsv(rows), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
  return {
    bytes: await findingsXlsx(rows, `Findings of evaluation ${evaluationId}`),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  };
}
