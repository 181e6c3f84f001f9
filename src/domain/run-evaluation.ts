/**
 * Run the tenant's packs against its latest snapshot of each (source, instance) received at or
 * before `asOf`, and store the evaluation with its findings and the diff from the previous one.
 */
import { SOURCES } from '../adapters/registry.js';
import { recordAudit } from '../db/audit.js';
import {
  type BaseFinding,
  diffBases,
  type EvaluationRow,
  findingsByFingerprint,
  insertEvaluation,
} from '../db/evaluations.js';
import { newId } from '../core/ids.js';
import { yieldToEventLoop } from '../db/client.js';
import { tenantParameters } from '../db/parameters.js';
import { latestSnapshotsAsOf } from '../db/snapshots.js';
import type { TenantView } from '../db/tenants.js';
import { unrevokedWaivers } from '../db/waivers.js';
import { allAttestations } from '../db/attestations.js';
import type { Catalog } from '../engine/catalog.js';
import type { EvaluationOutput, Finding } from '../engine/evaluate.js';
import { rulesOf } from '../engine/parameters.js';
import type { SnapshotKind } from '../schemas/canonical.js';
import { AppError } from '../core/errors.js';
import type { UseCaseContext } from './context.js';
import { diffFindings, firstSeenAt, isNewFinding, summarise } from './evaluation-summary.js';

export interface RunEvaluationInput {
  tenant: TenantView;
  packs?: string[];
  asOf?: Date;
  trigger: 'api' | 'ingest';
  /** snapshot documents already in memory (the one an ingest just stored) as JSON text, by snapshot id */
  known?: ReadonlyMap<string, string>;
  /** the ingest that triggered this evaluation: when its snapshot was (first) received */
  ingested?: { receivedAt: Date };
  /** the request already holds its place in the work queue (default: true after an ingest) */
  admitted?: boolean;
}

