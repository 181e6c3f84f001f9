/**
 * After a key rotation: every raw export chunk sealed by an older key (or stored before
 * encryption at rest) is sealed again under the current key, in batches of one transaction each,
 * so the old keys can then leave the keyring. A system context: it reads every tenant's exports.
 */
import type { Keyring } from '../core/sealing.js';
import { resealAttestationFiles } from '../db/attestations.js';
import { resealParts } from '../db/snapshots.js';
import type { ScopedDb } from '../db/scope.js';

const BATCH = 64;

export async function resealRawExports(system: ScopedDb, ring: Keyring): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await system.transaction((tx) => resealParts(tx, ring, BATCH));
    total += n;
    if (n < BATCH) return total;
  }
}

/** The same for attestations' evidence files (sealed since they exist: never plaintext). */
export async function resealAttestationEvidence(system: ScopedDb, ring: Keyring): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await system.transaction((tx) => resealAttestationFiles(tx, ring, BATCH));
    total += n;
    if (n < BATCH) return total;
  }
}
