/**
 * One export judged on its own, with no database: the pipeline `posture evaluate` runs offline.
 * The same steps the service runs on an ingest — `normaliseExport` (adapters), then the engine's
 * `evaluate` — over a single snapshot, keeping only the rules of the export's kind (the other
 * kinds have no export here).
 */
import type { Adapter, AdapterResult } from '../adapters/types.js';
import { AppError } from '../core/errors.js';
import type { RawPart } from '../core/multipart.js';
import type { EvaluationOutput } from '../core/results.js';
import type { SnapshotKind } from '../core/vocabulary.js';
import type { Catalog } from '../engine/catalog.js';
import { evaluate } from '../engine/evaluate.js';
import { normaliseExport } from './normalise-export.js';

export interface EvaluateExportInput {
  catalog: Catalog;
  adapter: Adapter;
  parts: readonly RawPart[];
  /** default: every pack with a rule of the export's kind */
  packIds?: readonly string[];
  asOf: Date;
  /** when the export was taken (--collected-at): used when the export does not stamp its own time (its stamp comes first); default: asOf */
  collectedAt?: Date;
  internetInterfaces?: string[];
}

export interface EvaluatedExport {
  result: AdapterResult;
  packIds: string[];
  output: EvaluationOutput;
}

export function evaluateExport(input: EvaluateExportInput): EvaluatedExport {
  const { catalog, adapter } = input;
  const kind = adapter.kind as SnapshotKind;
  const packIds = [...(input.packIds ?? packsOfKind(catalog, kind))];
  const unknown = packIds.findIndex((p) => !catalog.packs.has(p));
  if (unknown >= 0)
    throw new AppError(
      'validation_failed',
      `unknown pack "${packIds[unknown]}"; the packs are: ${[...catalog.packs.keys()].join(', ')}`,
    );
  const result = normaliseExport({ adapter, parts: input.parts, internetInterfaces: input.internetInterfaces });
  const snapshot = {
    id: 'local',
    kind,
    source: adapter.source,
    instance: result.instance ?? 'default',
    document: result.document,
    // as on ingest: the explicit time, else the export's own stamp, else "received" (asOf)
    // as the service: the export's own stamp first, then --collected-at, then the evaluation time
    collectedAt: result.collectedAt ? new Date(result.collectedAt) : (input.collectedAt ?? input.asOf),
  };
  const output = ofKind(evaluate({ catalog, packIds, asOf: input.asOf, snapshots: [snapshot] }), catalog, kind);
  return { result, packIds, output };
}

function packsOfKind(catalog: Catalog, kind: SnapshotKind): string[] {
  return [...catalog.packs.values()]
    .filter((p) => p.requirements.some((q) => q.rules.some((r) => catalog.rules.get(r)?.kind === kind)))
    .map((p) => p.id);
}

function ofKind(out: EvaluationOutput, catalog: Catalog, kind: SnapshotKind): EvaluationOutput {
  const mine = (ruleId: string) => catalog.rules.get(ruleId)?.kind === kind;
  return {
    ...out,
    rules: out.rules.filter((r) => mine(r.ruleId)),
    findings: out.findings.filter((f) => mine(f.ruleId)),
    missingEvidence: out.missingEvidence.filter((m) => m.kind === kind || m.ruleIds.some(mine)),
  };
}
