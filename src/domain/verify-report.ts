/**
 * Verify a PDF against this service: trusted are only the certificates it has signed with
 * (never merely the one inside the CMS), and a valid signature must also name a report it
 * stored — same bytes — or the answer is "not issued by this service".
 */
import type { ScopedDb } from '../db/scope.js';
import { findReportBySha256, signingCertificatesByFingerprint } from '../db/reports.js';
import { verifyPdf, type VerifyReason } from '../reporting/verify-pdf.js';

export type ReportVerdictReason = VerifyReason | 'not_issued_by_this_service';

export interface ReportVerdict {
  valid: boolean;
  reportId: string | null;
  tenant: string | null;
  sha256: string;
  signedAt: string | null;
  signer: string | null;
  signerFingerprint: string | null;
  reasons: ReportVerdictReason[];
}

export async function verifyReport(db: ScopedDb, pdf: Buffer): Promise<ReportVerdict> {
  const trusted = await db.transaction((tx) => signingCertificatesByFingerprint(tx));
  const r = verifyPdf(pdf, (fp) => trusted.get(fp));
  const stored = r.valid ? await db.transaction((tx) => findReportBySha256(tx, r.sha256)) : undefined;
  const reasons: ReportVerdictReason[] = [...r.reasons];
  if (r.valid && !stored) reasons.push('not_issued_by_this_service');
  return {
    valid: reasons.length === 0,
    reportId: stored?.id ?? null,
    tenant: stored?.tenant ?? null,
    sha256: r.sha256,
    signedAt: r.signedAt ?? null,
    signer: r.signer ?? null,
    signerFingerprint: r.signerFingerprint ?? null,
    reasons,
  };
}
