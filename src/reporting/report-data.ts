/**
 * Everything a report shows, gathered by the domain (src/domain/create-report.ts) before
 * rendering: the renderer is pure — same data, same bytes.
 */
import type { DiffSummary, MissingEvidence, PackResult, RuleResult } from '../core/results.js';
import type { FindingStatus, Severity } from '../core/vocabulary.js';

export interface ReportFinding {
  packId: string;
  ruleId: string;
  ruleTitle: string;
  remediation: string;
  requirements: { pack: string; id: string }[];
  status: FindingStatus;
  severity: Severity;
  source: string | null;
  item: { id: string; name: string | null } | null;
  message: string;
  /** only the fields the rule read */
  evidence: Record<string, unknown>;
  waiverId: string | null;
  /** fields the verdict rests on by assumption (the export does not state them); empty: none */
  assumed: string[];
  /** judged on evidence older than maxEvidenceAgeDays */
  stale: boolean;
  /** where in the export the item is (part, page, JSON Pointer); the technical appendix prints it */
  origin?: { part?: string; page?: number; pointer?: string; [k: string]: unknown } | null;
  /** the rule's note on which export carries what it reads (for "what the exports do not show") */
  ruleEvidence?: string;
}

export interface ReportWaiver {
  id: string;
  ruleId: string;
  packId: string | null;
  itemMatch: string;
  justification: string;
  /** who approved it (another person than the requester), as the service recorded them */
  approvedBy: string;
  /** when it was approved; absent for waivers from before approval was a separate step */
  approvedAt?: Date;
  /** who requested it */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  /**
   * Set when the waiver's itemMatch is outside the glob grammar (stored before it was enforced):
   * why. Such a waiver was never applied; the report lists it apart, as invalid.
   */
  invalid?: string;
}

/** An attestation in force at the evaluation: who attested which requirement, until when, with which files. */
export interface ReportAttestation {
  id: string;
  packId: string;
  requirementId: string;
  statement: string;
  /** the attester, as the service recorded them ("Name <email> (subject)", or the subject) */
  attestedBy: string;
  attestedAt: Date;
  validUntil: Date;
  /** the evidence files; SHA-256 over the bytes as uploaded (the manifest lists them too) */
  files: { filename: string; contentType: string; size: number; sha256: string }[];
}

export interface TechnicianReach {
  technician: { id: string; name: string; source: string; status: string; privileged: boolean | null };
  /** can: its client access names this client or "*"; may: the export does not say (null) */
  access: 'can' | 'may';
  /** the technician-hygiene rules that did not pass for this technician (empty: all passed) */
  problems: TechnicianProblem[];
}

export interface TechnicianProblem {
  ruleId: string;
  title: string;
  status: string;
  severity: string;
  message: string;
  /**
   * true: a finding about the technician's whole export (every technician of it that the rule
   * applies to could not be judged for one reason), listed under each of them
   */
  wholeExport?: boolean;
}

export interface TechnicianSection {
  msp: { slug: string; name: string };
  /** the MSP's evaluation the results come from; null when the MSP has none */
  evaluation: { id: string; asOf: Date } | null;
  reach: TechnicianReach[];
}

export interface ManifestSnapshot {
  id: string;
  kind: string;
  source: string;
  instance: string;
  /** when the export was taken (rows of older releases may lack it) */
  collectedAt: Date | null;
  /** where collectedAt came from: X-Collected-At, the export's own stamp, or receipt */
  collectedAtSource?: 'header' | 'export' | 'received';
  /** when the configuration last changed, as the export says (pfSense/OPNsense) */
  configChangedAt?: Date | null;
  /** the last re-post of the same export */
  lastConfirmedAt?: Date | null;
  receivedAt: Date;
  sha256: string;
  /** whole days from the evidence time (collection or last confirmation) to the evaluation's asOf */
  ageDays?: number;
  /** older than the evidence age limit (maxEvidenceAgeDays) at the evaluation: its passes did not count */
  stale?: boolean;
}

/** Who prepared the report: the MSP (a client's parent, or the MSP tenant itself), with its logo if set. */
export interface PreparedBy {
  slug: string;
  name: string;
  /** PNG or JPEG as stored (a Uint8Array after crossing to a worker thread); null: no logo set */
  logo: { bytes: Uint8Array; mediaType: 'image/png' | 'image/jpeg' } | null;
}

/** The evidence behind "Your MSP's technicians": the MSP's own, not this tenant's. */
export interface MspManifest {
  msp: { slug: string; name: string };
  /** the MSP evaluation the section's results come from */
  evaluationId: string;
  /** the MSP's technician snapshots that evaluation judged */
  snapshots: ManifestSnapshot[];
  /** the technician-hygiene pack file and its rule files, as hashed by that evaluation */
  files: { path: string; sha256: string }[];
}

export interface ReportData {
  reportId: string;
  generatedAt: Date;
  tenant: { slug: string; name: string; kind: 'msp' | 'client'; parent: string | null };
  /** the MSP preparing the report (absent in report data made before it existed; null: none) */
  preparedBy?: PreparedBy | null;
  evaluation: {
    id: string;
    asOf: Date;
    createdAt: Date;
    packs: PackResult[];
    rules: RuleResult[];
    missingEvidence: MissingEvidence[];
    diff: DiffSummary;
  };
  /** the previous evaluation's scores, for "change since the previous evaluation" */
  previous: {
    id: string;
    asOf: Date;
    scores: {
      packId: string;
      withoutWaivers: number | null;
      withWaivers: number | null;
      /** the three figures' values (absent in report data made before they existed) */
      figures?: { verified: number | null; withAttestations: number | null; withWaivers: number | null };
    }[];
  } | null;
  findings: ReportFinding[];
  waivers: ReportWaiver[];
  /** attestations in force at the evaluation, in the report's packs (absent: none) */
  attestations?: ReportAttestation[];
  /** only in a client tenant's report */
  technicians: TechnicianSection | null;
  manifest: {
    snapshots: ManifestSnapshot[];
    files: { path: string; sha256: string }[];
    /** client reports: the MSP's evidence behind the technicians section (absent or null: none) */
    msp?: MspManifest | null;
  };
  signer: { subject: string; fingerprint: string; selfSigned: boolean };
}
