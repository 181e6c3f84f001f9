/** Reading snapshots: one (with its canonical document), its raw bytes, or a page of them. */
import { AppError } from '../core/errors.js';
import type { Keyring } from '../core/sealing.js';
import type { Tx } from '../db/client.js';
import { getSnapshot, getSnapshotRaw, listSnapshots, type SnapshotFilter } from '../db/snapshots.js';
import { type Page, type PageRequest, pageOf } from './page.js';
import { type SnapshotDto, toSnapshotDto } from './snapshot-view.js';

export async function getSnapshotById(db: Tx, tenantId: string, id: string): Promise<SnapshotDto> {
  const s = await getSnapshot(db, tenantId, id);
  if (!s) throw new AppError('snapshot_not_found', `no snapshot "${id}"`);
  return toSnapshotDto(s, true);
}

/** The bytes as received and their Content-Type (for the `snapshots:raw` scope only). */
export async function getSnapshotBytes(db: Tx, ring: Keyring, tenantId: string, id: string) {
  const raw = await getSnapshotRaw(db, tenantId, id, ring);
  if (!raw) throw new AppError('snapshot_not_found', `no snapshot "${id}"`);
  return raw;
}

export async function listSnapshotPage(
  db: Tx,
  tenantId: string,
  filter: SnapshotFilter,
  page: PageRequest,
): Promise<Page<SnapshotDto>> {
  const rows = await listSnapshots(db, tenantId, filter, page.limit + 1, page.cursor);
  return pageOf(
    rows,
    page.limit,
    (s) => s.id,
    (s) => toSnapshotDto(s),
  );
}
