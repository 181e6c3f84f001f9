import fc from 'fast-check';
import {
  attribute,
  buildSignedData,
  oid,
  octets,
  OID,
  padesAttributes,
  signingCertificateV2,
} from '../../../src/reporting/cms.js';
import { signPdf, signPdfWith } from '../../../src/reporting/sign-pdf.js';
import type { Signer } from '../../../src/reporting/signing-key.js';
import { verifyPdf, VERIFY_REASONS, type VerifyReason } from '../../../src/reporting/verify-pdf.js';
import {
  byteRangeOf,
  flipByte,
  removeTempDirs,
  renderPdf,
  runChecker,
  selfSignedSigner,
  trusting,
} from './fixtures.js';

let signer: Signer;
let other: Signer;
let unsigned: Buffer;
let signed: Buffer;

afterAll(removeTempDirs);

beforeAll(async () => {
  signer = selfSignedSigner();
  other = selfSignedSigner();
  unsigned = await renderPdf();
  signed = signPdf(unsigned, signer);
});

/** Where the DER CMS ends inside /Contents (as a file offset of its last hex digit). */
function cmsLastHexDigit(pdf: Buffer): number {
  const [, b] = byteRangeOf(pdf);
  const hex = pdf.toString('latin1', b! + 1, b! + 9);
  const length = 4 + parseInt(hex.slice(4, 8), 16); // 30 82 LL LL
  return b! + 1 + length * 2 - 1;
}

/** A byte in the middle of the second signed range: the pages. */
function contentOffset(pdf: Buffer): number {
  const [, , c, d] = byteRangeOf(pdf);
  return c! + Math.floor(d! / 2);
}

/** A signature over the right bytes with the given signed attributes. */
const signWithAttributes = (attrs: (digest: Buffer) => ReturnType<typeof padesAttributes>) =>
  signPdfWith(unsigned, (digest) => buildSignedData(attrs(digest), signer));

