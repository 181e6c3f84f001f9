/**
 * Ingest one export and evaluate the tenant on it: parse and normalise it (nothing is stored on
 * any 4xx), then in one transaction either recognise it as equal to the latest snapshot of its
 * (source, instance) — `created: false`, that snapshot — or store the raw bytes and the canonical
 * document together; then run the tenant's packs, so CI gets its verdict in the same answer.
 */
import type { ClientRef } from '../adapters/types.js';
import { recordAudit } from '../db/audit.js';
import { newId } from '../core/ids.js';
import {
  confirmSnapshot,
  insertSnapshot,
  latestSnapshot,
  lockSnapshotStream,
  type SnapshotMeta,
} from '../db/snapshots.js';
import { listClients, type TenantView } from '../db/tenants.js';
import { AppError } from '../core/errors.js';
import type { EvaluationSummary } from '../core/results.js';
import type { CollectedAtSource } from '../core/vocabulary.js';
import type { UseCaseContext } from './context.js';
import { resolveAdapter } from './parse-export.js';
import { runEvaluation } from './run-evaluation.js';
import type { PreparedSnapshot } from './work.js';

export interface IngestInput {
  tenant: TenantView;
  source: string;
  kind?: string;
  instance?: string;
  internetInterfaces?: string[];
  contentType: string | undefined;
  /**
   * Reads the export. NOTE: a thunk, so that the bytes are referenced only while the snapshot is
   * parsed and stored: with a 50 MB export that is 50 MB less at the evaluation's peak.
   */
  body: () => Promise<Buffer>;
  labels: Record<string, string>;
  /** X-Collected-At (or the CLI's --collected-at): used when the export does not stamp its own time (its stamp comes first) */
  collectedAt?: Date;
}

/** How far in the future an explicit collection time may be (clocks of the collecting host and ours differ). */
export const COLLECTED_AT_TOLERANCE_MS = 5 * 60_000;

export interface IngestResult {
  /** false: equal to the latest snapshot of its (source, instance), which is returned */
  created: boolean;
  snapshot: SnapshotMeta;
  evaluation: { id: string; summary: EvaluationSummary };
}

export async function ingestSnapshot(ctx: UseCaseContext, input: IngestInput): Promise<IngestResult> {
  const { created, snapshot, json } = await storeSnapshot(ctx, input);
  const evaluation = await runEvaluation(ctx, {
    tenant: input.tenant,
    trigger: 'ingest',
    // the document of a created snapshot is still in memory: the evaluation need not read it back
    known: json === undefined ? undefined : new Map([[snapshot.id, json]]),
    ingested: { receivedAt: snapshot.receivedAt },
  });
  return { created, snapshot, evaluation: { id: evaluation.id, summary: evaluation.result.summary } };
}

interface Stored {
  created: boolean;
  snapshot: SnapshotMeta;
  /** the canonical document's JSON text, of a snapshot this ingest created */
  json?: string;
}

async function storeSnapshot(ctx: UseCaseContext, input: IngestInput): Promise<Stored> {
  if (input.collectedAt && input.collectedAt.getTime() > ctx.now.getTime() + COLLECTED_AT_TOLERANCE_MS) {
    throw new AppError(
      'validation_failed',
      `X-Collected-At is in the future (${input.collectedAt.toISOString()}; now ${ctx.now.toISOString()}): an export cannot have been taken yet`,
      [
        {
          in: 'header',
          pointer: '/X-Collected-At',
          message: 'is later than now (beyond 5 minutes of clock tolerance)',
        },
      ],
    );
  }
  const received = await input.body();
  const adapter = resolveAdapter(input.source, input.kind);
  if (adapter.kind === 'technicians' && input.tenant.kind !== 'msp') {
    throw new AppError(
      'validation_failed',
      "technician snapshots describe an MSP's own staff: post them to the MSP tenant",
      [{ in: 'path', pointer: '/tenant', message: 'is not an MSP tenant' }],
    );
  }
  const clients = adapter.kind === 'technicians' ? await clientRefs(ctx, input.tenant) : [];
  // parse, normalise, hash and serialise off the event loop; the bytes come back with the result
  const prepared = await ctx.work.prepare({
    source: input.source,
    kind: input.kind,
    contentType: input.contentType,
    body: received,
    clients,
    internetInterfaces: input.internetInterfaces,
  });
  const { body } = prepared;
  const row = snapshotRow(ctx, input, prepared);
  return ctx.db.transaction(async (tx) => {
    await lockSnapshotStream(tx, input.tenant.id, row.source, row.instance);
    const latest = await latestSnapshot(tx, input.tenant.id, row.source, row.instance);
    if (latest && latest.sha256 === row.sha256 && latest.documentSha256 === row.documentSha256) {
      // The same export again confirms it as of this post's collection time (by the same
      // precedence: X-Collected-At, else the export's stamp — then nothing new —, else now).
      const confirmed = laterConfirmation(latest, row.collectedAt);
      if (!confirmed) return { created: false, snapshot: latest };
      await confirmSnapshot(tx, input.tenant.id, latest.id, confirmed);
      return { created: false, snapshot: { ...latest, lastConfirmedAt: confirmed } };
    }
    await insertSnapshot(tx, row, body, ctx.keyring);
    await recordAudit(tx, {
      tenantId: input.tenant.id,
      actor: ctx.principal.sub,
      action: 'snapshot.create',
      target: row.id,
      requestId: ctx.requestId,
      detail: { source: row.source, instance: row.instance, sha256: row.sha256 },
      at: ctx.now,
    });
    const { normalized: _n, ...meta } = row;
    return { created: true, snapshot: meta as SnapshotMeta, json: prepared.json };
  });
}

