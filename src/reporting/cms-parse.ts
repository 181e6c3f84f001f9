/**
 * Reads the CMS SignedData of a PDF signature without trusting it: every step checks the tag it
 * expects, and anything unexpected is a MalformedCms error (the verifier turns it into
 * `malformed_signature`). Only what verification needs is extracted; nothing is validated here.
 */
import forge from 'node-forge';
import { OID, fromDer, issuerAndSerial, seq, toDer } from './cms.js';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

export class MalformedCms extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedCms';
  }
}

export interface ParsedSignedData {
  /** DER, in their order */
  certificates: Buffer[];
  /** DER of the certificate the SignerInfo's issuerAndSerialNumber names */
  signerCertificate: Buffer;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signature: Buffer;
  /** the signed attributes re-tagged as SET: the bytes the signature is over */
  signedAttributes: Buffer;
  attributes: Asn1[];
  contentType?: string;
  messageDigest?: Buffer;
  /** the first ESSCertIDv2 of signing-certificate-v2, when the attribute is there */
  essCertId?: { hashAlgorithm: string; certHash: Buffer; issuerSerial?: Buffer };
}

const CTX = asn1.Class.CONTEXT_SPECIFIC;
const TAG0 = 0 as forge.asn1.Type;

const fail = (what: string): never => {
  throw new MalformedCms(what);
};

function kids(node: Asn1 | undefined, what: string, type = asn1.Type.SEQUENCE, cls = asn1.Class.UNIVERSAL): Asn1[] {
  if (!node || node.tagClass !== cls || node.type !== type || !node.constructed || !Array.isArray(node.value))
    fail(`${what}: not the expected constructed value`);
  return node!.value as Asn1[];
}

function bytes(node: Asn1 | undefined, what: string, type: forge.asn1.Type): Buffer {
  if (!node || node.tagClass !== asn1.Class.UNIVERSAL || node.type !== type || typeof node.value !== 'string')
    fail(`${what}: not a primitive of the expected type`);
  return Buffer.from(node!.value as string, 'binary');
}

const oidOf = (node: Asn1 | undefined, what: string): string =>
  asn1.derToOid(bytes(node, what, asn1.Type.OID).toString('binary'));
const algorithmOf = (node: Asn1 | undefined, what: string): string => oidOf(kids(node, what)[0], what);

/** Parses DER ContentInfo(SignedData) with exactly one SignerInfo; `der` must hold nothing else. */
export function parseSignedData(der: Buffer): ParsedSignedData {
  let root: Asn1;
  try {
    root = fromDer(der);
  } catch (err) {
    return fail(`not DER: ${(err as Error).message}`);
  }
  const [type, content] = kids(root, 'ContentInfo');
  if (oidOf(type, 'contentType') !== OID.signedData) fail('not SignedData');
  const signedData = kids(kids(content, 'content', TAG0, CTX)[0], 'SignedData');
  const [, , encap, ...rest] = signedData;
  const [encapType, eContent] = kids(encap, 'encapContentInfo');
  if (oidOf(encapType, 'eContentType') !== OID.data || eContent) fail('encapContentInfo is not detached id-data');
  const certificates = rest
    .filter((n) => n.tagClass === CTX && n.type === TAG0)
    .flatMap((n) => kids(n, 'certificates', TAG0, CTX));
  const signerInfos = kids(rest[rest.length - 1], 'signerInfos', asn1.Type.SET);
  if (signerInfos.length !== 1) fail(`${signerInfos.length} SignerInfos, expected one`);
  return parseSignerInfo(
    signerInfos[0]!,
    certificates.map((c) => toDer(c)),
  );
}

function parseSignerInfo(node: Asn1, certificates: Buffer[]): ParsedSignedData {
  const [, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature] = kids(node, 'SignerInfo');
  kids(sid, 'issuerAndSerialNumber'); // a subjectKeyIdentifier sid is not supported
  const sidDer = toDer(sid!);
  const signerCertificate =
    certificates.find((cert) => {
      const { issuer, serial } = issuerAndSerial(cert);
      return toDer(seq(issuer, serial)).equals(sidDer);
    }) ?? fail('the certificate the SignerInfo names is not embedded');
  const attributes = kids(signedAttrs, 'signedAttrs', TAG0, CTX);
  const signedAttributes = toDer(signedAttrs!);
  signedAttributes[0] = 0x31; // [0] IMPLICIT → SET OF, as signed (RFC 5652 5.4)
  return {
    certificates,
    signerCertificate,
    attributes,
    digestAlgorithm: algorithmOf(digestAlgorithm, 'digestAlgorithm'),
    signatureAlgorithm: algorithmOf(signatureAlgorithm, 'signatureAlgorithm'),
    signature: bytes(signature, 'signature', asn1.Type.OCTETSTRING),
    signedAttributes,
    ...readAttributes(attributes),
  };
}

function readAttributes(attributes: Asn1[]): Pick<ParsedSignedData, 'contentType' | 'messageDigest' | 'essCertId'> {
  const values = new Map<string, Asn1>();
  for (const attribute of attributes) {
    const [type, set] = kids(attribute, 'Attribute');
    const id = oidOf(type, 'attrType');
    const vals = kids(set, 'attrValues', asn1.Type.SET);
    if (values.has(id) || vals.length !== 1) fail(`attribute ${id} must occur once with one value`);
    values.set(id, vals[0]!);
  }
  const contentType = values.get(OID.contentType);
  const messageDigest = values.get(OID.messageDigest);
  const ess = values.get(OID.signingCertificateV2);
  return {
    contentType: contentType && oidOf(contentType, 'contentType'),
    messageDigest: messageDigest && bytes(messageDigest, 'messageDigest', asn1.Type.OCTETSTRING),
    essCertId: ess && readEssCertId(ess),
  };
}

/** ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, issuerSerial OPTIONAL } */
function readEssCertId(value: Asn1): NonNullable<ParsedSignedData['essCertId']> {
  const [certs] = kids(value, 'SigningCertificateV2');
  const fields = [...kids(kids(certs, 'certs')[0], 'ESSCertIDv2')];
  const hashAlgorithm =
    fields[0]?.type === asn1.Type.SEQUENCE ? algorithmOf(fields.shift(), 'hashAlgorithm') : OID.sha256;
  const certHash = bytes(fields[0], 'certHash', asn1.Type.OCTETSTRING);
  if (fields[1]) kids(fields[1], 'issuerSerial');
  return { hashAlgorithm, certHash, issuerSerial: fields[1] && toDer(fields[1]) };
}
