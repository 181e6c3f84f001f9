/** Reading attestations, with their files' metadata and whether each is in force now. */
import { AppError } from '../core/errors.js';
import type { Keyring } from '../core/sealing.js';
import { filesOf, getAttestation, listAttestations, readAttestationFile } from '../db/attestations.js';
import type { ScopedDb } from '../db/scope.js';
import { type AttestationDto, toAttestationDto } from './attestations.js';
import { type Page, type PageRequest, pageOf } from './page.js';

export async function getAttestationById(
  db: ScopedDb,
  tenantId: string,
  id: string,
  now: Date,
): Promise<AttestationDto> {
  return db.transaction(async (tx) => {
    const a = await getAttestation(tx, tenantId, id);
    if (!a) throw new AppError('attestation_not_found', `no attestation "${id}"`);
    const files = await filesOf(tx, tenantId, [id]);
    return toAttestationDto(a, files.get(id) ?? [], now);
  });
}

export async function listAttestationPage(
  db: ScopedDb,
  tenantId: string,
  page: PageRequest,
  now: Date,
): Promise<Page<AttestationDto>> {
  return db.transaction(async (tx) => {
    const rows = await listAttestations(tx, tenantId, page.limit + 1, page.cursor);
    const files = await filesOf(
      tx,
      tenantId,
      rows.map((r) => r.id),
    );
    return pageOf(
      rows,
      page.limit,
      (a) => a.id,
      (a) => toAttestationDto(a, files.get(a.id) ?? [], now),
    );
  });
}

/** One evidence file of an attestation, opened: its bytes as uploaded, with its name and type. */
export async function getAttestationFile(db: ScopedDb, ring: Keyring, tenantId: string, id: string, idx: string) {
  const n = /^\d{1,2}$/.test(idx) ? Number(idx) : -1;
  const file = n < 0 ? undefined : await db.transaction((tx) => readAttestationFile(tx, ring, tenantId, id, n));
  if (!file) throw new AppError('attestation_not_found', `attestation "${id}" has no file ${idx}`);
  return file;
}
