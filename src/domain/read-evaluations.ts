/** Reading evaluations and their findings. */
import { AppError } from '../core/errors.js';
import type { ScopedDb } from '../db/scope.js';
import { groupFindings } from '../core/finding-groups.js';
import type { FindingSort } from '../core/vocabulary.js';
import {
  type EvaluationRow,
  type FindingFilter,
  findingsOfPrints,
  getEvaluation,
  listEvaluations,
  listFindingGroups,
  matchingFindings,
} from '../db/evaluations.js';
import type { Catalog } from '../engine/catalog.js';
import { findingsCsv, findingsXlsx, findingTable } from '../reporting/findings-table.js';
import { type FindingRowDto, packFinding, toEvaluationDto, toFindingDto, toFindingRowDto } from './evaluation-view.js';
import { decodeFindingCursor, encodeFindingCursor } from './finding-cursor.js';
import { type Page, type PageRequest, pageOf } from './page.js';

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

export interface FindingPageRequest extends PageRequest {
  sort?: FindingSort;
}

/**
 * A page of an evaluation's problems, one row per rule and item with every pack it affects, the
 * rule's title and remediation from the catalog. See listFindingGroups for the order and filters.
 */
export async function listFindingPage(
  db: ScopedDb,
  catalog: Catalog,
  tenantId: string,
  evaluationId: string,
  filter: FindingFilter,
  page: FindingPageRequest,
): Promise<Page<FindingRowDto>> {
  const evaluation = await getEvaluationById(db, tenantId, evaluationId);
  const sort = page.sort ?? 'severity';
  const after = page.cursor === undefined ? undefined : decodeFindingCursor(page.cursor, sort);
  const { keys, rows } = await db.transaction(async (tx) => {
    const keys = await listFindingGroups(tx, tenantId, evaluationId, filter, {
      sort,
      limit: page.limit + 1,
      after,
      asOf: evaluation.asOf,
    });
    const prints = keys.slice(0, page.limit).map((k) => k.fingerprint);
    return { keys, rows: await findingsOfPrints(tx, tenantId, evaluationId, prints) };
  });
  const groups = new Map(groupFindings(rows.map(packFinding)).map((g) => [g.fingerprint, g]));
  const items = keys.slice(0, page.limit).map((k) => {
    const dto = toFindingRowDto(groups.get(k.fingerprint)!, evaluation.asOf, filter.pack);
    const rule = catalog.rules.get(dto.ruleId);
    return { ...dto, ruleTitle: rule?.title ?? null, remediation: rule?.remediation ?? null };
  });
  const last = keys[page.limit - 1];
  return { items, nextCursor: keys.length > page.limit && last ? encodeFindingCursor(sort, last.key) : null };
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
  const e = await getEvaluationById(db, tenantId, evaluationId);
  const stored = await db.transaction((tx) => matchingFindings(tx, tenantId, evaluationId, filter));
  const rows = findingTable(
    stored.map((f) => ({ ...toFindingDto(f), new: f.isNew, firstSeenAt: f.firstSeenAt ?? e.asOf })),
    catalog.rules,
  );
  if (format === 'csv') return { bytes: findingsCsv(rows), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
  return {
    bytes: await findingsXlsx(rows, `Findings of evaluation ${evaluationId}`),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  };
}
