/** `posture report`: have the service render and sign a report, and save the PDF. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { connect } from './api.js';
import { EXIT } from './output.js';

interface ReportOptions {
  tenant: string;
  packs?: string[];
  evaluation?: string;
  out: string;
  server?: string;
  token?: string;
}

/** The `report` command's options; its action is `report`. */
export function reportCommand(program: Command): Command {
  return program
    .command('report')
    .description('render and sign a compliance report on the server and save the PDF')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--packs <id...>', "packs to report on (default: the tenant's)")
    .option('--evaluation <id>', 'report on this evaluation (default: a fresh one)')
    .requiredOption('--out <file>', 'where to write the PDF')
    .option('--server <url>', 'the Posture server (default: POSTURE_SERVER)', process.env.POSTURE_SERVER)
    .option(
      '--token <jwt>',
      'a token with reports:write and reports:read (default: POSTURE_TOKEN)',
      process.env.POSTURE_TOKEN,
    );
}

/** Saves the signed PDF to --out; resolves to the exit code (0 saved, 2 anything else). */
export async function report(o: ReportOptions): Promise<number> {
  try {
    const api = connect(o.server, o.token);
    const body = JSON.stringify({
      ...(o.packs ? { packs: o.packs } : {}),
      ...(o.evaluation ? { evaluationId: o.evaluation } : {}),
    });
    const res = await api.request('POST', `/v1/tenants/${encodeURIComponent(o.tenant)}/reports`, {
      body,
      headers: { 'content-type': 'application/json' },
    });
    const made = (await res.json()) as { id: string; sha256: string; pdf: string; signerFingerprint: string };
    const pdf = Buffer.from(await (await api.request('GET', made.pdf)).arrayBuffer());
    writeFileSync(o.out, pdf);
    process.stdout.write(
      `report ${made.id} → ${o.out} (${pdf.length} bytes, sha256 ${made.sha256}, signer ${made.signerFingerprint})\n`,
    );
    return EXIT.ok;
  } catch (err) {
    process.stderr.write(`posture report: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}
