/**
 * The CMS SignedData of a PAdES-B-B signature (ETSI EN 319 142-1, RFC 5652), built with
 * node-forge's ASN.1 and signed with Node's crypto: detached content, one SignerInfo, signed
 * attributes contentType, messageDigest and ESS signing-certificate-v2 (RFC 5035), and no
 * signingTime (PAdES puts the claimed time in the signature dictionary's /M). forge's
 * pkcs7.addSigner cannot add signing-certificate-v2, hence the hand-built structure.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
} as const;

/** What signing needs: the key, and the certificates to embed with the signer's first. */
export interface CmsSigner {
  privateKey: KeyObject;
  chain: Buffer[];
}

export const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();
export const toDer = (node: Asn1): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'binary');

/**
 * Strict DER parse that keeps BIT STRINGs opaque, so that re-encoding a parsed certificate gives
 * back its exact bytes. `maxDepth` bounds the recursion on hostile input.
 */
export function fromDer(bytes: Buffer): Asn1 {
  const options = { strict: true, parseAllBytes: true, decodeBitStrings: false, maxDepth: 64 };
  return (asn1.fromDer as unknown as (b: string, o: object) => Asn1)(bytes.toString('binary'), options);
}

const U = asn1.Class.UNIVERSAL;
export const seq = (...items: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SEQUENCE, true, items);
export const setOf = (items: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SET, true, items);
export const oid = (id: string): Asn1 => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
export const octets = (b: Buffer): Asn1 => asn1.create(U, asn1.Type.OCTETSTRING, false, b.toString('binary'));
export const integer = (n: number): Asn1 => asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = (): Asn1 => asn1.create(U, asn1.Type.NULL, false, '');
/** A constructed context-specific tag: [n] EXPLICIT x, or [n] IMPLICIT SET/SEQUENCE OF. */
export const tagged = (n: number, items: Asn1[]): Asn1 =>
  asn1.create(asn1.Class.CONTEXT_SPECIFIC, n as forge.asn1.Type, true, items);
/** RFC 5754: SHA-2 AlgorithmIdentifiers omit the parameters. */
const sha256Algorithm = (): Asn1 => seq(oid(OID.sha256));

export const attribute = (type: string, value: Asn1): Asn1 => seq(oid(type), setOf([value]));

/** The issuer Name and serialNumber INTEGER of a DER certificate, as they are encoded there. */
export function issuerAndSerial(certificate: Buffer): { issuer: Asn1; serial: Asn1 } {
  const tbs = (fromDer(certificate).value as Asn1[])[0]!.value as Asn1[];
  const skip = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] version
  return { serial: tbs[skip]!, issuer: tbs[skip + 2]! };
}

/**
 * SigningCertificateV2 naming one certificate: ESSCertIDv2 with hashAlgorithm left out (it
 * DEFAULTs to SHA-256, and DER omits defaults), certHash and issuerSerial.
 */
export function signingCertificateV2(certificate: Buffer): Asn1 {
  return seq(seq(seq(octets(sha256(certificate)), issuerSerial(certificate))));
}

/** ESS IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber } of a DER certificate. */
export function issuerSerial(certificate: Buffer): Asn1 {
  const { issuer, serial } = issuerAndSerial(certificate);
  return seq(seq(tagged(4, [issuer])), serial); // directoryName [4], explicit: Name is a CHOICE
}

/** The PAdES-B-B signed attributes for `digest` (SHA-256 of the covered bytes). */
export function padesAttributes(digest: Buffer, certificate: Buffer): Asn1[] {
  return [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(digest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(certificate)),
  ];
}

/** A certificate as a node that re-encodes to exactly its bytes (a BER one would not). */
function embeddable(certificate: Buffer): Asn1 {
  const node = fromDer(certificate);
  if (!toDer(node).equals(certificate)) throw new Error('a certificate of the signing chain is not DER-encoded');
  return node;
}

/** DER SET OF: the elements in the order of their encodings (X.690 11.6). */
export function sortedSetOf(items: Asn1[]): Asn1[] {
  return items
    .map((node) => ({ node, der: toDer(node) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map(({ node }) => node);
}

/**
 * ContentInfo(SignedData) over `attributes`, signed RSA PKCS#1 v1.5 / SHA-256. The signature
 * covers the DER of the attributes as a SET (tag 0x31), not as the [0] they are stored under.
 * Deterministic: the same attributes, key and chain give the same bytes.
 */
export function buildSignedData(attributes: Asn1[], signer: CmsSigner): Buffer {
  const signature = sign('sha256', toDer(setOf(sortedSetOf(attributes))), signer.privateKey);
  return assembleSignedData(attributes, signature, signer.chain);
}

/**
 * The one encoding this service writes for these parts. The verifier rebuilds it from what it
 * parsed and refuses any other, so that no unsigned byte of the CMS (a version, a parameter, an
 * unsigned attribute) can change while the signature stays valid.
 */
export function assembleSignedData(attributes: Asn1[], signature: Buffer, chain: Buffer[]): Buffer {
  const { issuer, serial } = issuerAndSerial(chain[0]!);
  const signerInfo = seq(
    integer(1),
    seq(issuer, serial),
    sha256Algorithm(),
    tagged(0, sortedSetOf(attributes)),
    seq(oid(OID.rsaEncryption), nul()),
    octets(signature),
  );
  const signedData = seq(
    integer(1),
    setOf([sha256Algorithm()]),
    seq(oid(OID.data)), // encapContentInfo without eContent: detached
    tagged(0, chain.map(embeddable)), // signer first: verifiers pin the first
    setOf([signerInfo]),
  );
  return toDer(seq(oid(OID.signedData), tagged(0, [signedData])));
}
