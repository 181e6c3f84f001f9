import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { hostname } from 'node:os';
import forge from 'node-forge';
import { SELF_SIGNED_CN } from '../../../src/reporting/self-signed.js';
import { loadSigner, type Signer } from '../../../src/reporting/signing-key.js';
import { removeTempDirs, tempDir } from './fixtures.js';

const NOW = new Date();
/** Certificates openssl issues in a test are valid from the second they are made: ask later. */
const now = () => new Date();
const YEAR = 365.25 * 24 * 3600_000;

/** A CA, a leaf it issued, and the leaf's key, as PEM files in a fresh directory. */
function issuedPair(): {
  dir: string;
  sh: (...args: string[]) => void;
  path: (f: string) => string;
  read: (f: string) => string;
} {
  const dir = tempDir();
  const sh = (...args: string[]) => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
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
  );
  return { dir, sh, path: (f) => join(dir, f), read: (f) => readFileSync(join(dir, f), 'utf8') };
}

const derOf = (pem: string) => new X509Certificate(pem).raw;

afterAll(removeTempDirs);

describe('loadSigner: self-signed (the embedded default)', () => {
  let dataDir: string;
  let first: Signer;

  beforeAll(() => {
    dataDir = tempDir('posture-data-');
    first = loadSigner({ mode: 'self-signed' }, dataDir, NOW);
  });

  it('creates an RSA-3072 key (0600) and a 10-year document-signing certificate in <dataDir>/signing', () => {
    expect(statSync(join(dataDir, 'signing', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'signing')).mode & 0o077).toBe(0);
    const cert = new X509Certificate(readFileSync(join(dataDir, 'signing', 'cert.pem')));
    expect(first).toMatchObject({ selfSigned: true, subject: `CN=${SELF_SIGNED_CN}, O=Posture` });
    expect(first.privateKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(first.fingerprint).toBe(cert.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(first.chain).toEqual([cert.raw]);
    const years = (Date.parse(cert.validTo) - NOW.getTime()) / YEAR;
    expect(years).toBeGreaterThan(9.99);
    expect(years).toBeLessThan(10.01);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36']); // Node lists the extended key usages
    expect(cert.ca).toBe(false);
    expect(SELF_SIGNED_CN).not.toContain(hostname());
  });

  it('sets keyUsage digitalSignature + nonRepudiation and CA:false, both critical', () => {
    const text = execFileSync(
      'openssl',
      ['x509', '-noout', '-ext', 'basicConstraints,keyUsage', '-in', join(dataDir, 'signing', 'cert.pem')],
      { encoding: 'utf8' },
    );
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation\n/);
  });

  it('reuses the same key and certificate on later starts, and tightens a loosened key file', () => {
    chmodSync(join(dataDir, 'signing', 'key.pem'), 0o644);
    const again = loadSigner({ mode: 'self-signed' }, dataDir, new Date(NOW.getTime() + YEAR));
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.privateKey.export({ type: 'pkcs8', format: 'der' })).toEqual(
      first.privateKey.export({ type: 'pkcs8', format: 'der' }),
    );
    expect(statSync(join(dataDir, 'signing', 'key.pem')).mode & 0o777).toBe(0o600);
  });

  it('refuses a half-present pair instead of replacing it, and an expired certificate', () => {
    const half = tempDir('posture-data-');
    loadSigner({ mode: 'self-signed' }, half, NOW);
    rmSync(join(half, 'signing', 'cert.pem'));
    expect(() => loadSigner({ mode: 'self-signed' }, half, NOW)).toThrow(
      /cert\.pem is missing; restore it, or remove the directory/,
    );
    expect(() => loadSigner({ mode: 'self-signed' }, dataDir, new Date(NOW.getTime() + 10.1 * YEAR))).toThrow(
      /the certificate expired on/,
    );
  });
});

