import { and, asc, desc, eq, inArray, isNull, lt, ne } from 'drizzle-orm';
import { open, seal, type Keyring } from '../core/sealing.js';
import type { Tx } from './client.js';
import { attestationFiles, attestations } from './schema.js';

export type AttestationRow = typeof attestations.$inferSelect;

/** An evidence file as the API and the report show it (its bytes stay sealed in the table). */
export interface AttestationFileMeta {
  idx: number;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface AttestationFileInput extends AttestationFileMeta {
  bytes: Buffer;
}

/** What a sealed file is bound to: a ciphertext moved to another tenant, attestation or position does not open. */
export function fileAad(tenantId: string, attestationId: string, idx: number): string {
  return `attestation_files/${tenantId}/${attestationId}/${idx}`;
}

export async function insertAttestation(
  tx: Tx,
  row: typeof attestations.$inferInsert,
  files: readonly AttestationFileInput[],
  ring: Keyring,
): Promise<void> {
  await tx.insert(attestations).values(row);
  for (const f of files) {
    const sealed = seal(ring, f.bytes, fileAad(row.tenantId, row.id, f.idx));
    await tx.insert(attestationFiles).values({
      tenantId: row.tenantId,
      attestationId: row.id,
      idx: f.idx,
      filename: f.filename,
      contentType: f.contentType,
      size: f.size,
      sha256: f.sha256,
      keyId: sealed.keyId,
      bytes: sealed.bytes,
    });
  }
}

export async function getAttestation(tx: Tx, tenantId: string, id: string): Promise<AttestationRow | undefined> {
  const rows = await tx
    .select()
    .from(attestations)
    .where(and(eq(attestations.tenantId, tenantId), eq(attestations.id, id)))
    .limit(1);
  return rows[0];
}

export async function listAttestations(
  tx: Tx,
  tenantId: string,
  limit: number,
  before?: string,
): Promise<AttestationRow[]> {
  return tx
    .select()
    .from(attestations)
    .where(and(eq(attestations.tenantId, tenantId), before ? lt(attestations.id, before) : undefined))
    .orderBy(desc(attestations.id))
    .limit(limit);
}

/** Every attestation of the tenant (validity and revocation are judged at the evaluation's asOf). */
export async function allAttestations(tx: Tx, tenantId: string): Promise<AttestationRow[]> {
  return tx.select().from(attestations).where(eq(attestations.tenantId, tenantId));
}

/** The files' metadata of these attestations, by attestation id, in upload order. */
export async function filesOf(
  tx: Tx,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, AttestationFileMeta[]>> {
  const out = new Map<string, AttestationFileMeta[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await tx
    .select({
      attestationId: attestationFiles.attestationId,
      idx: attestationFiles.idx,
      filename: attestationFiles.filename,
      contentType: attestationFiles.contentType,
      size: attestationFiles.size,
      sha256: attestationFiles.sha256,
    })
    .from(attestationFiles)
    .where(and(eq(attestationFiles.tenantId, tenantId), inArray(attestationFiles.attestationId, [...ids])))
    .orderBy(asc(attestationFiles.attestationId), asc(attestationFiles.idx));
  for (const { attestationId, ...meta } of rows) out.get(attestationId)?.push(meta);
  return out;
}

/** One evidence file, opened (its bytes as uploaded). */
export async function readAttestationFile(
  tx: Tx,
  ring: Keyring,
  tenantId: string,
  attestationId: string,
  idx: number,
): Promise<(AttestationFileMeta & { bytes: Buffer }) | undefined> {
  const rows = await tx
    .select()
    .from(attestationFiles)
    .where(
      and(
        eq(attestationFiles.tenantId, tenantId),
        eq(attestationFiles.attestationId, attestationId),
        eq(attestationFiles.idx, idx),
      ),
    )
    .limit(1);
  const r = rows[0];
  if (!r) return undefined;
  return {
    idx: r.idx,
    filename: r.filename,
    contentType: r.contentType,
    size: r.size,
    sha256: r.sha256,
    bytes: open(ring, r.keyId, r.bytes, fileAad(tenantId, attestationId, idx)),
  };
}

export async function revokeAttestation(tx: Tx, tenantId: string, id: string, by: string, at: Date): Promise<void> {
  await tx
    .update(attestations)
    .set({ revokedAt: at, revokedBy: by })
    .where(and(eq(attestations.tenantId, tenantId), eq(attestations.id, id), isNull(attestations.revokedAt)));
}

/**
 * Re-seal up to `limit` attestation files that an older key sealed under the current key. Returns
 * how many it re-sealed: call again until 0. NOTE: a system step (it crosses tenants), run by
 * `posture rotate-data-key --reencrypt`.
 */
export async function resealAttestationFiles(tx: Tx, ring: Keyring, limit: number): Promise<number> {
  const rows = await tx.select().from(attestationFiles).where(ne(attestationFiles.keyId, ring.current.id)).limit(limit);
  for (const r of rows) {
    const aad = fileAad(r.tenantId, r.attestationId, r.idx);
    const sealed = seal(ring, open(ring, r.keyId, r.bytes, aad), aad);
    await tx
      .update(attestationFiles)
      .set({ keyId: sealed.keyId, bytes: sealed.bytes })
      .where(
        and(
          eq(attestationFiles.tenantId, r.tenantId),
          eq(attestationFiles.attestationId, r.attestationId),
          eq(attestationFiles.idx, r.idx),
        ),
      );
  }
  return rows.length;
}
