/**
 * Verifies a report the way an auditor's tools would, and more strictly: the newest signature must
 * cover the whole file, its CMS must verify, carry a matching ESS signing-certificate-v2, leave
 * only zero padding in /Contents, and be made with a certificate this service has used (the
 * `trusted` lookup, compared byte for byte — never the certificate the file brings along alone).
 * Any input gives a result, never an exception.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { lastByteRange, parseByteRange } from './byte-range.js';
import { OID, assembleSignedData, issuerSerial, sha256, toDer } from './cms.js';
import { parseSignedData, type ParsedSignedData } from './cms-parse.js';
import { describeCertificate, pemCertificates } from './signing-key.js';

export const VERIFY_REASONS = [
  'no_signature',
  'malformed_signature',
  'not_covering_whole_file',
  'digest_mismatch',
  'invalid_signature',
  'unknown_signer',
  'missing_signing_certificate_v2',
  'signing_certificate_mismatch',
  'padding_not_zero',
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

export interface VerifyResult {
  valid: boolean;
  reasons: VerifyReason[];
  /** SHA-256 (lower-case hex) of the embedded signer certificate, once it could be read */
  signerFingerprint?: string;
  /** its subject */
  signer?: string;
  /** ISO 8601, from the signature dictionary's /M */
  signedAt?: string;
  /** SHA-256 of the whole file: the id under which the service stored the report */
  sha256: string;
}

/** The certificates the service has signed with, by fingerprint. */
export type TrustedCertificates = (fingerprint: string) => { certificatePem: string } | undefined;

interface Located {
  ranges: [number, number, number, number];
  cms: Buffer;
  paddingZero: boolean;
  signedAt?: string;
}

/**
 * Checks the newest signature of `pdf`. `valid` holds only when no reason applies; then every
 * byte outside /Contents is as signed, and /Contents holds the one canonical encoding this service
 * writes (lower-case hex, then zeros), so a valid file's sha256 names the report that was stored.
 * Reasons come in the order of VERIFY_REASONS; an error thrown by `trusted` propagates (it is the
 * service's, not the input's).
 */
export function verifyPdf(pdf: Buffer, trusted: TrustedCertificates): VerifyResult {
  const fileHash = createHash('sha256').update(pdf).digest('hex');
  const located = locateSignature(pdf);
  if (located === 'none' || located === 'malformed') {
    return { valid: false, reasons: [located === 'none' ? 'no_signature' : 'malformed_signature'], sha256: fileHash };
  }
  const read = readCms(located.cms);
  if (!read) return { valid: false, reasons: ['malformed_signature'], signedAt: located.signedAt, sha256: fileHash };
  const { cms, signerFingerprint, signer } = read;
  const [a, b, c, d] = located.ranges;
  const found = new Set<VerifyReason>();
  if (a !== 0 || c + d !== pdf.length) found.add('not_covering_whole_file');
  const covered = createHash('sha256')
    .update(pdf.subarray(a, b))
    .update(pdf.subarray(c, c + d))
    .digest();
  if (!covered.equals(cms.messageDigest!)) found.add('digest_mismatch');
  if (!signatureVerifies(cms)) found.add('invalid_signature');
  if (!isTrusted(cms.signerCertificate, signerFingerprint, trusted)) found.add('unknown_signer');
  const ess = essReason(cms);
  if (ess) found.add(ess);
  if (!located.paddingZero) found.add('padding_not_zero');
  const reasons = VERIFY_REASONS.filter((r) => found.has(r));
  return {
    valid: reasons.length === 0,
    reasons,
    signerFingerprint,
    signer,
    signedAt: located.signedAt,
    sha256: fileHash,
  };
}

/** The last signature's ranges and CMS bytes, if its ByteRange and `<hex>` gap are well formed. */
function locateSignature(pdf: Buffer): Located | 'none' | 'malformed' {
  const byteRange = lastByteRange(pdf);
  if (byteRange === undefined) return 'none';
  const ranges = byteRange && parseByteRange(byteRange.text);
  if (!byteRange || !ranges) return 'malformed';
  const [a, b, c, d] = ranges;
  if (!(a <= b && b < c && c + d <= pdf.length)) return 'malformed';
  const gap = pdf.toString('latin1', b, c);
  const hex = /^<([0-9a-f]*)>$/.exec(gap)?.[1]; // lower case, as written: no two spellings of one signature
  const isContents = /\/Contents\s*$/.test(pdf.toString('latin1', Math.max(0, b - 32), b));
  if (hex === undefined || hex.length % 2 !== 0 || !isContents) return 'malformed';
  const contents = Buffer.from(hex, 'hex');
  const length = derLength(contents);
  if (length === undefined) return 'malformed';
  return {
    ranges,
    cms: contents.subarray(0, length),
    paddingZero: contents.subarray(length).every((byte) => byte === 0),
    signedAt: signingTime(pdf, byteRange.key, c),
  };
}

