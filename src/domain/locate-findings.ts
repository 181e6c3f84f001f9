/**
 * Where each finding's item sits in the raw export as stored: the part, and the line (given by
 * text adapters, or found from the JSON Pointer in the stored bytes). For SARIF locations.
 */
import { decodeLenient } from '../core/text.js';
import type { Keyring } from '../core/sealing.js';
import type * as Sarif from 'sarif';
import type { Tx } from '../db/client.js';
import { getSnapshotRaw } from '../db/snapshots.js';
import { splitMultipart } from '../core/multipart.js';
import type { CiFinding, Origin } from '../reporting/ci-finding.js';
import { lineFinder, type LineOf } from '../reporting/json-lines.js';
import { defaultLocation } from '../reporting/sarif.js';

/** Exports above this size keep line 1 for JSON items: re-parsing them for a SARIF download is not worth it. */
const MAX_LINE_LOOKUP_BYTES = 20 * 1024 * 1024;

export async function findingLocator(
  db: Tx,
  ring: Keyring,
  tenantId: string,
  findings: readonly CiFinding[],
): Promise<(f: CiFinding) => Sarif.PhysicalLocation> {
  const finders = new Map<string, LineOf>(); // `${snapshot}/${part}/${page}`
  const ids = [
    ...new Set(
      findings
        .filter((f) => f.status === 'fail' || f.status === 'waived')
        .map((f) => f.snapshotId)
        .filter((x): x is string => x !== null),
    ),
  ];
  for (const id of ids) {
    const raw = await getSnapshotRaw(db, tenantId, id, ring);
    if (!raw || raw.bytes.length > MAX_LINE_LOOKUP_BYTES) continue;
    const parts = raw.contentType.toLowerCase().startsWith('multipart/')
      ? await splitMultipart(raw.bytes, raw.contentType).catch(() => [])
      : [{ name: '', bytes: raw.bytes }];
    const pages = new Map<string, number>();
    for (const p of parts) {
      const page = pages.get(p.name) ?? 0;
      pages.set(p.name, page + 1);
      finders.set(`${id}/${p.name}/${page}`, lineFinder(decodeLenient(p.bytes)));
    }
  }
  return (f) => {
    const loc = defaultLocation(f);
    const o = (f.origin ?? {}) as Origin;
    if (o.line === undefined && o.pointer !== undefined) {
      const find = finders.get(`${f.snapshotId}/${o.part}/${o.page ?? 0}`) ?? finders.get(`${f.snapshotId}//0`);
      const line = find?.(o.pointer);
      if (line) loc.region = { startLine: line };
    }
    return loc;
  };
}
