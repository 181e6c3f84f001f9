/** Everything a report shows, read once before rendering (the renderer does no I/O). */
import type { ScopedDb } from '../db/scope.js';
import type { Tx } from '../db/client.js';
import { allFindings, getEvaluation, type EvaluationRow } from '../db/evaluations.js';
import { snapshotMetaByIds } from '../db/snapshots.js';
import type { TenantView } from '../db/tenants.js';
import { unrevokedWaivers } from '../db/waivers.js';
import { allAttestations, filesOf } from '../db/attestations.js';
import { attestationInForce } from '../engine/attestations.js';
import { scoresOf } from '../engine/rollup.js';
import { evidenceAgeDays } from '../engine/judge.js';
import { readPreparedBy } from './prepared-by.js';
import { inForceAt } from './waivers.js';
import type { Catalog } from '../engine/catalog.js';
import { globProblem } from '../core/glob.js';
import type {
  ManifestSnapshot,
  ReportAttestation,
  ReportData,
  ReportFinding,
  ReportWaiver,
} from '../reporting/report-data.js';
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
  const preparedBy = await readPreparedBy(db, input.tenant);
  return { ...(await db.transaction((tx) => tenantData(tx, catalog, input, msp))), preparedBy };
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
      // evaluations stored before the three figures existed get them from their requirements' states
      packs: result.packs.filter((p) => packs.includes(p.id)).map((p) => ({ ...p, scores: scoresOf(p) })),
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
        origin: (f.origin ?? null) as ReportFinding['origin'],
        ruleEvidence: rule?.evidence ?? '',
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
    attestations: await attestationsInForce(db, e, packs),
    technicians: msp?.section ?? null,
    manifest: {
      snapshots: await manifestSnapshots(db, e),
      files: packFiles(catalog, e.fileHashes, packs),
      msp: msp?.evidence ?? null,
    },
    signer: input.signer,
  };
}

/** Attestations in force at the evaluation's asOf (as the engine judged them), in these packs, with their files. */
async function attestationsInForce(db: Tx, e: EvaluationRow, packs: string[]): Promise<ReportAttestation[]> {
  const rows = (await allAttestations(db, e.tenantId))
    .filter(
      (a) =>
        packs.includes(a.packId) &&
        attestationInForce({ attestedAt: a.createdAt, validUntil: a.validUntil, revokedAt: a.revokedAt }, e.asOf),
    )
    .sort((a, b) => `${a.packId}/${a.requirementId}/${a.id}`.localeCompare(`${b.packId}/${b.requirementId}/${b.id}`));
  const files = await filesOf(
    db,
    e.tenantId,
    rows.map((a) => a.id),
  );
  return rows.map((a) => ({
    id: a.id,
    packId: a.packId,
    requirementId: a.requirementId,
    statement: a.statement,
    attestedBy: personOf(a.attestedBy, a.attestedByName, a.attestedByEmail),
    attestedAt: a.createdAt,
    validUntil: a.validUntil,
    files: (files.get(a.id) ?? []).map((f) => ({
      filename: f.filename,
      contentType: f.contentType,
      size: f.size,
      sha256: f.sha256,
    })),
  }));
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
      figures: figuresOf(p),
    })),
  };
}

/** The snapshots judged, with their evidence age at asOf and whether the engine found them stale. */
async function manifestSnapshots(db: Tx, e: EvaluationRow): Promise<ManifestSnapshot[]> {
  const rows = await snapshotMetaByIds(db, e.tenantId, e.snapshotIds);
  const stale = new Set(e.result.missingEvidence.flatMap((m) => (m.snapshot ? [m.snapshot.id] : [])));
  return rows
    .map((s) => ({ ...s, ageDays: evidenceAgeDays({ ...s, document: null }, e.asOf), stale: stale.has(s.id) }))
    .sort((a, b) => `${a.kind}/${a.source}/${a.instance}`.localeCompare(`${b.kind}/${b.source}/${b.instance}`));
}

function figuresOf(p: Parameters<typeof scoresOf>[0]) {
  const s = scoresOf(p);
  return { verified: s.verified.value, withAttestations: s.withAttestations.value, withWaivers: s.withWaivers.value };
}