describe('loadSigner: PEM', () => {
  it('takes PEM text or paths and puts the certificate that matches the key first', () => {
    const ca = issuedPair();
    const chainPem = ca.read('ca.pem') + ca.read('leaf.pem');
    const byText = loadSigner({ mode: 'pem', key: ca.read('leaf.key'), cert: chainPem }, ca.dir, now());
    writeFileSync(ca.path('chain.pem'), chainPem);
    const byPath = loadSigner({ mode: 'pem', key: ca.path('leaf.key'), cert: ca.path('chain.pem') }, ca.dir, now());
    for (const signer of [byText, byPath]) {
      expect(signer.chain).toEqual([derOf(ca.read('leaf.pem')), derOf(ca.read('ca.pem'))]);
      expect(signer).toMatchObject({
        selfSigned: false,
        subject: 'CN=Acme report signer, O=Acme MSP',
        certificate: derOf(ca.read('leaf.pem')),
      });
    }
  });

  it.each([
    ['a 1024-bit RSA key', 'weak', /the RSA key has 1024 bits; at least 2048 are required/],
    ['a certificate of another key', 'mismatch', /no certificate matches the private key \(1 certificate\(s\) given\)/],
    ['an EC key', 'ec', /the private key is ec; report signing needs an RSA key/],
    ['an encrypted key', 'encrypted', /POSTURE_SIGNING_KEY: not an unencrypted PEM private key/],
  ])('refuses %s', (_, kind, message) => {
    const ca = issuedPair();
    if (kind === 'weak')
      ca.sh(
        'req',
        '-x509',
        '-newkey',
        'rsa:1024',
        '-nodes',
        '-keyout',
        'k.pem',
        '-out',
        'c.pem',
        '-subj',
        '/CN=weak',
        '-days',
        '30',
      );
    if (kind === 'ec')
      ca.sh(
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'k.pem',
        '-out',
        'c.pem',
        '-subj',
        '/CN=ec',
        '-days',
        '30',
      );
    if (kind === 'mismatch') ca.sh('pkey', '-in', 'ca.key', '-out', 'k.pem');
    if (kind === 'mismatch') ca.sh('x509', '-in', 'leaf.pem', '-out', 'c.pem');
    if (kind === 'encrypted') ca.sh('pkey', '-in', 'leaf.key', '-aes256', '-passout', 'pass:x', '-out', 'k.pem');
    if (kind === 'encrypted') ca.sh('x509', '-in', 'leaf.pem', '-out', 'c.pem');
    expect(() => loadSigner({ mode: 'pem', key: ca.path('k.pem'), cert: ca.path('c.pem') }, ca.dir, now())).toThrow(
      message,
    );
  });

  it("refuses a certificate that is not in the signer's issuer chain", () => {
    const ca = issuedPair();
    ca.sh(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'x.key',
      '-out',
      'stranger.pem',
      '-subj',
      '/CN=Stranger',
      '-days',
      '30',
    );
    const cert = ca.read('leaf.pem') + ca.read('stranger.pem') + ca.read('ca.pem');
    expect(() => loadSigner({ mode: 'pem', key: ca.path('leaf.key'), cert }, ca.dir, now())).toThrow(
      /1 certificate\(s\) are not in the signer's issuer chain \(CN=Stranger\); remove them/,
    );
  });

  it('refuses an expired or not yet valid certificate', () => {
    const ca = issuedPair();
    const config = { mode: 'pem' as const, key: ca.path('leaf.key'), cert: ca.path('leaf.pem') };
    expect(() => loadSigner(config, ca.dir, new Date(now().getTime() + 31 * 24 * 3600_000))).toThrow(
      /the certificate expired on \d{4}-/,
    );
    expect(() => loadSigner(config, ca.dir, new Date(now().getTime() - 24 * 3600_000))).toThrow(
      /the certificate is not valid before/,
    );
  });

  it('refuses a PEM without a certificate', () => {
    const ca = issuedPair();
    expect(() =>
      loadSigner({ mode: 'pem', key: ca.path('leaf.key'), cert: ca.read('leaf.key') }, ca.dir, now()),
    ).toThrow(/no PEM CERTIFICATE block/);
  });
});

describe('loadSigner: PKCS#12', () => {
  it('opens an OpenSSL 3 PKCS#12 (AES-256, PBKDF2, SHA-256 MAC) with its chain', () => {
    const ca = issuedPair();
    ca.sh(
      'pkcs12',
      '-export',
      '-inkey',
      'leaf.key',
      '-in',
      'leaf.pem',
      '-certfile',
      'ca.pem',
      '-out',
      'signer.p12',
      '-passout',
      'pass:s3cret',
    );
    const signer = loadSigner({ mode: 'p12', path: ca.path('signer.p12'), password: 's3cret' }, ca.dir, now());
    expect(signer.chain).toHaveLength(2);
    expect(signer.certificate).toEqual(derOf(ca.read('leaf.pem')));
    expect(signer.chain[1]).toEqual(derOf(ca.read('ca.pem')));
    expect(signer.subject).toBe('CN=Acme report signer, O=Acme MSP');
  });

  it('opens a node-forge (3DES) PKCS#12', () => {
    const ca = issuedPair();
    const key = forge.pki.privateKeyFromPem(ca.read('leaf.key'));
    const certs = [ca.read('leaf.pem'), ca.read('ca.pem')].map((pem) => forge.pki.certificateFromPem(pem));
    const p12 = forge.pkcs12.toPkcs12Asn1(key, certs, 'pw', { algorithm: '3des' });
    writeFileSync(ca.path('forge.p12'), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
    const signer = loadSigner({ mode: 'p12', path: ca.path('forge.p12'), password: 'pw' }, ca.dir, now());
    expect(signer.certificate).toEqual(derOf(ca.read('leaf.pem')));
  });

  it('names the file and the password variable when the password is wrong', () => {
    const ca = issuedPair();
    ca.sh('pkcs12', '-export', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-out', 'signer.p12', '-passout', 'pass:right');
    expect(() => loadSigner({ mode: 'p12', path: ca.path('signer.p12'), password: 'wrong' }, ca.dir, now())).toThrow(
      /^POSTURE_SIGNING_P12 \(.*signer\.p12\) cannot be opened: .* \(wrong POSTURE_SIGNING_P12_PASSWORD\?\)$/,
    );
  });

  it("refuses a PKCS#12 without a private key, or whose certificate is not the key's", () => {
    const ca = issuedPair();
    ca.sh('pkcs12', '-export', '-in', 'leaf.pem', '-nokeys', '-out', 'nokey.p12', '-passout', 'pass:x');
    expect(() => loadSigner({ mode: 'p12', path: ca.path('nokey.p12'), password: 'x' }, ca.dir, now())).toThrow(
      /expected exactly one RSA private key, found 0/,
    );
    const p12 = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(ca.read('ca.key')),
      [forge.pki.certificateFromPem(ca.read('leaf.pem'))],
      'x',
      { algorithm: '3des' },
    );
    writeFileSync(ca.path('mismatch.p12'), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
    expect(() => loadSigner({ mode: 'p12', path: ca.path('mismatch.p12'), password: 'x' }, ca.dir, now())).toThrow(
      /no certificate matches the private key/,
    );
  });
});
