/**
 * "Prepared by" on a report's cover: the MSP — a client's parent, or an MSP tenant itself — with
 * its name and logo. A client token does not reach its MSP; this one read is widened to it.
 */
import { readTenantLogo } from '../db/tenant-logo.js';
import { type ScopedDb, widenReach } from '../db/scope.js';
import { getTenantById, type TenantView } from '../db/tenants.js';
import type { PreparedBy } from '../reporting/report-data.js';

export async function readPreparedBy(db: ScopedDb, tenant: TenantView): Promise<PreparedBy | null> {
  const mspId = tenant.kind === 'msp' ? tenant.id : tenant.parentId;
  if (mspId === null) return null;
  return db.transaction(async (tx) => {
    // NOTE: the client's MSP's name and logo only, read on the client's behalf
    if (mspId !== tenant.id) await widenReach(tx, db.reach, [mspId]);
    const msp = mspId === tenant.id ? tenant : await getTenantById(tx, mspId);
    if (!msp) return null;
    const logo = await readTenantLogo(tx, mspId);
    return {
      slug: msp.slug,
      name: msp.name,
      logo: logo ? { bytes: logo.bytes, mediaType: logo.mediaType } : null,
    };
  });
}
