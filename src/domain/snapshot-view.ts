import type { SnapshotMeta, SnapshotRow } from '../db/snapshots.js';

/** The API shape of a snapshot; `normalized` (the canonical document) only when asked for one. */
export function toSnapshotDto(s: SnapshotMeta | SnapshotRow, withDocument = false) {
  return {
    id: s.id,
    kind: s.kind,
    source: s.source,
    instance: s.instance,
    collectedAt: s.collectedAt.toISOString(),
    collectedAtSource: s.collectedAtSource,
    configChangedAt: s.configChangedAt?.toISOString() ?? null,
    lastConfirmedAt: s.lastConfirmedAt?.toISOString() ?? null,
    receivedAt: s.receivedAt.toISOString(),
    sha256: s.sha256,
    contentType: s.contentType,
    parts: s.parts,
    itemCount: s.itemCount,
    submittedBy: s.submittedBy,
    labels: s.labels,
    warnings: s.warnings,
    ...(withDocument && 'normalized' in s ? { normalized: s.normalized } : {}),
  };
}

export type SnapshotDto = ReturnType<typeof toSnapshotDto>;
