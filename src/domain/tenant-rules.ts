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
 * same (source, id) would make technician exports ambiguous. The other client is named only to a
 * caller who reaches it: a client never learns a sibling's slug.
 */
export function checkExternalRefs(
  refs: Record<string, string>,
  siblings: readonly TenantRow[],
  selfId: string | undefined,
  reachable: (slug: string) => boolean = () => true,
): void {
  for (const [source, id] of Object.entries(refs)) {
    const other = siblings.find((s) => s.id !== selfId && s.externalRefs[source] === id);
    if (other) {
      const who = reachable(other.slug) ? `client "${other.slug}"` : 'another client of this MSP';
      throw new AppError('external_ref_taken', `${source} id "${id}" already names ${who}`, [
        { pointer: `/externalRefs/${source}`, message: `already names ${who}` },
      ]);
    }
  }
}
