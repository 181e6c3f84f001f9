/**
 * `posture verify F`: with --cert, offline (that certificate is the only one trusted); without,
 * through POST /v1/reports/verify on the server. Exit 0 valid, 1 invalid, 2 errors.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describeCertificate, pemCertificates } from '../reporting/signing-key.js';
import { verifyPdf } from '../reporting/verify-pdf.js';
import { CliError, EXIT } from './output.js';

interface VerifyOptions {
  cert?: string;
  server?: string;
}

/** The `verify` command's arguments and options; its action is `verify`. */
export function verifyCommand(program: Command): Command {
  return program
    .command('verify')
    .description('verify a report PDF: offline against --cert, or with the server')
    .argument('<file>', 'the PDF')
    .option('--cert <pem>', "the signer's certificate (PEM): verify offline, trusting only it")
    .option('--server <url>', 'the Posture server (default: POSTURE_SERVER)', process.env.POSTURE_SERVER);
}

/** Prints the verdict; resolves to the exit code (0 valid, 1 invalid, 2 could not verify). */
export async function verify(file: string, o: VerifyOptions): Promise<number> {
  try {
    const pdf = readFileSync(file);
    const verdict = o.cert ? offline(pdf, o.cert) : await online(pdf, o.server);
    process.stdout.write(JSON.stringify(verdict, null, 2) + '\n');
    return verdict.valid ? EXIT.ok : EXIT.findings;
  } catch (err) {
    process.stderr.write(`posture verify: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}

function offline(pdf: Buffer, certPath: string) {
  const certs = pemCertificates(readFileSync(certPath, 'utf8'));
  if (certs.length === 0) throw new CliError(`${certPath} holds no PEM certificate`);
  const trusted = new Map(
    certs.map((der) => [
      describeCertificate(der).fingerprint,
      {
        certificatePem: `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`,
      },
    ]),
  );
  return verifyPdf(pdf, (fp) => trusted.get(fp));
}

async function online(pdf: Buffer, server: string | undefined) {
  if (!server) throw new CliError('give --cert to verify offline, or --server (POSTURE_SERVER) to ask the service');
  let res: Response;
  try {
    res = await fetch(`${server.replace(/\/+$/, '')}/v1/reports/verify`, {
      method: 'POST',
      body: new Blob([pdf]),
      headers: { 'content-type': 'application/pdf' },
    });
  } catch (err) {
    throw new CliError(
      `cannot reach ${server}: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`,
    );
  }
  if (!res.ok) throw new CliError(`the server answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as { valid: boolean };
}
