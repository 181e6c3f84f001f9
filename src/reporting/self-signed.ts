/**
 * The embedded default's report signer: an RSA-3072 key and a self-signed document-signing
 * certificate, created once in `<dataDir>/signing/` (key.pem mode 0600) and reused on every later
 * start, so that every report the installation signs names the same certificate.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import forge from 'node-forge';

/** Stable and free of the host name: the same text on every machine and after every restart. */
export const SELF_SIGNED_CN = 'Posture self-signed report signer (embedded default)';
export const SELF_SIGNED_YEARS = 10;
const KEY_FILE = 'key.pem';
const CERT_FILE = 'cert.pem';
const OID_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
/** id-kp-documentSigning (RFC 9336) */
const OID_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';

/**
 * Reads the pair in `dir`, creating it first when neither file exists. A half-present pair is an
 * error, never silently replaced: reports signed with the old key must stay attributable.
 */
export function loadOrCreateSelfSigned(dir: string, now: Date): { keyPem: string; certPem: string; source: string } {
  const keyPath = join(dir, KEY_FILE);
  const certPath = join(dir, CERT_FILE);
  const source = `the self-signed report certificate in ${dir}`;
  if (!existsSync(keyPath) && !existsSync(certPath)) createSelfSigned(dir, now);
  if (!existsSync(keyPath) || !existsSync(certPath)) {
    throw new Error(
      `${source}: ${existsSync(keyPath) ? CERT_FILE : KEY_FILE} is missing; restore it, or remove the directory to create a new certificate`,
    );
  }
  if ((statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600);
  return { keyPem: readFileSync(keyPath, 'utf8'), certPem: readFileSync(certPath, 'utf8'), source };
}

/**
 * Writes the pair into a fresh temporary directory and renames it into place, so a concurrent
 * start sees either no pair or a complete one; the loser of that race discards its own pair.
 */
function createSelfSigned(dir: string, now: Date): void {
  mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
  const tmp = mkdtempSync(join(dirname(dir), '.signing-'));
  try {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    writeFileSync(join(tmp, KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(join(tmp, CERT_FILE), selfSignedCertificatePem(privateKey, publicKey, now), { mode: 0o644 });
    try {
      renameSync(tmp, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * X.509 v3, CA:false, keyUsage digitalSignature + nonRepudiation, extKeyUsage emailProtection
 * (what NSS/poppler and Adobe look for in a signer) and id-kp-documentSigning. OpenSSL accepts
 * such a self-signed leaf as its own trust anchor (`openssl cms -verify -CAfile cert.pem`).
 * notBefore is an hour early so that a verifier whose clock lags ours still accepts it.
 */
export function selfSignedCertificatePem(privateKey: KeyObject, publicKey: KeyObject, now: Date): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, and no leading zero octet to strip
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 3600_000);
  cert.validity.notAfter = new Date(now);
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + SELF_SIGNED_YEARS);
  const name = [
    { name: 'organizationName', value: 'Posture' },
    { name: 'commonName', value: SELF_SIGNED_CN },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { id: '2.5.29.37', value: extKeyUsage([OID_EMAIL_PROTECTION, OID_DOCUMENT_SIGNING]) },
    { name: 'subjectKeyIdentifier' },
  ]);
  const signingKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  cert.sign(signingKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** forge names only the classic purposes, so the extension value is built here. */
function extKeyUsage(oids: string[]): forge.asn1.Asn1 {
  const { asn1 } = forge;
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    oids.map((oid) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())),
  );
}
