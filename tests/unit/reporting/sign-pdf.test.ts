import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { BYTE_RANGE_PLACEHOLDER } from '../../../src/reporting/byte-range.js';
import { addSignaturePlaceholder, signPdf } from '../../../src/reporting/sign-pdf.js';
import { loadSigner, type Signer } from '../../../src/reporting/signing-key.js';
import { verifyPdf } from '../../../src/reporting/verify-pdf.js';
import {
  byteRangeOf,
  removeTempDirs,
  renderPdf,
  runChecker,
  selfSignedSigner,
  SIGNED_AT,
  tempDir,
  trusting,
} from './fixtures.js';

let signer: Signer;
let unsigned: Buffer;
let signed: Buffer;

afterAll(removeTempDirs);

beforeAll(async () => {
  signer = selfSignedSigner();
  unsigned = await renderPdf();
  signed = signPdf(unsigned, signer);
});

describe('addSignaturePlaceholder', () => {
  it('writes a /Sig dictionary, an invisible locked widget on page 1 and an AcroForm with SigFlags 3', () => {
    const text = unsigned.toString('latin1');
    expect(text).toContain(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}\n/Contents <${'00'.repeat(16384)}>`);
    expect(text).toMatch(/\/Type \/Sig\n\/Filter \/Adobe\.PPKLite\n\/SubFilter \/ETSI\.CAdES\.detached/);
    expect(text).toContain('/M (D:20250304050607Z)');
    expect(text).toContain('/Reason (Posture compliance report)');
    expect(text).toMatch(
      /\/Subtype \/Widget\n\/FT \/Sig\n\/Rect \[0 0 0 0\]\n\/F 132\n\/P (\d+) 0 R\n\/T \(Signature1\)\n\/V \d+ 0 R/,
    );
    expect(text).toMatch(/\/SigFlags 3/);
    const firstPage = /(\d+) 0 obj\n<<\n\/Type \/Page\n[\s\S]*?>>\nendobj/.exec(text)![0];
    expect(firstPage).toMatch(/\/Annots \[\d+ 0 R\]/);
  });

  it('renders byte-identical PDFs for the same content', async () => {
    expect((await renderPdf()).equals(unsigned)).toBe(true);
  });

  it('refuses once the first page has been flushed, and on encrypted documents', () => {
    const flushed = new PDFDocument({ info: { CreationDate: SIGNED_AT } });
    flushed.addPage();
    expect(() => addSignaturePlaceholder(flushed, { reason: 'r', name: 'n', signingTime: SIGNED_AT })).toThrow(
      /bufferPages: true/,
    );
    const encrypted = new PDFDocument({ userPassword: 'x', pdfVersion: '1.7' });
    expect(() => addSignaturePlaceholder(encrypted, { reason: 'r', name: 'n', signingTime: SIGNED_AT })).toThrow(
      /encrypted/,
    );
  });

  it('joins an AcroForm the document already has', async () => {
    const pdf = await renderPdf({}, (doc) => {
      doc.font('Helvetica').initForm();
      doc.formText('comment', 50, 700, 200, 20);
    });
    const result = verifyPdf(signPdf(pdf, signer), trusting(signer));
    expect(result).toMatchObject({ valid: true, reasons: [] });
    expect(pdf.toString('latin1')).toMatch(/\/Fields \[\d+ 0 R \d+ 0 R\]/);
  });
});

describe('signPdf', () => {
  it('passes the independent checker (qpdf, pdfsig, openssl cms -verify -cades)', () => {
    const { status, output } = runChecker(signed, signer.certificatePem);
    expect(output).toContain('PASS: qpdf --check');
    expect(output).toContain('pdfsig: Signature Type: ETSI.CAdES.detached');
    expect(output).toContain('PASS: pdfsig: 1/1 signature(s) valid');
    expect(output).toContain('PASS: pdfsig: last signature covers the whole file');
    expect(output).toContain('PASS: sig 1: ByteRange reaches EOF');
    expect(output).toContain('PASS: sig 1: gap == /Contents');
    expect(output).toMatch(/PASS: sig 1: CMS is \d+ bytes, rest of \/Contents is zero padding/);
    expect(output).toContain('signed attrs: contentType messageDigest id-smime-aa-signingCertificateV2\n');
    expect(output).toContain('PASS: sig 1: openssl cms -verify -noverify: CMS Verification successful');
    expect(output).toContain('PASS: sig 1: openssl cms -verify -CAfile: CMS Verification successful');
    expect(output).toContain('PASS: sig 1: openssl cms -verify -cades: CAdES Verification successful');
    expect(output).toContain('PASS: sig 1: first embedded cert == ');
    expect(output).not.toMatch(/FAIL|INFO/);
    expect(status).toBe(0);
  });

  it('keeps the length and changes only the ByteRange and the start of /Contents', () => {
    expect(signed.length).toBe(unsigned.length);
    const [a, b, c, d] = byteRangeOf(signed);
    expect([a, c! + d!]).toEqual([0, signed.length]);
    expect(signed.toString('latin1', b!, c!)).toMatch(/^<[0-9a-f]+0{1000,}>$/);
    const diff = [...signed.keys()].filter((i) => signed[i] !== unsigned[i]);
    const byteRangeAt = signed.lastIndexOf('/ByteRange');
    expect(diff.every((i) => (i > byteRangeAt && i < b!) || (i > b! && i < c!))).toBe(true);
  });

  it('is deterministic: same bytes, key and certificate → same signed file', () => {
    expect(signPdf(unsigned, signer).equals(signed)).toBe(true);
  });

  it('refuses a PDF without a placeholder, an already signed one, and a CMS that does not fit', async () => {
    expect(() => signPdf(Buffer.from('%PDF-1.7\n%%EOF\n'), signer)).toThrow(/no unsigned signature placeholder/);
    expect(() => signPdf(signed, signer)).toThrow(/no unsigned signature placeholder/);
    const small = await renderPdf({ placeholderBytes: 512 });
    expect(() => signPdf(small, signer)).toThrow(/takes \d+ bytes but the placeholder holds 512/);
  });

  it('signs with a CA-issued certificate, chain embedded, checked against the CA', async () => {
    const dir = tempDir();
    const sh = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    sh(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/O=Test CA/CN=Test Root',
      '-days',
      '30',
    );
    sh(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      '/O=Acme MSP/CN=Acme report signer',
    );
    writeFileSync(
      join(dir, 'ext.cnf'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n',
    );
    sh(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      '30',
      '-extfile',
      'ext.cnf',
    );
    const chainPem = readFileSync(join(dir, 'ca.pem'), 'utf8') + readFileSync(join(dir, 'leaf.pem'), 'utf8');
    const issued = loadSigner({ mode: 'pem', key: join(dir, 'leaf.key'), cert: chainPem }, dir, new Date());
    expect(issued.chain).toHaveLength(2);
    const pdf = signPdf(await renderPdf(), issued);
    const { status, output } = runChecker(pdf, readFileSync(join(dir, 'ca.pem'), 'utf8'), {
      PIN_CERT: join(dir, 'leaf.pem'),
    });
    expect(output).toContain('PASS: sig 1: openssl cms -verify -cades: CAdES Verification successful');
    expect(status).toBe(0);
    expect(verifyPdf(pdf, trusting(issued))).toMatchObject({
      valid: true,
      signer: 'CN=Acme report signer, O=Acme MSP',
    });
  });
});
