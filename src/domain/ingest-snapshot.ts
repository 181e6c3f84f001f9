/**
 * Ingest one export and evaluate the tenant on it: parse and normalise it (nothing is stored on
 * any 4xx), then in one transaction either recognise it as equal to the latest snapshot of its
 * (source, instance) — `created: false`, that snapshot — or store the raw bytes and the canonical
 * document together; then run the tenant's packs, so CI gets its verdict in the same answer.
 */
import type { ClientRef } from '../adapters/types.js';
import { recordAudit } from '../db/audit.js';
import { newId } from '../core/ids.js';
import { insertSnapshot, latestSnapshot, lockSnapshotStream, type SnapshotMeta } from '../db/snapshots.js';
import { listClients, type TenantView } from '../db/tenants.js';
import { AppError } from '../core/errors.js';
import type { EvaluationSummary } from '../core/results.js';
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
  collectedAt?: Date;
}

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
    if (latest && latest.sha256 === row.sha256 && latest.documentSha256 === row.documentSha256)
      return { created: false, snapshot: latest };
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
    collectedAt:
      input.collectedAt && !p.collectedAt ? input.collectedAt : p.collectedAt ? new Date(p.collectedAt) : null,
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
