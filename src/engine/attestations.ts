/**
 * Attestations as the engine sees them: plain data, judged at the evaluation's asOf like waivers.
 * One in force for a manual requirement makes it `attested` instead of `manual`.
 */
export interface AttestationInput {
  id: string;
  packId: string;
  requirementId: string;
  /** when it was made: an evaluation as of an earlier time does not see it */
  attestedAt: Date;
  validUntil: Date;
  revokedAt: Date | null;
}

export interface AttestationIndex {
  /** the attestation in force for this requirement of this pack, if any (the latest made, when several are) */
  find(packId: string, requirementId: string): AttestationInput | undefined;
}

/** In force at `at`: made by then, not yet expired, not revoked by then. */
export function attestationInForce(a: Pick<AttestationInput, 'attestedAt' | 'validUntil' | 'revokedAt'>, at: Date) {
  return a.attestedAt <= at && a.validUntil > at && (a.revokedAt === null || a.revokedAt > at);
}

export function indexAttestations(attestations: readonly AttestationInput[], asOf: Date): AttestationIndex {
  const byRequirement = new Map<string, AttestationInput>();
  for (const a of attestations) {
    if (!attestationInForce(a, asOf)) continue;
    const key = `${a.packId}\u0000${a.requirementId}`;
    const seen = byRequirement.get(key);
    if (!seen || seen.attestedAt < a.attestedAt) byRequirement.set(key, a);
  }
  return { find: (packId, requirementId) => byRequirement.get(`${packId}\u0000${requirementId}`) };
}