/** The new lastConfirmedAt, when this post confirms the snapshot later than it already counts from. */
function laterConfirmation(latest: SnapshotMeta, at: Date): Date | undefined {
  const since = Math.max(latest.collectedAt.getTime(), latest.lastConfirmedAt?.getTime() ?? 0);
  return at.getTime() > since ? at : undefined;
}

/**
 * When the export was taken (DESIGN.md, "Time"): a time the export stamps on itself as the moment
 * it was taken comes first (a warning comes with it when the stamp has no zone); else an explicit
 * X-Collected-At; else its receipt. A header that disagrees with the export's own stamp is noted in
 * a warning and not used. A stamp later than now (a host clock, or a local time read as UTC) is
 * not used: the header, else the receipt, stands instead.
 */
function collectionTime(
  ctx: UseCaseContext,
  input: IngestInput,
  result: Pick<PreparedSnapshot, 'collectedAt' | 'warnings'>,
): { collectedAt: Date; collectedAtSource: CollectedAtSource } {
  const stamped = result.collectedAt ? new Date(result.collectedAt) : undefined;
  if (stamped && !Number.isNaN(stamped.getTime())) {
    if (stamped.getTime() <= ctx.now.getTime() + COLLECTED_AT_TOLERANCE_MS) {
      if (input.collectedAt && Math.abs(input.collectedAt.getTime() - stamped.getTime()) > COLLECTED_AT_TOLERANCE_MS)
        result.warnings.push({
          code: 'collected_at_header_ignored',
          message: `X-Collected-At (${input.collectedAt.toISOString()}) differs from the time the export stamps on itself (${stamped.toISOString()}): the export's own time is used`,
        });
      return { collectedAt: stamped, collectedAtSource: 'export' };
    }
    result.warnings.push({
      code: 'collected_at_in_future',
      message: `the export says it was taken at ${stamped.toISOString()}, later than its receipt: ${input.collectedAt ? 'X-Collected-At' : 'its receipt time'} is used (send X-Collected-At to state it)`,
    });
  }
  if (input.collectedAt) return { collectedAt: input.collectedAt, collectedAtSource: 'header' };
  return { collectedAt: ctx.now, collectedAtSource: 'received' };
}

async function clientRefs(ctx: UseCaseContext, tenant: TenantView): Promise<ClientRef[]> {
  const clients = await ctx.db.transaction((tx) => listClients(tx, tenant.id));
  return clients.map((c) => ({ slug: c.slug, externalRefs: c.externalRefs }));
}

function snapshotRow(ctx: UseCaseContext, input: IngestInput, p: PreparedSnapshot) {
  return {
    tenantId: input.tenant.id,
    id: newId(),
    kind: p.kind,
    source: p.source,
    instance: input.instance ?? p.instance ?? 'default',
    ...collectionTime(ctx, input, p),
    configChangedAt: p.configChangedAt ? new Date(p.configChangedAt) : null,
    lastConfirmedAt: null,
    receivedAt: ctx.now,
    sha256: p.sha256,
    documentSha256: p.documentSha256,
    contentType: input.contentType ?? 'application/octet-stream',
    parts: p.parts,
    normalized: p.json,
    itemCount: p.itemCount,
    submittedBy: ctx.principal.sub,
    labels: input.labels,
    warnings: p.warnings,
  };
}
