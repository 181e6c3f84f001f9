/**
 * Ingest one export: parse and normalise it (nothing is stored on any 4xx), then in one
 * transaction either recognise it as equal to the latest snapshot of its (source, instance) —
 * 200 with that id — or store the raw bytes and the canonical document together.
 */
import { createHash } from 'node:crypto';
import { runAdapter, type RawPart } from '../adapters/run-adapter.js';
import { AdapterInputError, type Adapter, type AdapterResult, type ClientRef } from '../adapters/types.js';
import { itemCount } from '../adapters/registry.js';
import { recordAudit } from '../db/audit.js';
import { newId } from '../db/ids.js';
import { insertSnapshot, latestSnapshot, lockSnapshotStream, type SnapshotMeta } from '../db/snapshots.js';
import { listClients, type TenantView } from '../db/tenants.js';
import type { TechniciansDocument } from '../schemas/canonical-types.js';
import type { SnapshotKind } from '../schemas/canonical.js';
import { AppError } from '../http/errors.js';
import type { UseCaseContext } from './context.js';
import { partsOf, resolveAdapter } from './parse-export.js';

export interface IngestInput {
  tenant: TenantView;
  source: string;
  kind?: string;
  instance?: string;
  internetInterfaces?: string[];
  contentType: string | undefined;
  body: Buffer;
  labels: Record<string, string>;
  collectedAt?: Date;
}

export interface IngestOutcome {
  created: boolean;
  snapshot: SnapshotMeta;
  /** the canonical document of a created snapshot, still in memory: its evaluation need not read it back */
  document?: unknown;
}

export async function ingestSnapshot(ctx: UseCaseContext, input: IngestInput): Promise<IngestOutcome> {
  const adapter = resolveAdapter(input.source, input.kind);
  const parts = await partsOf(adapter, input.contentType, input.body);
  if (adapter.kind === 'technicians' && input.tenant.kind !== 'msp') {
    throw new AppError(
      'validation_failed',
      "technician snapshots describe an MSP's own staff: post them to the MSP tenant",
      [{ in: 'path', pointer: '/tenant', message: 'is not an MSP tenant' }],
    );
  }
  const clients = adapter.kind === 'technicians' ? await clientRefs(ctx, input.tenant) : [];
  const result = normalise(adapter, parts, clients, input.internetInterfaces);
  if (adapter.source === 'canonical' && adapter.kind === 'technicians')
    checkClientSlugs(result.document as TechniciansDocument, clients);
  const row = snapshotRow(ctx, input, adapter, parts, result);
  return ctx.db.transaction(async (tx) => {
    await lockSnapshotStream(tx, input.tenant.id, row.source, row.instance);
    const latest = await latestSnapshot(tx, input.tenant.id, row.source, row.instance);
    if (latest && latest.sha256 === row.sha256 && latest.documentSha256 === row.documentSha256)
      return { created: false, snapshot: latest };
    await insertSnapshot(tx, row, input.body);
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
    return { created: true, snapshot: meta as SnapshotMeta, document: result.document };
  });
}

async function clientRefs(ctx: UseCaseContext, tenant: TenantView): Promise<ClientRef[]> {
  return (await listClients(ctx.db, tenant.id)).map((c) => ({ slug: c.slug, externalRefs: c.externalRefs }));
}

function normalise(
  adapter: Adapter,
  parts: RawPart[],
  clients: ClientRef[],
  internetInterfaces?: string[],
): AdapterResult {
  try {
    return runAdapter(adapter, parts, { clients, internetInterfaces });
  } catch (err) {
    if (!(err instanceof AdapterInputError)) throw err;
    const code = err.status === 400 ? 'malformed_export' : 'invalid_export';
    throw new AppError(
      code,
      err.message,
      err.problems.map((p) => ({ ...p, message: p.message })),
    );
  }
}

/** A canonical technicians snapshot may only name this MSP's clients (or "*"). */
function checkClientSlugs(doc: TechniciansDocument, clients: ClientRef[]): void {
  const known = new Set(clients.map((c) => c.slug));
  doc.technicians.forEach((t, i) =>
    (t.clientAccess ?? []).forEach((slug, j) => {
      if (slug !== '*' && !known.has(slug)) {
        throw new AppError(
          'unknown_client',
          `technician "${t.id}" names client "${slug}", which is not a client of this MSP`,
          [{ pointer: `/technicians/${i}/clientAccess/${j}`, message: `no client "${slug}"` }],
        );
      }
    }),
  );
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function snapshotRow(
  ctx: UseCaseContext,
  input: IngestInput,
  adapter: Adapter,
  parts: RawPart[],
  result: AdapterResult,
) {
  const json = JSON.stringify(result.document);
  const pages = new Map<string, number>();
  const meta = parts.map((p) => {
    const page = pages.get(p.name) ?? 0;
    pages.set(p.name, page + 1);
    return {
      name: p.name,
      page,
      format: adapter.parts.find((s) => s.name === p.name)!.format,
      size: p.bytes.length,
      sha256: sha256(p.bytes),
    };
  });
  const multipart = (input.contentType ?? '').toLowerCase().startsWith('multipart/');
  // Multipart: a new boundary must not make a new snapshot, so hash the sorted (name, part hash) pairs.
  const digest = multipart
    ? sha256(
        meta
          .map((m) => `${m.name}\u0000${m.sha256}\n`)
          .sort()
          .join(''),
      )
    : meta[0]!.sha256;
  return {
    tenantId: input.tenant.id,
    id: newId(),
    kind: adapter.kind,
    source: adapter.source,
    instance: input.instance ?? result.instance ?? 'default',
    collectedAt:
      input.collectedAt && !result.collectedAt
        ? input.collectedAt
        : result.collectedAt
          ? new Date(result.collectedAt)
          : null,
    receivedAt: ctx.now,
    sha256: digest,
    documentSha256: sha256(json),
    contentType: input.contentType ?? 'application/octet-stream',
    parts: meta,
    normalized: json,
    itemCount: itemCount(adapter.kind as SnapshotKind, result.document),
    submittedBy: ctx.principal.sub,
    labels: input.labels,
    warnings: result.warnings,
  };
}
