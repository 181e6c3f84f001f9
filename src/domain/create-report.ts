/**
 * Render, sign and store a report: of the evaluation given, or of a fresh one. The stored PDF is
 * immutable and named by its SHA-256; the signing certificate is recorded so that every report
 * ever signed keeps verifying after a key rotation.
 */
import { createHash } from 'node:crypto';
import { recordAudit } from '../db/audit.js';
import { getEvaluation, type EvaluationRow } from '../db/evaluations.js';
import { newId } from '../core/ids.js';
import { insertReport, recordSigningCertificate, type ReportMeta } from '../db/reports.js';
import type { TenantView } from '../db/tenants.js';
import { AppError } from '../core/errors.js';
import { signPdf } from '../reporting/sign-pdf.js';
import type { UseCaseContext } from './context.js';
import { gatherReportData } from './gather-report-data.js';
import { runEvaluation } from './run-evaluation.js';

export interface CreateReportInput {
  packs?: string[];
  evaluationId?: string;
}

type Ctx = UseCaseContext;

export async function createReport(ctx: Ctx, tenant: TenantView, input: CreateReportInput): Promise<ReportMeta> {
  const evaluation = await evaluationFor(ctx, tenant, input);
  const packs = input.packs ?? evaluation.packs;
  const missing = packs.findIndex((p) => !evaluation.packs.includes(p));
  if (missing >= 0) {
    throw new AppError('validation_failed', `evaluation ${evaluation.id} did not evaluate pack "${packs[missing]}"`, [
      { pointer: `/packs/${missing}`, message: 'is not a pack of that evaluation' },
    ]);
  }
  const reportId = newId();
  const data = await gatherReportData(ctx.db, ctx.catalog, {
    tenant,
    evaluation,
    packs,
    reportId,
    generatedAt: ctx.now,
    signer: ctx.signer,
  });
  // rendered in a worker; signed here, where the key is (a few milliseconds)
  const unsigned = await ctx.work.render(
    {
      data,
      signature: { reason: `Posture compliance report ${reportId}`, name: ctx.signer.subject, signingTime: ctx.now },
    },
    // a fresh evaluation already took this request's place in the queue
    { admitted: input.evaluationId === undefined },
  );
  const pdf = signPdf(unsigned, ctx.signer);
  const row = {
    tenantId: tenant.id,
    id: reportId,
    evaluationId: evaluation.id,
    packs,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    size: pdf.length,
    signerFingerprint: ctx.signer.fingerprint,
    createdBy: ctx.principal.sub,
    createdAt: ctx.now,
    pdf,
  };
  await ctx.db.transaction(async (tx) => {
    await recordSigningCertificate(
      tx,
      { fingerprint: ctx.signer.fingerprint, certificatePem: ctx.signer.certificatePem, subject: ctx.signer.subject },
      ctx.now,
    );
    await insertReport(tx, row);
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: ctx.principal.sub,
      action: 'report.create',
      target: reportId,
      requestId: ctx.requestId,
      detail: { evaluationId: evaluation.id, packs, sha256: row.sha256 },
      at: ctx.now,
    });
  });
  const { pdf: _pdf, ...meta } = row;
  return meta;
}

async function evaluationFor(ctx: Ctx, tenant: TenantView, input: CreateReportInput): Promise<EvaluationRow> {
  if (input.evaluationId === undefined)
    return runEvaluation(ctx, { tenant, packs: input.packs, trigger: 'api', admitted: false });
  const e = await ctx.db.transaction((tx) => getEvaluation(tx, tenant.id, input.evaluationId!));
  // Another tenant's evaluation id is exactly as unknown as a missing one.
  if (!e)
    throw new AppError('evaluation_not_found', `no evaluation "${input.evaluationId}"`, [
      { pointer: '/evaluationId', message: 'no such evaluation' },
    ]);
  return e;
}

export function toReportDto(r: ReportMeta, tenantSlug: string) {
  return {
    id: r.id,
    evaluationId: r.evaluationId,
    packs: r.packs,
    sha256: r.sha256,
    size: r.size,
    signerFingerprint: r.signerFingerprint,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    pdf: `/v1/tenants/${tenantSlug}/reports/${r.id}/pdf`,
  };
}
