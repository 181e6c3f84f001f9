/** An evaluation as SARIF 2.1.0 or JUnit XML, for CI. */
import type { ScopedDb } from '../db/scope.js';
import type { UseCaseContext } from './context.js';
import { allFindings, type EvaluationRow } from '../db/evaluations.js';
import type { Tx } from '../db/client.js';
import type { Catalog } from '../engine/catalog.js';
import { ciRules, type CiFinding } from '../reporting/ci-finding.js';
import { buildJunit } from '../reporting/junit.js';
import { buildSarif } from '../reporting/sarif.js';
import { toFindingDto } from './evaluation-view.js';
import { findingLocator } from './locate-findings.js';

async function ciFindings(db: Tx, e: EvaluationRow): Promise<CiFinding[]> {
  return (await allFindings(db, e.tenantId, e.id)).map(toFindingDto);
}

export async function evaluationAsSarif(
  ctx: Pick<UseCaseContext, 'db' | 'catalog' | 'keyring'>,
  e: EvaluationRow,
  toolVersion: string,
): Promise<string> {
  const { findings, locate } = await ctx.db.transaction(async (tx) => {
    const findings = await ciFindings(tx, e);
    return { findings, locate: await findingLocator(tx, ctx.keyring, e.tenantId, findings) };
  });
  // one category per tenant: uploads of two tenants' evaluations to one repository do not replace each other's alerts
  return JSON.stringify(
    buildSarif({
      evaluation: { id: e.id, asOf: e.asOf.toISOString() },
      findings,
      rules: ciRules(ctx.catalog),
      toolVersion,
      locate,
      category: `posture/${e.tenantId}`,
    }),
    null,
    2,
  );
}

export async function evaluationAsJunit(db: ScopedDb, catalog: Catalog, e: EvaluationRow): Promise<string> {
  const packs = e.packs.map((id) => ({ id, title: catalog.packs.get(id)?.title ?? id }));
  return buildJunit({
    evaluation: { id: e.id, asOf: e.asOf.toISOString() },
    packs,
    rules: e.result.rules,
    findings: await db.transaction((tx) => ciFindings(tx, e)),
  });
}
