/**
 * Vendor organisation ids → client tenant slugs. Each client tenant names its id in a vendor's
 * export in `externalRefs[<source name>]`; technician adapters turn the org (or scope) ids a
 * technician can reach into the slugs of `clientAccess` through this lookup.
 */
import type { Origin } from '../../schemas/canonical-types.js';
import type { ClientRef, Warning } from '../types.js';

/** vendor id (trimmed string) → the slugs of the clients that claim it */
export type ClientMap = ReadonlyMap<string, readonly string[]>;

/**
 * Built once per normalisation. Two clients claiming the same vendor id both get it: a technician
 * who reaches that org then shows on both clients' reports, which over-reports rather than hides.
 */
export function buildClientMap(clients: readonly ClientRef[], source: string): ClientMap {
  const map = new Map<string, string[]>();
  for (const client of clients) {
    const ref = client.externalRefs[source];
    if (typeof ref !== 'string' || ref.trim() === '') continue;
    const key = ref.trim();
    const slugs = map.get(key) ?? [];
    if (!slugs.includes(client.slug)) slugs.push(client.slug);
    map.set(key, slugs);
  }
  return map;
}

export interface VendorIdSite {
  source: string;
  /** what the vendor calls the id, for the warning: "organisation", "scope" */
  noun: string;
  /** where the list of ids is in the export; the id's index is appended to the pointer */
  at: Origin;
}

/**
 * The slugs for `ids`, deduplicated in order. An id that no client maps is left out and reported
 * as an `unmapped_client` warning pointing at the id, so the user can add the external ref.
 */
export function mapClientIds(
  ids: readonly unknown[],
  map: ClientMap,
  site: VendorIdSite,
  warnings: Warning[],
): string[] {
  const slugs: string[] = [];
  ids.forEach((id, i) => {
    const key = typeof id === 'number' || typeof id === 'string' ? String(id).trim() : '';
    const found = map.get(key);
    if (found === undefined) {
      warnings.push(unmapped(key, i, site));
      return;
    }
    for (const slug of found) if (!slugs.includes(slug)) slugs.push(slug);
  });
  return slugs;
}

function unmapped(key: string, index: number, { source, noun, at }: VendorIdSite): Warning {
  const pointer = at.pointer === undefined ? undefined : `${at.pointer}/${index}`;
  return {
    code: 'unmapped_client',
    message: `${source} ${noun} ${JSON.stringify(key)} maps to no client: set externalRefs["${source}"] on the client tenant it belongs to`,
    part: at.part,
    ...(at.page !== undefined && { page: at.page }),
    ...(pointer !== undefined && { pointer }),
  };
}
