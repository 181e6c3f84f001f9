/**
 * PAdES-B-B signing of a pdfkit document, in two steps: a placeholder signature dictionary is
 * written into the document before `doc.end()`, then the finished bytes are signed in place. The
 * signed file has exactly the length of the unsigned one; its ByteRange covers every byte but the
 * `<hex>` of /Contents, so any later change or appended update is visible to a verifier.
 */
/// <reference types="pdfkit" />
import { createHash } from 'node:crypto';
import { BYTE_RANGE_PLACEHOLDER, formatByteRange, lastByteRange } from './byte-range.js';
import { buildSignedData, padesAttributes } from './cms.js';
import type { Signer } from './signing-key.js';

export interface SignaturePlaceholderOptions {
  reason: string;
  name: string;
  location?: string;
  contactInfo?: string;
  /** written as /M (UTC): the claimed signing time, PAdES keeps it out of the CMS */
  signingTime: Date;
  /** room for the DER CMS; the hex in /Contents is twice as long */
  placeholderBytes?: number;
}

export const DEFAULT_PLACEHOLDER_BYTES = 16384;

interface PdfRef {
  data: Record<string, unknown>;
  end(): void;
}
type AcroForm = PdfRef & { data: { Fields: PdfRef[] } };
/** The parts of pdfkit's document object that its typings leave out. */
interface PdfKitInternals {
  ref(data: object): PdfRef;
  _root: { data: { AcroForm?: AcroForm } };
  _pageBuffer: { dictionary: PdfRef; annotations: PdfRef[] }[];
  _acroform?: { fonts: Record<string, unknown>; defaultFont: string };
  _font?: { name: string };
  _security?: unknown;
}

/**
 * Adds an invisible signature field on the first page whose value is a /Sig dictionary with a
 * fixed-width /ByteRange placeholder and a zero-filled /Contents. Call it before `doc.end()`
 * while the first page is still buffered: either right after the document is created, or with
 * `bufferPages: true`. Key order matters: /ByteRange then /Contents come before any text, so no
 * /Reason or /Name can imitate them.
 */
export function addSignaturePlaceholder(doc: PDFKit.PDFDocument, opts: SignaturePlaceholderOptions): void {
  const pdf = doc as unknown as PdfKitInternals;
  if (pdf._security) throw new Error('cannot sign an encrypted pdfkit document: its /Contents would be encrypted too');
  const page = doc.bufferedPageRange().start === 0 ? pdf._pageBuffer[0] : undefined;
  if (!page)
    throw new Error(
      'the first page is no longer buffered: add the signature placeholder earlier, or create the document with bufferPages: true',
    );
  // pdfkit writes a JS string as a /Name ('**********' → /**********, see BYTE_RANGE_PLACEHOLDER),
  // a String object as a (string), a Buffer as <hex>, a Date as (D:…Z); it skips undefined values.
  const signature = pdf.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: [0, STARS, STARS, STARS],
    Contents: Buffer.alloc(opts.placeholderBytes ?? DEFAULT_PLACEHOLDER_BYTES),
    M: opts.signingTime,
    Reason: pdfString(opts.reason),
    Name: pdfString(opts.name),
    Location: pdfString(opts.location),
    ContactInfo: pdfString(opts.contactInfo),
  });
  signature.end();
  const widget = pdf.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    F: 132, // print + locked
    P: page.dictionary,
    T: pdfString('Signature1'),
    V: signature,
  });
  widget.end();
  page.annotations.push(widget);
  addToAcroForm(pdf, widget);
}

function addToAcroForm(pdf: PdfKitInternals, widget: PdfRef): void {
  const form = pdf._root.data.AcroForm;
  if (form) {
    form.data.Fields.push(widget);
    form.data.SigFlags = 3; // SignaturesExist | AppendOnly
    return;
  }
  // doc.end() runs pdfkit's endAcroForm(), which needs its form state and a /DR font dictionary.
  pdf._acroform ??= { fonts: {}, defaultFont: pdf._font?.name ?? 'Helvetica' };
  pdf._root.data.AcroForm = pdf.ref({ Fields: [widget], SigFlags: 3, DR: { Font: {} } }) as AcroForm;
}

const STARS = '**********';
/** A String object is how pdfkit tells a PDF (string) from a /Name; typed as string for its dictionaries. */
const pdfString = (s: string | undefined): string | undefined =>
  s === undefined ? undefined : (new String(s) as string);

/**
 * Signs the placeholder of a finished PDF with `signer`: deterministic (the same bytes, key and
 * certificate give the same output, RSA PKCS#1 v1.5 has no randomness).
 */
export function signPdf(pdf: Buffer, signer: Signer): Buffer {
  return signPdfWith(pdf, (digest) => buildSignedData(padesAttributes(digest, signer.certificate), signer));
}

/**
 * The in-place part of signing with any CMS producer (`digest` is the SHA-256 of the covered
 * bytes): fills in the last /ByteRange placeholder, then writes the CMS at the start of its
 * /Contents, leaving the rest of the zero padding as it is. Throws when the CMS does not fit.
 */
export function signPdfWith(pdf: Buffer, buildCms: (digest: Buffer) => Buffer): Buffer {
  const { byteRange, contentsStart, contentsEnd } = findPlaceholder(pdf);
  const out = Buffer.from(pdf);
  const ranges = [0, contentsStart, contentsEnd, pdf.length - contentsEnd] as const;
  out.write(formatByteRange(ranges, byteRange.end - byteRange.start), byteRange.start, 'latin1');
  const digest = createHash('sha256').update(out.subarray(0, contentsStart)).update(out.subarray(contentsEnd)).digest();
  const cms = buildCms(digest);
  const room = (contentsEnd - contentsStart - 2) / 2;
  if (cms.length > room) {
    throw new Error(
      `the CMS signature takes ${cms.length} bytes but the placeholder holds ${room}: raise placeholderBytes`,
    );
  }
  out.write(cms.toString('hex'), contentsStart + 1, 'latin1');
  return out;
}

/** The unsigned placeholder: the last /ByteRange, then its /Contents `<00…00>`. */
function findPlaceholder(pdf: Buffer): {
  byteRange: { start: number; end: number };
  contentsStart: number;
  contentsEnd: number;
} {
  const byteRange = lastByteRange(pdf);
  if (!byteRange || byteRange.text !== BYTE_RANGE_PLACEHOLDER) {
    throw new Error(
      'no unsigned signature placeholder in this PDF (call addSignaturePlaceholder before doc.end(); already signed?)',
    );
  }
  const head = /^\s*\/Contents\s*</.exec(pdf.toString('latin1', byteRange.end, byteRange.end + 64));
  const contentsStart = head ? byteRange.end + head[0].length - 1 : -1;
  const contentsEnd = head ? pdf.indexOf('>', contentsStart) + 1 : 0;
  const zeros =
    contentsEnd > contentsStart + 1 && /^0+$/.test(pdf.toString('latin1', contentsStart + 1, contentsEnd - 1));
  if (!zeros) throw new Error('the signature placeholder has no zero-filled /Contents right after its /ByteRange');
  return { byteRange, contentsStart, contentsEnd };
}