export async function runEvaluation(ctx: UseCaseContext, input: RunEvaluationInput): Promise<EvaluationRow> {
  // A tenant's default packs may name one a later release dropped: evaluate the ones that exist.
  const packIds = input.packs ?? input.tenant.packs.filter((p) => ctx.catalog.packs.has(p));
  const unknown = packIds.findIndex((p) => !ctx.catalog.packs.has(p));
  if (unknown >= 0)
    throw new AppError('validation_failed', `unknown pack "${packIds[unknown]}"`, [
      { pointer: `/packs/${unknown}`, message: `must be one of ${[...ctx.catalog.packs.keys()].join(', ')}` },
    ]);
  const asOf = input.asOf ?? ctx.now;
  const tenantId = input.tenant.id;
  // NOTE: the diff base, per pack (an evaluation of other packs, or as of a later time, says
  // nothing about this one). After an ingest: the latest evaluation from before its snapshot
  // arrived — for a new export the previous evaluation; for the same export posted again (a CI
  // re-run of a red build) the one before its first post, so what it brought in is new again and
  // the re-run stays red unless someone waived it. Otherwise (API, a report's fresh evaluation):
  // the latest evaluation over other snapshots, so re-evaluating unchanged evidence shows the last
  // change rather than nothing.
  //
  // The base's findings are read in the same transaction (one transaction fewer per evaluation:
  // each costs its begin, scope and commit round trips). The main thread holds no more at its
  // peak for it: the findings are needed when the evaluation's output arrives either way.
  const { snapshots, params, waivers, attestations, bases, before } = await ctx.db.transaction(async (tx) => {
    const [snapshots, params, waivers, attestations] = await Promise.all([
      latestSnapshotsAsOf(tx, tenantId, asOf, input.known),
      tenantParameters(tx, tenantId),
      unrevokedWaivers(tx, tenantId),
      allAttestations(tx, tenantId),
    ]);
    const base = input.ingested
      ? { asOf, createdBefore: input.ingested.receivedAt }
      : { asOf, createdBefore: ctx.now, otherThanSnapshots: snapshots.map((s) => s.id) };
    const bases = await diffBases(tx, tenantId, packIds, base);
    const before: Map<string, BaseFinding> =
      bases.size > 0 ? await findingsByFingerprint(tx, tenantId, bases) : new Map();
    return { snapshots, params, waivers, attestations, bases, before };
  });
  const snapshotIds = snapshots.map((s) => s.id);
  // uuid v7 ids sort by creation: the newest base names the comparison
  const previous = [...bases.values()].sort().at(-1);
  // the engine runs in a worker: the documents go as JSON text, parsed there
  const output = await ctx.work.evaluate(
    {
      packIds,
      asOf,
      params,
      evidenceHints: EVIDENCE_HINTS,
      snapshots: snapshots.map((s) => ({
        id: s.id,
        kind: s.kind as SnapshotKind,
        source: s.source,
        instance: s.instance,
        json: s.json,
        collectedAt: s.collectedAt,
        // a confirmation after asOf is not known to an evaluation as of then
        lastConfirmedAt: s.lastConfirmedAt && s.lastConfirmedAt <= asOf ? s.lastConfirmedAt : null,
      })),
      // only approved waivers apply, from their approval on (pending ones are requests)
      waivers: waivers.flatMap((w) =>
        w.status === 'approved' && w.approvedAt !== null
          ? [
              {
                id: w.id,
                ruleId: w.ruleId,
                packId: w.packId,
                itemMatch: w.itemMatch,
                expiresAt: w.expiresAt,
                revokedAt: w.revokedAt,
                createdAt: w.approvedAt,
              },
            ]
          : [],
      ),
      // judged at asOf in the engine, like waivers: made by then, valid then, not revoked by then
      attestations: attestations.map((a) => ({
        id: a.id,
        packId: a.packId,
        requirementId: a.requirementId,
        attestedAt: a.createdAt,
        validUntil: a.validUntil,
        revokedAt: a.revokedAt,
      })),
    },
    // after an ingest (or a report's evaluation) the request was admitted at its first step
    { admitted: input.admitted ?? input.trigger === 'ingest' },
  );
  const diff = diffFindings(output.findings, before, previous ?? null);
  const row = {
    tenantId,
    id: newId(),
    asOf,
    createdAt: ctx.now,
    createdBy: ctx.principal.sub,
    trigger: input.trigger,
    previousId: previous ?? null,
    packs: packIds,
    parameters: parametersUsed(output),
    snapshotIds,
    fileHashes: fileHashes(ctx.catalog, packIds),
    result: {
      packs: output.packs,
      rules: output.rules,
      missingEvidence: output.missingEvidence,
      diff: diff.summary,
      summary: summarise(output, diff.summary),
    },
  };
  // tens of thousands of rows for a big export: built a slice at a time, letting other requests
  // in between (one synchronous loop held /healthz for ~0.8 s after a 45 MB ingest)
  const findingRows: ReturnType<typeof findingRow>[] = [];
  for (let i = 0; i < output.findings.length; i += ROW_SLICE) {
    if (i > 0) await yieldToEventLoop();
    for (const f of output.findings.slice(i, i + ROW_SLICE))
      findingRows.push(findingRow(tenantId, row.id, f, isNewFinding(f, before), firstSeenAt(f, before, asOf)));
  }
  await ctx.db.transaction(async (tx) => {
    await insertEvaluation(tx, row, findingRows);
    await recordAudit(tx, {
      tenantId,
      actor: ctx.principal.sub,
      action: 'evaluation.create',
      target: row.id,
      requestId: ctx.requestId,
      detail: { trigger: input.trigger, packs: packIds },
      at: ctx.now,
    });
  });
  return row;
}

const EVIDENCE_HINTS: Record<string, string> = (() => {
  const byKind: Record<string, string[]> = {};
  for (const a of SOURCES.values()) (byKind[a.kind] ??= []).push(a.source);
  return Object.fromEntries(
    Object.entries(byKind).map(([k, s]) => [k, `a ${k} export (${s.join(', ')}, or a canonical ${k} document)`]),
  );
})();

function parametersUsed(output: EvaluationOutput): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const r of output.rules)
    if (Object.keys(r.parameters).length > 0) (out[r.packId] ??= {})[r.ruleId] = r.parameters;
  return out;
}

/** SHA-256 of every pack and rule file the evaluation used, for the evidence manifest. */
function fileHashes(catalog: Catalog, packIds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of packIds) {
    const pack = catalog.packs.get(id)!;
    out[pack.file] = pack.sha256;
    for (const rule of rulesOf(pack, catalog.rules)) out[rule.file] = rule.sha256;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const ROW_SLICE = 1000;

function findingRow(tenantId: string, evaluationId: string, f: Finding, isNew: boolean, firstSeen: Date) {
  return {
    tenantId,
    evaluationId,
    id: newId(),
    packId: f.packId,
    ruleId: f.ruleId,
    requirements: f.requirements,
    status: f.status,
    severity: f.severity,
    source: f.source,
    snapshotId: f.snapshotId,
    itemId: f.item?.id ?? null,
    itemName: f.item?.name ?? null,
    message: f.message,
    evidence: f.evidence,
    origin: f.origin,
    waiverId: f.waiverId,
    isNew,
    fingerprint: f.fingerprint,
    assumed: f.assumed,
    stale: f.stale,
    firstSeenAt: firstSeen,
  };
}
