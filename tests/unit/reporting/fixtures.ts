/** Shared by the reporting tests: a deterministic pdfkit document, signers, and the independent checker. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { addSignaturePlaceholder, type SignaturePlaceholderOptions } from '../../../src/reporting/sign-pdf.js';
import { loadSigner, type Signer } from '../../../src/reporting/signing-key.js';
import type { TrustedCertificates } from '../../../src/reporting/verify-pdf.js';

/** The shell script an auditor would run: poppler, qpdf and OpenSSL only, none of our code. */
/** The independent checker (pdfsig, qpdf, OpenSSL only), kept in the repo next to the tests. */
export const CHECKER =
  process.env.POSTURE_PDF_CHECKER ?? join(import.meta.dirname, '..', '..', 'tools', 'verify-signed-pdf.sh');
export const SIGNED_AT = new Date('2025-03-04T05:06:07Z');
const CREATED = new Date('2025-03-04T05:00:00Z');

const created: string[] = [];

/** A fresh directory under the OS temp dir; removeTempDirs() (in afterAll) deletes them all. */
export function tempDir(prefix = 'posture-sign-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh self-signed signer (RSA-3072, ~0.3 s) in its own data dir. */
export function selfSignedSigner(now = new Date()): Signer {
  return loadSigner({ mode: 'self-signed' }, tempDir('posture-data-'), now);
}

export const trusting =
  (...signers: Signer[]): TrustedCertificates =>
  (fingerprint) =>
    signers.find((s) => s.fingerprint === fingerprint);

/**
 * A three-page PDF with a signature placeholder. Deterministic: a fixed CreationDate makes
 * pdfkit's trailer /ID (an MD5 of the info dictionary) fixed too, and the standard fonts embed nothing.
 */
export async function renderPdf(
  placeholder: Partial<SignaturePlaceholderOptions> | null = {},
  build: (doc: PDFKit.PDFDocument) => void = () => {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    pdfVersion: '1.7',
    bufferPages: true,
    info: { CreationDate: CREATED, Title: 'Posture test report' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  build(doc);
  for (const page of [1, 2, 3]) {
    if (page > 1) doc.addPage();
    doc
      .fontSize(14)
      .text(`Posture compliance report — page ${page}`)
      .moveDown()
      .fontSize(10)
      .text('lorem ipsum '.repeat(200));
  }
  if (placeholder) {
    addSignaturePlaceholder(doc, {
      reason: 'Posture compliance report',
      name: 'Posture',
      location: 'test',
      signingTime: SIGNED_AT,
      ...placeholder,
    });
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

export interface CheckerRun {
  status: number | null;
  output: string;
}

/** Runs the checker with REQUIRE_CADES=1 on `pdf`, trusting `anchorPem`. */
export function runChecker(pdf: Buffer, anchorPem: string, env: Record<string, string> = {}): CheckerRun {
  if (!existsSync(CHECKER)) throw new Error(`the PDF signature checker is not at ${CHECKER} (set POSTURE_PDF_CHECKER)`);
  const dir = mkdtempSync(join(tmpdir(), 'posture-check-'));
  try {
    writeFileSync(join(dir, 'signed.pdf'), pdf);
    writeFileSync(join(dir, 'cert.pem'), anchorPem);
    const run = spawnSync('bash', [CHECKER, join(dir, 'signed.pdf'), join(dir, 'cert.pem')], {
      env: { ...process.env, REQUIRE_CADES: '1', ...env },
      encoding: 'utf8',
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces the byte at `offset` with another one of the same kind (a hex digit by a hex digit). */
export function flipByte(pdf: Buffer, offset: number): Buffer {
  const out = Buffer.from(pdf);
  const ch = String.fromCharCode(out[offset]!);
  out[offset] = /[0-9a-f]/i.test(ch) ? (ch === '0' ? '1' : '0').charCodeAt(0) : out[offset]! ^ 0x01;
  return out;
}

/** [a, b, c, d] of the last /ByteRange in a signed file. */
export function byteRangeOf(pdf: Buffer): number[] {
  const text = pdf.toString('latin1');
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  let last: RegExpExecArray | null = null;
  for (let r = m.exec(text); r; r = m.exec(text)) last = r;
  if (!last) throw new Error('no /ByteRange');
  return last.slice(1).map(Number);
}
