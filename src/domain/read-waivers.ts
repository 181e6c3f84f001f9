/** Reading waivers, with whether each is in force now. */
import { AppError } from '../core/errors.js';
import type { ScopedDb } from '../db/scope.js';
import { getWaiver, listWaivers } from '../db/waivers.js';
import { type Page, type PageRequest, pageOf } from './page.js';
import { toWaiverDto } from './waivers.js';

export type WaiverDto = ReturnType<typeof toWaiverDto>;

export async function getWaiverById(db: ScopedDb, tenantId: string, id: string, now: Date): Promise<WaiverDto> {
  const w = await db.transaction((tx) => getWaiver(tx, tenantId, id));
  if (!w) throw new AppError('waiver_not_found', `no waiver "${id}"`);
  return toWaiverDto(w, now);
}

export async function listWaiverPage(
  db: ScopedDb,
  tenantId: string,
  page: PageRequest,
  now: Date,
): Promise<Page<WaiverDto>> {
  const rows = await db.transaction((tx) => listWaivers(tx, tenantId, page.limit + 1, page.cursor));
  return pageOf(
    rows,
    page.limit,
    (w) => w.id,
    (w) => toWaiverDto(w, now),
  );
}
