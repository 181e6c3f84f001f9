/**
 * The port through which use cases hand their CPU-heavy steps — parse and normalise an export,
 * evaluate the packs, render a report — to whoever runs them: the service wires in a bounded pool
 * of worker threads (src/workers), so that the HTTP event loop never parses 50 MB itself. The
 * steps themselves are the pure functions of `work-steps.ts`; the domain never knows where they run.
 *
 * What crosses the port is structured-clone friendly (plain objects, strings, Dates, byte
 * arrays): an export's bytes go and come back as one transferred buffer, snapshot documents go
 * as their JSON text (a string is one copy; an object graph would be walked twice, once on this
 * thread).
 *
 * Refusals are AppErrors: `service_busy` (503) when the queue is full, `export_too_complex`
 * (413) when a step needs more memory than a worker may use, and whatever the step itself
 * refuses (`malformed_export`, `invalid_export`, …).
 */
import type { ClientRef, Warning } from '../adapters/types.js';
import type { EvaluationOutput } from '../core/results.js';
import type { SnapshotKind } from '../core/vocabulary.js';
import type { WaiverInput } from '../engine/waivers.js';
import type { AttestationInput } from '../engine/attestations.js';
import type { ReportData } from '../reporting/report-data.js';
import type { SnapshotPartMeta } from '../db/schema.js';

export interface Work {
  /** raw export → its canonical document (as JSON text) and everything the snapshot row needs */
  prepare(task: PrepareTask, opts?: WorkOptions): Promise<PreparedSnapshot>;
  /** the engine over snapshot documents given as JSON text */
  evaluate(task: EvaluateTask, opts?: WorkOptions): Promise<EvaluationOutput>;
  /** the report PDF, unsigned, with its signature placeholder */
  render(task: RenderTask, opts?: WorkOptions): Promise<Buffer>;
}

export interface WorkOptions {
  /**
   * true: this step continues a request whose earlier step was already admitted (the evaluation
   * after an ingest stored its snapshot, the render after a report's fresh evaluation). It waits
   * its turn instead of being refused with 503, so that a request never fails half-way for a
   * queue it already passed.
   */
  admitted?: boolean;
}

export interface PrepareTask {
  source: string;
  kind?: string;
  contentType?: string;
  /** the export as received; NOTE: handed over (a worker receives the buffer itself, not a copy): use the one returned */
  body: Buffer;
  /** the MSP's clients, for technician exports */
  clients: ClientRef[];
  internetInterfaces?: string[];
}

export interface PreparedSnapshot {
  /** the export's bytes, given back */
  body: Buffer;
  kind: SnapshotKind;
  source: string;
  parts: SnapshotPartMeta[];
  /** over the raw body; for multipart over the sorted (part name, part SHA-256) pairs */
  sha256: string;
  /** the canonical document, as stored */
  json: string;
  documentSha256: string;
  itemCount: number;
  instance?: string;
  /** a time the export stamps on itself as when it was taken */
  collectedAt?: string;
  /** when the configuration last changed, as the export says (pfSense/OPNsense revision) */
  configChangedAt?: string;
  warnings: Warning[];
}

export interface TaskSnapshot {
  id: string;
  kind: SnapshotKind;
  source: string;
  instance: string;
  /** the canonical document's JSON text */
  json: string;
  /** when the export was taken: clock-dependent rules judge its items as of then */
  collectedAt: Date;
  /** the latest re-post confirming it (known at the evaluation's asOf), if any */
  lastConfirmedAt: Date | null;
}

export interface EvaluateTask {
  packIds: readonly string[];
  snapshots: readonly TaskSnapshot[];
  params?: Record<string, Record<string, unknown>>;
  waivers?: readonly WaiverInput[];
  attestations?: readonly AttestationInput[];
  asOf: Date;
  evidenceHints?: Record<string, string>;
}

export interface RenderTask {
  data: ReportData;
  /** the signature dictionary's fields (the CMS is made by the caller, which holds the key) */
  signature: { reason: string; name: string; signingTime: Date };
}
