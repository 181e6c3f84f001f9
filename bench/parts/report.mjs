/**
 * Part d: render and sign a 10,000-finding report, each run in a fresh node process
 * (report-child.mjs): wall time of render + sign, and the process's peak RSS.
 *
 *   node bench/parts/report.mjs [--findings 10000] [--runs 5] [--out f.json]
 */
import { join } from 'node:path';
import { answer, BENCH_DIR, log, options, summary } from '../lib/common.mjs';
import { capture, removeDir, tempDir } from '../lib/proc.mjs';

const opts = options();
const runs = Number(opts.runs ?? 5);
const findings = Number(opts.findings ?? 10000);
const signerDir = tempDir('posture-bench-signer-');
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const prof = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
    const out = await capture(process.execPath, [
      ...prof,
      join(BENCH_DIR, 'parts/report-child.mjs'),
      '--findings',
      String(findings),
      '--signer-dir',
      signerDir,
    ]);
    const r = JSON.parse(out.split('\n').pop());
    results.push(r);
    log(
      `report: run ${i + 1}/${runs}: ${r.findings} findings, ${r.pages} pages, ${(r.pdfBytes / 1e6).toFixed(1)} MB: render ${r.renderMs.toFixed(0)} ms + sign ${r.signMs.toFixed(0)} ms, peak RSS ${r.maxRssMB.toFixed(0)} MB`,
    );
  }
} finally {
  removeDir(signerDir);
}
answer(opts, {
  findings,
  pages: results[0].pages,
  pdfBytes: results[0].pdfBytes,
  deterministic: new Set(results.map((r) => r.sha256)).size === 1,
  seconds: summary(
    results.map((r) => r.totalMs / 1000),
    2,
  ),
  renderSeconds: summary(
    results.map((r) => r.renderMs / 1000),
    2,
  ),
  signSeconds: summary(
    results.map((r) => r.signMs / 1000),
    3,
  ),
  maxRssMB: summary(
    results.map((r) => r.maxRssMB),
    0,
  ),
  maxRssBeforeRenderMB: summary(
    results.map((r) => r.maxRssBeforeRenderMB),
    0,
  ),
});
