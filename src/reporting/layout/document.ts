/**
 * The pdfkit document of a report, made deterministic: pdfkit stamps the current time as
 * CreationDate and derives the trailer /ID from it unless told otherwise, so both come from the
 * data (generatedAt, and a hash of the report id). The embedded font subsets depend only on the
 * glyphs drawn, in the order drawn, and their names on the document's font ids; zlib is
 * deterministic for one Node version: same data, same bytes.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import type { ReportData } from '../report-data.js';
import { registerFonts } from './fonts.js';
import { tunePdfKit } from './pdfkit-tuning.js';
import { FONT, PAGE } from './theme.js';
import { formatDateTime } from './text.js';

/** pdfkit keeps the trailer /ID in this field; its typings leave it out. */
interface WithFileId {
  _id: Uint8Array;
}

/** The 16-byte file identifier of a report: the same report id gives the same /ID. */
export function fileId(reportId: string): Buffer {
  return createHash('sha256').update(`posture-report\n${reportId}`).digest().subarray(0, 16);
}

/** Title, subject and keywords of the document information dictionary. */
export function documentInfo(data: ReportData): PDFKit.DocumentInfo {
  const packs = data.evaluation.packs;
  return {
    Title: `Compliance report: ${data.tenant.name}`,
    Author: 'Posture',
    Subject: `${packs.map((p) => `${p.title} (${p.version})`).join('; ')}. Evaluation ${data.evaluation.id} as of ${formatDateTime(data.evaluation.asOf)}. Report ${data.reportId}.`,
    Keywords: ['compliance', 'audit', data.tenant.slug, ...packs.map((p) => p.id)].join(', '),
    Creator: 'Posture',
    Producer: 'Posture report renderer (pdfkit)',
    CreationDate: data.generatedAt,
    ModDate: data.generatedAt,
  };
}

/** A new A4 report document with every page kept in memory until the end (for "Page x of y"). */
export function createDocument(data: ReportData): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: PAGE.margins,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: documentInfo(data),
  });
  (doc as unknown as WithFileId)._id = fileId(data.reportId);
  // pdfkit opens Helvetica as its default before fonts can be registered; it is never drawn
  // with, so never embedded: every text is set in the registered fonts.
  registerFonts(doc);
  doc.font(FONT.regular);
  tunePdfKit(doc);
  return doc;
}

/** The bytes pdfkit writes, once `doc.end()` has been called. */
export function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