/** Length of the leading DER SEQUENCE (header included), if it fits in `bytes`. */
function derLength(bytes: Buffer): number | undefined {
  if (bytes.length < 2 || bytes[0] !== 0x30) return undefined;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first <= bytes.length ? 2 + first : undefined;
  const n = first & 0x7f;
  if (n < 1 || n > 4 || bytes.length < 2 + n) return undefined;
  const total = 2 + n + bytes.readUIntBE(2, n);
  return total <= bytes.length ? total : undefined;
}

/**
 * The CMS, if it is exactly what this service writes: SHA-256 and RSA, id-data with a
 * messageDigest, the signer certificate first and each certificate issued by the next, and the
 * canonical encoding of all that (see assembleSignedData). Anything else is malformed_signature.
 */
function readCms(der: Buffer): { cms: ParsedSignedData; signerFingerprint: string; signer: string } | undefined {
  try {
    const cms = parseSignedData(der);
    const supported =
      cms.digestAlgorithm === OID.sha256 &&
      cms.signatureAlgorithm === OID.rsaEncryption &&
      cms.contentType === OID.data &&
      cms.messageDigest !== undefined &&
      cms.certificates[0]!.equals(cms.signerCertificate) &&
      isChain(cms.certificates) &&
      assembleSignedData(cms.attributes, cms.signature, cms.certificates).equals(der);
    if (!supported) return undefined;
    const { fingerprint, subject } = describeCertificate(cms.signerCertificate);
    return { cms, signerFingerprint: fingerprint, signer: subject };
  } catch {
    return undefined; // hostile or foreign bytes: malformed_signature, whatever broke
  }
}

/** Each certificate names the next as its issuer and verifies with its key. */
function isChain(certificates: Buffer[]): boolean {
  const certs = certificates.map((der) => new X509Certificate(der));
  return certs.every(
    (cert, i) =>
      i === certs.length - 1 || (cert.issuer === certs[i + 1]!.subject && cert.verify(certs[i + 1]!.publicKey)),
  );
}

function signatureVerifies(cms: ParsedSignedData): boolean {
  try {
    const key = new X509Certificate(cms.signerCertificate).publicKey;
    return key.asymmetricKeyType === 'rsa' && verify('sha256', cms.signedAttributes, key, cms.signature);
  } catch {
    return false;
  }
}

function isTrusted(certificate: Buffer, fingerprint: string, trusted: TrustedCertificates): boolean {
  const known = trusted(fingerprint);
  return known !== undefined && pemCertificates(known.certificatePem)[0]?.equals(certificate) === true;
}

function essReason(cms: ParsedSignedData): VerifyReason | undefined {
  const ess = cms.essCertId;
  if (!ess) return 'missing_signing_certificate_v2';
  const matches =
    ess.hashAlgorithm === OID.sha256 &&
    ess.certHash.equals(sha256(cms.signerCertificate)) &&
    (ess.issuerSerial === undefined || ess.issuerSerial.equals(toDer(issuerSerial(cms.signerCertificate))));
  return matches ? undefined : 'signing_certificate_mismatch';
}

/**
 * /M of the signature dictionary, searched between the dictionary's `<<` and the end of its
 * object (our signer writes /M right after /Contents); undefined when absent or not a PDF date.
 */
function signingTime(pdf: Buffer, byteRangeKey: number, gapEnd: number): string | undefined {
  const from = Math.max(pdf.lastIndexOf('<<', byteRangeKey), byteRangeKey - 4096, 0);
  const endobj = pdf.indexOf('endobj', gapEnd);
  const text = pdf.toString('latin1', from, Math.min(endobj < 0 ? pdf.length : endobj, gapEnd + 4096));
  const m = /\/M\s*\(D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:Z|([+-])(\d\d)'?(\d\d)?'?)?\)/.exec(text);
  if (!m) return undefined;
  const [, y, mo = '01', day = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(day), Number(h), Number(mi), Number(s)) - offset * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
