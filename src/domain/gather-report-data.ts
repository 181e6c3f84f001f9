/** Everything a report shows, read once before rendering (the renderer does no I/O). */
import type { ScopedDb } from '../db/scope.js';
import type { Tx } from '../db/client.js';
import { allFindings, getEvaluation, type EvaluationRow } from '../db/evaluations.js';
import { snapshotMetaByIds } from '../db/snapshots.js';
import type { TenantView } from '../db/tenants.js';
import { unrevokedWaivers } from '../db/waivers.js';
import { inForceAt } from './waivers.js';
import type { Catalog } from '../engine/catalog.js';
import { globProblem } from '../core/glob.js';
import type { ReportData, ReportFinding, ReportWaiver } from '../reporting/report-data.js';
import type { Signer } from '../reporting/signing-key.js';
import { packFiles, readMspTechnicians } from './msp-technicians.js';

export interface GatherInput {
  tenant: TenantView;
  evaluation: EvaluationRow;
  packs: string[];
  reportId: string;
  generatedAt: Date;
  signer: Pick<Signer, 'subject' | 'fingerprint' | 'selfSigned'>;
}

export async function gatherReportData(db: ScopedDb, catalog: Catalog, input: GatherInput): Promise<ReportData> {
  const msp = await readMspTechnicians(db, input.tenant, catalog, input.evaluation.asOf);
  return db.transaction((tx) => tenantData(tx, catalog, input, msp));
}

async function tenantData(
  db: Tx,
  catalog: Catalog,
  input: GatherInput,
  msp: Awaited<ReturnType<typeof readMspTechnicians>>,
): Promise<ReportData> {
  const { tenant, evaluation: e, packs } = input;
  const result = e.result;
  const inPacks = <T extends { packId: string }>(x: T) => packs.includes(x.packId);
  return {
    reportId: input.reportId,
    generatedAt: input.generatedAt,
    tenant: { slug: tenant.slug, name: tenant.name, kind: tenant.kind, parent: tenant.parentSlug },
    evaluation: {
      id: e.id,
      asOf: e.asOf,
      createdAt: e.createdAt,
      packs: result.packs.filter((p) => packs.includes(p.id)),
      rules: result.rules.filter(inPacks),
      missingEvidence: result.missingEvidence,
      diff: result.diff,
    },
    previous: await previousScores(db, e),
    findings: (await allFindings(db, e.tenantId, e.id)).filter(inPacks).map((f): ReportFinding => {
      const rule = catalog.rules.get(f.ruleId);
      return {
        packId: f.packId,
        ruleId: f.ruleId,
        ruleTitle: rule?.title ?? f.ruleId,
        remediation: rule?.remediation ?? '',
        requirements: f.requirements,
        status: f.status as ReportFinding['status'],
        severity: f.severity as ReportFinding['severity'],
        source: f.source,
        item: f.itemId === null ? null : { id: f.itemId, name: f.itemName },
        message: f.message,
        evidence: f.evidence as Record<string, unknown>,
        waiverId: f.waiverId,
        assumed: f.assumed,
        stale: f.stale,
      };
    }),
    waivers: (await unrevokedWaivers(db, e.tenantId))
      .filter((w) => inForceAt(w, e.asOf) && (w.packId === null || packs.includes(w.packId)))
      .map(
        (w): ReportWaiver => ({
          ...invalidity(w.itemMatch),
          id: w.id,
          ruleId: w.ruleId,
          packId: w.packId,
          itemMatch: w.itemMatch,
          justification: w.justification,
          approvedBy: personOf(w.approvedBy!, w.approvedByName, w.approvedByEmail),
          approvedAt: w.approvedAt!,
          createdBy: personOf(w.createdBy, w.createdByName, w.createdByEmail),
          createdAt: w.createdAt,
          expiresAt: w.expiresAt,
        }),
      ),
    technicians: msp?.section ?? null,
    manifest: {
      snapshots: await manifestSnapshots(db, e),
      files: packFiles(catalog, e.fileHashes, packs),
      msp: msp?.evidence ?? null,
    },
    signer: input.signer,
  };
}

/** "Jane Roe <jane@clinic.example> (sub)" with what the token said about the person, else the subject. */
function personOf(sub: string, name: string | null, email: string | null): string {
  const who = [name, email === null ? null : `<${email}>`].filter((x) => x !== null).join(' ');
  return who === '' ? sub : `${who} (${sub})`;
}

/** A waiver whose itemMatch the glob grammar cannot read was never applied: the report says so and why. */
function invalidity(itemMatch: string): Pick<ReportWaiver, 'invalid'> {
  const problem = globProblem(itemMatch);
  return problem === undefined ? {} : { invalid: `itemMatch: ${problem}` };
}

async function previousScores(db: Tx, e: EvaluationRow): Promise<ReportData['previous']> {
  if (!e.previousId) return null;
  const prev = await getEvaluation(db, e.tenantId, e.previousId);
  if (!prev) return null;
  const packs = prev.result.packs;
  return {
    id: prev.id,
    asOf: prev.asOf,
    scores: packs.map((p) => ({
      packId: p.id,
      withoutWaivers: p.score.withoutWaivers,
      withWaivers: p.score.withWaivers,
    })),
  };
}

async function manifestSnapshots(db: Tx, e: EvaluationRow) {
  const rows = await snapshotMetaByIds(db, e.tenantId, e.snapshotIds);
  return rows.sort((a, b) =>
    `${a.kind}/${a.source}/${a.instance}`.localeCompare(`${b.kind}/${b.source}/${b.instance}`),
  );
}
