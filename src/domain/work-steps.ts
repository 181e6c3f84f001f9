/**
 * The CPU-heavy steps behind the `Work` port (work.ts), as pure functions: no database, no clock,
 * no I/O but pdfkit's fonts. The service runs them in its worker threads (src/workers/worker.ts);
 * nothing here knows that. A refusal is an AppError.
 */
import { createHash } from 'node:crypto';
import { itemCount } from '../adapters/registry.js';
import type { ClientRef } from '../adapters/types.js';
import { AppError } from '../core/errors.js';
import type { EvaluationOutput } from '../core/results.js';
import type { Catalog } from '../engine/catalog.js';
import { evaluate } from '../engine/evaluate.js';
import { renderReport } from '../reporting/render-report.js';
import { addSignaturePlaceholder } from '../reporting/sign-pdf.js';
import type { TechniciansDocument } from '../schemas/canonical-types.js';
import type { SnapshotKind } from '../schemas/canonical.js';
import { normaliseExport } from './normalise-export.js';
import { partsOf, resolveAdapter } from './parse-export.js';
import type { EvaluateTask, PreparedSnapshot, PrepareTask, RenderTask } from './work.js';

/** Parse and normalise an export, and compute what its snapshot row stores (hashes, JSON, counts). */
export async function prepareSnapshot(task: PrepareTask): Promise<PreparedSnapshot> {
  const { body } = task;
  const adapter = resolveAdapter(task.source, task.kind);
  const parts = await partsOf(adapter, task.contentType, body);
  const result = normaliseExport({
    adapter,
    parts,
    clients: task.clients,
    internetInterfaces: task.internetInterfaces,
  });
  if (adapter.source === 'canonical' && adapter.kind === 'technicians')
    checkClientSlugs(result.document as TechniciansDocument, task.clients);
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
  const multipart = (task.contentType ?? '').toLowerCase().startsWith('multipart/');
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
    body,
    kind: adapter.kind as SnapshotKind,
    source: adapter.source,
    parts: meta,
    sha256: digest,
    json,
    documentSha256: sha256(json),
    itemCount: itemCount(adapter.kind as SnapshotKind, result.document),
    instance: result.instance,
    collectedAt: result.collectedAt,
    configChangedAt: result.configChangedAt,
    warnings: result.warnings,
  };
}

/** The engine over snapshots whose documents come as JSON text. */
export function evaluateSnapshots(catalog: Catalog, task: EvaluateTask): EvaluationOutput {
  return evaluate({
    catalog,
    packIds: task.packIds,
    asOf: task.asOf,
    params: task.params,
    evidenceHints: task.evidenceHints,
    waivers: task.waivers,
    attestations: task.attestations,
    snapshots: task.snapshots.map(({ json, ...s }) => ({ ...s, document: JSON.parse(json) as unknown })),
  });
}

/** The report PDF with its signature placeholder, not yet signed. */
export function renderUnsigned(task: RenderTask): Promise<Buffer> {
  return renderReport(task.data, { beforeEnd: (doc) => addSignaturePlaceholder(doc, task.signature) });
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