describe('verifyPdf', () => {
  it('accepts the signed report and names signer, fingerprint, time and file hash', () => {
    const result = verifyPdf(signed, trusting(signer));
    expect(result).toEqual({
      valid: true,
      reasons: [],
      signerFingerprint: signer.fingerprint,
      signer: 'CN=Posture self-signed report signer (embedded default), O=Posture',
      signedAt: '2025-03-04T05:06:07.000Z',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(signer.subject).toBe(result.signer);
  });

  it('says no_signature for an unsigned PDF and malformed_signature for a bare placeholder', async () => {
    expect(verifyPdf(await renderPdf(null), trusting(signer))).toMatchObject({
      valid: false,
      reasons: ['no_signature'],
    });
    expect(verifyPdf(unsigned, trusting(signer))).toMatchObject({ valid: false, reasons: ['malformed_signature'] });
  });

  const tampered: [string, () => Buffer, VerifyReason][] = [
    ['one byte of page content', () => flipByte(signed, contentOffset(signed)), 'digest_mismatch'],
    [
      'the ByteRange (start 0 → 1)',
      () => flipByte(signed, signed.indexOf('[0 ', signed.lastIndexOf('/ByteRange')) + 1),
      'not_covering_whole_file',
    ],
    [
      'one byte of the RSA signature inside the CMS',
      () => flipByte(signed, cmsLastHexDigit(signed)),
      'invalid_signature',
    ],
    [
      'one byte of the zero padding after the CMS',
      () => flipByte(signed, cmsLastHexDigit(signed) + 9),
      'padding_not_zero',
    ],
    [
      'bytes appended after %%EOF',
      () => Buffer.concat([signed, Buffer.from('\n% appended\n')]),
      'not_covering_whole_file',
    ],
    ['a re-signature with another self-signed key', () => signPdf(unsigned, other), 'unknown_signer'],
    [
      'an ESS signing-certificate-v2 attribute left out',
      () => signWithAttributes((d) => padesAttributes(d, signer.certificate).slice(0, 2)),
      'missing_signing_certificate_v2',
    ],
    [
      'an ESS attribute naming another certificate',
      () =>
        signWithAttributes((d) => [
          ...padesAttributes(d, signer.certificate).slice(0, 2),
          attribute(OID.signingCertificateV2, signingCertificateV2(other.certificate)),
        ]),
      'signing_certificate_mismatch',
    ],
  ];

  it.each(tampered)('rejects %s, and so does the independent checker', (_, tamper, reason) => {
    const pdf = tamper();
    const result = verifyPdf(pdf, trusting(signer));
    expect(result.valid).toBe(false);
    expect(result.reasons).toContain(reason);
    const { status, output } = runChecker(pdf, signer.certificatePem);
    expect({ status, failed: /FAIL|INFO/.test(output) }).toEqual({ status: 1, failed: true });
  });

  it('reports only the reason that applies for each tampering', () => {
    const only = tampered.map(([what, tamper]) => [what, verifyPdf(tamper(), trusting(signer)).reasons]);
    expect(only).toEqual([
      ['one byte of page content', ['digest_mismatch']],
      ['the ByteRange (start 0 → 1)', ['not_covering_whole_file', 'digest_mismatch']],
      ['one byte of the RSA signature inside the CMS', ['invalid_signature']],
      ['one byte of the zero padding after the CMS', ['padding_not_zero']],
      ['bytes appended after %%EOF', ['not_covering_whole_file']],
      ['a re-signature with another self-signed key', ['unknown_signer']],
      ['an ESS signing-certificate-v2 attribute left out', ['missing_signing_certificate_v2']],
      ['an ESS attribute naming another certificate', ['signing_certificate_mismatch']],
    ]);
  });

  it('trusts only the lookup, and only the very certificate it returns', () => {
    expect(verifyPdf(signed, () => undefined).reasons).toEqual(['unknown_signer']);
    const sameFingerprintOtherCert = () => ({ certificatePem: other.certificatePem });
    expect(verifyPdf(signed, sameFingerprintOtherCert).reasons).toEqual(['unknown_signer']);
    expect(verifyPdf(signPdf(unsigned, other), trusting(signer, other)).valid).toBe(true);
  });

  it('rejects a signature whose attributes claim another content type, or lack messageDigest', () => {
    const wrongType = signWithAttributes((d) => [
      attribute(OID.contentType, oid(OID.signedData)),
      ...padesAttributes(d, signer.certificate).slice(1),
    ]);
    expect(verifyPdf(wrongType, trusting(signer)).reasons).toEqual(['malformed_signature']);
    const noDigest = signWithAttributes((d) => padesAttributes(d, signer.certificate).filter((_, i) => i !== 1));
    expect(verifyPdf(noDigest, trusting(signer)).reasons).toEqual(['malformed_signature']);
    const doubled = signWithAttributes((d) => [
      ...padesAttributes(d, signer.certificate),
      attribute(OID.messageDigest, octets(d)),
    ]);
    expect(verifyPdf(doubled, trusting(signer)).reasons).toEqual(['malformed_signature']);
  });

  it('never throws on hostile bytes in /Contents: malformed_signature', () => {
    const [, b, c] = byteRangeOf(signed);
    const room = (c! - b! - 2) / 2;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.boolean(), (junk, sequence) => {
        const cms = Buffer.from(junk);
        if (sequence && cms.length >= 4) cms.set([0x30, 0x82, (cms.length - 4) >> 8, (cms.length - 4) & 0xff]);
        const hex = Buffer.concat([cms, Buffer.alloc(room - cms.length)]).toString('hex');
        const pdf = Buffer.from(signed);
        pdf.write(hex, b! + 1, 'latin1');
        const result = verifyPdf(pdf, trusting(signer));
        expect(result.valid).toBe(false);
        expect(result.reasons).toEqual(['malformed_signature']);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and never accepts a changed byte anywhere in the file, the CMS included', () => {
    const [, b, c] = byteRangeOf(signed);
    const where = fc.oneof(
      fc.integer({ min: b! + 1, max: cmsLastHexDigit(signed) }), // the CMS hex
      fc.integer({ min: c!, max: signed.length - 1 }), // the pages, xref and trailer
      fc.nat(signed.length - 1),
    );
    fc.assert(
      fc.property(where, fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const pdf = Buffer.from(signed);
        pdf[at] = pdf[at]! ^ xor;
        const result = verifyPdf(pdf, trusting(signer));
        expect(result.valid).toBe(false);
        expect(result.reasons.length).toBeGreaterThan(0);
        expect(result.reasons.every((r) => (VERIFY_REASONS as readonly string[]).includes(r))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses the unsigned parts of the CMS changed, and upper-case hex: one spelling per signature', () => {
    const [, b] = byteRangeOf(signed);
    const version = signed.indexOf('020101', b!, 'latin1'); // SignedData version 1
    const changedVersion = Buffer.from(signed);
    changedVersion.write('3', version + 5, 'latin1');
    expect(verifyPdf(changedVersion, trusting(signer)).reasons).toEqual(['malformed_signature']);
    const upper = Buffer.from(signed);
    upper.write(signed.toString('latin1', b! + 1, b! + 200).toUpperCase(), b! + 1, 'latin1');
    expect(verifyPdf(upper, trusting(signer)).reasons).toEqual(['malformed_signature']);
  });

  it('handles garbage: empty input, a bare /ByteRange, absurd ranges', () => {
    const garbage = [
      '',
      '/ByteRange',
      '/ByteRange [0 1 2]',
      '/ByteRange [0 5 3 1]',
      '/ByteRange [0 99999999999 99999999999 5] /Contents <>',
    ];
    const reasons = garbage.map((text) => verifyPdf(Buffer.from(text), trusting(signer)).reasons);
    expect(reasons).toEqual([
      ['no_signature'],
      ['malformed_signature'],
      ['malformed_signature'],
      ['malformed_signature'],
      ['malformed_signature'],
    ]);
  });
});
