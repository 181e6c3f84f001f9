/** Every API route. The OpenAPI document and the cross-tenant tests are generated from this list. */
import type { RouteSpec } from '../route.js';
import getEvaluation from './evaluations/get-evaluation.route.js';
import listEvaluations from './evaluations/list-evaluations.route.js';
import listFindings from './evaluations/list-findings.route.js';
import runEvaluation from './evaluations/run-evaluation.route.js';
import getPack from './packs/get-pack.route.js';
import listPacks from './packs/list-packs.route.js';
import getParameters from './parameters/get-parameters.route.js';
import createReport from './reports/create-report.route.js';
import getReportPdf from './reports/get-report-pdf.route.js';
import getReport from './reports/get-report.route.js';
import listReports from './reports/list-reports.route.js';
import verifyReport from './reports/verify-report.route.js';
import putParameters from './parameters/put-parameters.route.js';
import createAttestation from './attestations/create-attestation.route.js';
import getAttestation from './attestations/get-attestation.route.js';
import getAttestationFile from './attestations/get-attestation-file.route.js';
import listAttestations from './attestations/list-attestations.route.js';
import revokeAttestation from './attestations/revoke-attestation.route.js';
import approveWaiver from './waivers/approve-waiver.route.js';
import createWaiver from './waivers/create-waiver.route.js';
import getWaiver from './waivers/get-waiver.route.js';
import listWaivers from './waivers/list-waivers.route.js';
import revokeWaiver from './waivers/revoke-waiver.route.js';
import getSnapshotRaw from './snapshots/get-snapshot-raw.route.js';
import getSnapshot from './snapshots/get-snapshot.route.js';
import ingestSnapshot from './snapshots/ingest-snapshot.route.js';
import listSnapshots from './snapshots/list-snapshots.route.js';
import createTenant from './tenants/create-tenant.route.js';
import getOverview from './tenants/get-overview.route.js';
import getTenant from './tenants/get-tenant.route.js';
import listAudit from './tenants/list-audit.route.js';
import listTenants from './tenants/list-tenants.route.js';
import updateTenant from './tenants/update-tenant.route.js';
import deleteTenantLogo from './tenants/delete-logo.route.js';
import getTenantLogo from './tenants/get-logo.route.js';
import putTenantLogo from './tenants/put-logo.route.js';
import verifyAudit from './tenants/verify-audit.route.js';
import createLoginLink from './sessions/create-login-link.route.js';
import getSession from './sessions/get-session.route.js';
import logout from './sessions/logout.route.js';

export const ROUTES: readonly RouteSpec[] = [
  createTenant,
  listTenants,
  getTenant,
  getOverview,
  updateTenant,
  putTenantLogo,
  getTenantLogo,
  deleteTenantLogo,
  listAudit,
  verifyAudit,
  ingestSnapshot,
  listSnapshots,
  getSnapshot,
  getSnapshotRaw,
  runEvaluation,
  listEvaluations,
  getEvaluation,
  listFindings,
  getParameters,
  putParameters,
  createWaiver,
  listWaivers,
  getWaiver,
  revokeWaiver,
  approveWaiver,
  createAttestation,
  listAttestations,
  getAttestation,
  getAttestationFile,
  revokeAttestation,
  createReport,
  listReports,
  getReport,
  getReportPdf,
  verifyReport,
  listPacks,
  getPack,
  createLoginLink,
  getSession,
  logout,
];
