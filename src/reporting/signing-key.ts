/**
 * The key and certificate that sign reports, from the configured PKCS#12 file, from PEM key and
 * certificate(s), or — the embedded default — from the self-signed pair kept in the data dir.
 * Whatever the source, a Signer is only handed out after the same checks: an RSA key of at least
 * 2048 bits, a certificate whose public key is that key's, and a certificate valid at `now`.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import type { SigningConfig } from '../config/load-config.js';
import { loadOrCreateSelfSigned } from './self-signed.js';

export interface Signer {
  privateKey: KeyObject;
  /** DER of the signer certificate (=== chain[0]) */
  certificate: Buffer;
  /** DER certificates: the signer, then its issuer, that one's issuer… (as configured, reordered) */
  chain: Buffer[];
  certificatePem: string;
  /** SHA-256 of the DER signer certificate, lower-case hex: the id under which reports name it */
  fingerprint: string;
  /** RFC 4514-style, most specific first: `CN=…, O=…` */
  subject: string;
  selfSigned: boolean;
}

/** A private key and the certificates that came with it, before any check. */
export interface KeyMaterial {
  privateKey: KeyObject;
  certificates: Buffer[];
  /** names the source in error messages (an environment variable, a path) */
  source: string;
}

export const MIN_RSA_BITS = 2048;

/**
 * Loads the signer the configuration names. Throws an Error whose message names the source and
 * the problem; the caller refuses to start on it (a report signed with a weak, foreign or expired
 * certificate would be worse than no report).
 */
export function loadSigner(config: SigningConfig, dataDir: string, now: Date): Signer {
  const material =
    config.mode === 'p12'
      ? fromP12(config.path, config.password)
      : config.mode === 'pem'
        ? fromPem(config.key, config.cert)
        : fromSelfSigned(join(dataDir, 'signing'), now);
  return checkSigner(material, now);
}

/** The checks every signer passes, whatever its source (exported for any further key source). */
export function checkSigner({ privateKey, certificates, source }: KeyMaterial, now: Date): Signer {
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error(
      `${source}: the private key is ${privateKey.asymmetricKeyType ?? 'not asymmetric'}; report signing needs an RSA key`,
    );
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS)
    throw new Error(`${source}: the RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required`);
  const publicDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const parsed = certificates.map((der) => new X509Certificate(der));
  const own = parsed.findIndex((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer));
  if (own < 0)
    throw new Error(`${source}: no certificate matches the private key (${parsed.length} certificate(s) given)`);
  const cert = parsed[own]!;
  checkValidity(cert, now, source);
  const chain = issuerChain(
    cert,
    parsed.filter((_, i) => i !== own),
    source,
  ).map((c) => c.raw);
  return {
    privateKey,
    certificate: chain[0]!,
    chain,
    certificatePem: cert.toString(),
    ...describeCertificate(chain[0]!),
    selfSigned: isSelfSigned(cert),
  };
}

/**
 * The signer certificate followed by its issuers, each verifying the one before: the order
 * verifiers expect (and verifyPdf demands). A certificate outside that chain is a configuration
 * mistake worth a clear refusal, not something to embed in every report.
 */
function issuerChain(signer: X509Certificate, others: X509Certificate[], source: string): X509Certificate[] {
  const rest = others.filter((c, i) => !c.raw.equals(signer.raw) && others.findIndex((o) => o.raw.equals(c.raw)) === i);
  const chain = [signer];
  let last = signer;
  while (!isSelfSigned(last)) {
    const at = rest.findIndex((c) => c.subject === last.issuer && last.verify(c.publicKey));
    if (at < 0) break;
    last = rest.splice(at, 1)[0]!;
    chain.push(last);
  }
  if (rest.length > 0) {
    throw new Error(
      `${source}: ${rest.length} certificate(s) are not in the signer's issuer chain (${rest.map((c) => c.subject.replace(/\n/g, ', ')).join('; ')}); remove them`,
    );
  }
  return chain;
}

/** Not X509Certificate.checkIssued(): OpenSSL refuses that for a leaf without keyCertSign. */
function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

function checkValidity(cert: X509Certificate, now: Date, source: string): void {
  const notAfter = new Date(cert.validTo);
  const notBefore = new Date(cert.validFrom);
  if (now > notAfter) throw new Error(`${source}: the certificate expired on ${notAfter.toISOString()}`);
  if (now < notBefore) throw new Error(`${source}: the certificate is not valid before ${notBefore.toISOString()}`);
}

/** Fingerprint and subject as reports and the verify endpoint show them. */
export function describeCertificate(der: Buffer): { fingerprint: string; subject: string } {
  const cert = new X509Certificate(der);
  return {
    fingerprint: createHash('sha256').update(der).digest('hex'),
    // Node prints one escaped RDN per line, most general first; RFC 4514 reads the other way.
    subject: cert.subject.split('\n').reverse().join(', '),
  };
}

/** Every CERTIFICATE block of a PEM text, as DER. */
export function pemCertificates(pem: string): Buffer[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block).raw);
}

function fromSelfSigned(dir: string, now: Date): KeyMaterial {
  const { keyPem, certPem, source } = loadOrCreateSelfSigned(dir, now);
  return { privateKey: createPrivateKey(keyPem), certificates: pemCertificates(certPem), source };
}

function fromPem(key: string, cert: string): KeyMaterial {
  const source = 'POSTURE_SIGNING_KEY/POSTURE_SIGNING_CERT';
  const keyPem = pemOrFile(key, 'POSTURE_SIGNING_KEY');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch (err) {
    throw new Error(`POSTURE_SIGNING_KEY: not an unencrypted PEM private key (${(err as Error).message})`);
  }
  const certificates = pemCertificates(pemOrFile(cert, 'POSTURE_SIGNING_CERT'));
  if (certificates.length === 0) throw new Error('POSTURE_SIGNING_CERT: no PEM CERTIFICATE block found');
  return { privateKey, certificates, source };
}

/** The configuration takes PEM text or a path: text is recognised by its armour line. */
function pemOrFile(value: string, variable: string): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    throw new Error(
      `${variable}: cannot read ${value} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

function fromP12(path: string, password: string): KeyMaterial {
  const source = `POSTURE_SIGNING_P12 (${path})`;
  let der: Buffer;
  try {
    der = readFileSync(path);
  } catch (err) {
    throw new Error(
      `POSTURE_SIGNING_P12: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(der.toString('binary'));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (err) {
    throw new Error(`${source} cannot be opened: ${(err as Error).message} (wrong POSTURE_SIGNING_P12_PASSWORD?)`);
  }
  const { oids } = forge.pki;
  const keys = [oids.pkcs8ShroudedKeyBag!, oids.keyBag!].flatMap((bagType) => p12.getBags({ bagType })[bagType] ?? []);
  if (keys.length !== 1 || !keys[0]!.key) {
    throw new Error(
      `${source}: expected exactly one RSA private key, found ${keys.length} key bag(s)${keys.length === 1 ? ' holding a non-RSA key' : ''}`,
    );
  }
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(keys[0]!.key));
  const certificates = (p12.getBags({ bagType: oids.certBag! })[oids.certBag!] ?? []).map((bag) => {
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
    return Buffer.from(forge.asn1.toDer(asn1!).getBytes(), 'binary');
  });
  return { privateKey, certificates, source };
}
