import { AppError } from '../core/errors.js';
import type { TenantRow } from '../db/tenants.js';

export function checkPacks(packs: readonly string[] | undefined, known: readonly string[]): void {
  const bad = (packs ?? []).findIndex((p) => !known.includes(p));
  if (bad >= 0) {
    throw new AppError('validation_failed', `unknown pack "${packs![bad]}"; the packs are: ${known.join(', ')}`, [
      { pointer: `/packs/${bad}`, message: `must be one of ${known.join(', ')}` },
    ]);
  }
}

/**
 * A vendor's organisation id names one client of an MSP: two clients of the same MSP mapping the
 * same (source, id) would make technician exports ambiguous.
 */
export function checkExternalRefs(
  refs: Record<string, string>,
  siblings: readonly TenantRow[],
  selfId: string | undefined,
): void {
  for (const [source, id] of Object.entries(refs)) {
    const other = siblings.find((s) => s.id !== selfId && s.externalRefs[source] === id);
    if (other) {
      throw new AppError('external_ref_taken', `${source} id "${id}" already names client "${other.slug}"`, [
        { pointer: `/externalRefs/${source}`, message: `already names client "${other.slug}"` },
      ]);
    }
  }
}
