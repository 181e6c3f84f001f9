/** Reading snapshots: one (with its canonical document), its raw bytes, or a page of them. */
import { AppError } from '../core/errors.js';
import type { Keyring } from '../core/sealing.js';
import type { ScopedDb } from '../db/scope.js';
import { getSnapshot, getSnapshotRaw, listSnapshots, type SnapshotFilter } from '../db/snapshots.js';
import { type Page, type PageRequest, pageOf } from './page.js';
import { type SnapshotDto, toSnapshotDto } from './snapshot-view.js';

export async function getSnapshotById(db: ScopedDb, tenantId: string, id: string): Promise<SnapshotDto> {
  const s = await db.transaction((tx) => getSnapshot(tx, tenantId, id));
  if (!s) throw new AppError('snapshot_not_found', `no snapshot "${id}"`);
  return toSnapshotDto(s, true);
}

/** The bytes as received and their Content-Type (for the `snapshots:raw` scope only). */
export async function getSnapshotBytes(db: ScopedDb, ring: Keyring, tenantId: string, id: string) {
  const raw = await db.transaction((tx) => getSnapshotRaw(tx, tenantId, id, ring));
  if (!raw) throw new AppError('snapshot_not_found', `no snapshot "${id}"`);
  return raw;
}

export async function listSnapshotPage(
  db: ScopedDb,
  tenantId: string,
  filter: SnapshotFilter,
  page: PageRequest,
): Promise<Page<SnapshotDto>> {
  const rows = await db.transaction((tx) => listSnapshots(tx, tenantId, filter, page.limit + 1, page.cursor));
  return pageOf(
    rows,
    page.limit,
    (s) => s.id,
    (s) => toSnapshotDto(s),
  );
}
