/**
 * One measured report, in its own process (the parent, report.mjs, runs it several times):
 * `largeReportData(n)` from the test fixture, then renderReport with the signature placeholder
 * and signPdf with a self-signed signer (src/reporting/signing-key.ts, made before the clock
 * starts) — the steps createReport runs. Prints wall times and the process's peak RSS
 * (process.resourceUsage().maxRSS) as JSON.
 *
 *   node bench/parts/report-child.mjs --findings 10000 --signer-dir DIR
 */
import { createHash } from 'node:crypto';
import { dist, ms, now, options } from '../lib/common.mjs';
import { loadReportFixture } from '../lib/report-data.mjs';

const opts = options();
const n = Number(opts.findings ?? 10000);
const { renderReport } = await dist('reporting/render-report.js');
const { addSignaturePlaceholder, signPdf } = await dist('reporting/sign-pdf.js');
const { loadSigner } = await dist('reporting/signing-key.js');
const { largeReportData } = await loadReportFixture();

const signer = loadSigner({ mode: 'self-signed' }, opts.signerDir, new Date());
const data = largeReportData(n);
const rssBeforeKB = process.resourceUsage().maxRSS;
const signingTime = data.generatedAt; // fixed: the same data gives the same bytes (checked across runs)
const t0 = now();
const unsigned = await renderReport(data, {
  beforeEnd: (doc) =>
    addSignaturePlaceholder(doc, {
      reason: `Posture compliance report ${data.reportId}`,
      name: signer.subject,
      signingTime,
    }),
});
const renderMs = ms(t0);
const t1 = now();
const pdf = signPdf(unsigned, signer);
const signMs = ms(t1);
const totalMs = ms(t0);
const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
process.stdout.write(
  JSON.stringify({
    findings: data.findings.length,
    totalMs,
    renderMs,
    signMs,
    pdfBytes: pdf.length,
    pages,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    maxRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
    maxRssBeforeRenderMB: (rssBeforeKB * 1024) / 1e6,
  }) + '\n',
);
