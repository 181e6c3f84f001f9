/**
 * `posture push`: post an export, take the evaluation it triggered, print a short table, write
 * SARIF/JUnit on request, and exit 0 (clean), 1 (new failing findings at or above --fail-on —
 * or any, with --fail-on-existing) or 2 (usage, network or server error).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type * as Sarif from 'sarif';
import { resolveAdapterForCli } from './resolve.js';
import { connect, type Api, type FetchBody } from './api.js';
import { gate, localiseSarif, pct, table, uniqueNew, type GateFinding, type Threshold } from './ci-output.js';
import { CliError, EXIT, rfc3339 } from './output.js';
import { isSingleBody, MEDIA_TYPE, readParts, type LocalPart } from './parts.js';
import type { Adapter } from '../adapters/types.js';

interface PushOptions {
  tenant: string;
  source: string;
  kind?: string;
  instance?: string;
  internetInterfaces?: string;
  label?: string[];
  collectedAt?: string;
  failOn: Threshold;
  failOnExisting?: boolean;
  sarif?: string;
  junit?: string;
  server?: string;
  token?: string;
}

interface Figure {
  value: number | null;
  numerator: number;
  denominator: number;
}

/** "62.5% (5/8)": a score is never shown without what it counts. */
function figure(f: Figure): string {
  return `${pct(f.value)} (${f.numerator}/${f.denominator})`;
}

interface IngestAnswer {
  id: string;
  itemCount: number;
  warnings: { code: string; message: string }[];
  evaluation: {
    id: string;
    summary: {
      packs: {
        id: string;
        score: number | null;
        scoreWithWaivers: number | null;
        /** the three figures (absent from a server of an earlier release) */
        verified?: Figure;
        withAttestations?: Figure;
        withWaivers?: Figure;
      }[];
      new: number;
      resolved: number;
    };
  };
}

/** The `push` command's arguments and options; its action is `push`. */
export function pushCommand(program: Command): Command {
  return program
    .command('push')
    .description('post an export to the service and fail the build on new findings')
    .argument('<parts...>', 'name=path per part (repeat a name for more pages), or a single path')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--source <source>', 'the export source (okta, pfsense, aws-security-groups, …, or canonical)')
    .option('--kind <kind>', 'with --source canonical: identity, endpoint, firewall or technicians')
    .option('--instance <name>', 'tells apart two exports of one source')
    .option('--internet-interfaces <list>', 'firewall interfaces facing the internet, comma-separated')
    .option('--label <key=value...>', 'labels for the snapshot')
    .option(
      '--collected-at <time>',
      "when the export was taken (RFC 3339, sent as X-Collected-At), for an export that does not stamp its own time (the export's own stamp comes first); default: the time the server receives it",
    )
    .option('--fail-on <severity>', 'critical, high, medium or low', 'high')
    .option('--fail-on-existing', 'fail on every failing finding at or above --fail-on, not only new ones')
    .option('--sarif <file>', 'write SARIF 2.1.0 here')
    .option('--junit <file>', 'write JUnit XML here')
    .option('--server <url>', 'the Posture server (default: POSTURE_SERVER)', process.env.POSTURE_SERVER)
    .option(
      '--token <jwt>',
      'a token with snapshots:write and evaluations:read (default: POSTURE_TOKEN)',
      process.env.POSTURE_TOKEN,
    );
}

/** Posts, prints the table, writes SARIF/JUnit on request; resolves to the exit code. */
export async function push(args: string[], o: PushOptions): Promise<number> {
  try {
    if (!['critical', 'high', 'medium', 'low'].includes(o.failOn))
      throw new CliError('--fail-on must be critical, high, medium or low');
    if (o.collectedAt !== undefined) rfc3339('--collected-at', o.collectedAt);
    const adapter = resolveAdapterForCli(o.source, o.kind);
    const parts = readParts(args, adapter);
    const api = connect(o.server, o.token);
    const answer = await post(api, o, adapter, parts);
    const failing = await failingFindings(api, o.tenant, answer.evaluation.id, answer.id);
    const blocking = gate(failing, o.failOn, o.failOnExisting === true);
    process.stdout.write(report(answer, failing, blocking, o) + '\n');
    if (o.sarif)
      writeFileSync(
        o.sarif,
        JSON.stringify(
          localiseSarif(
            JSON.parse(await api.text(evalPath(o.tenant, answer.evaluation.id, 'sarif'))) as Sarif.Log,
            parts,
            answer.id,
          ),
          null,
          2,
        ),
      );
    if (o.junit) writeFileSync(o.junit, await api.text(evalPath(o.tenant, answer.evaluation.id, 'junit')));
    return blocking.length > 0 ? EXIT.findings : EXIT.ok;
  } catch (err) {
    process.stderr.write(`posture push: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}

const evalPath = (tenant: string, id: string, format: string) =>
  `/v1/tenants/${encodeURIComponent(tenant)}/evaluations/${id}?format=${format}`;

async function post(api: Api, o: PushOptions, adapter: Adapter, parts: LocalPart[]): Promise<IngestAnswer> {
  const q = new URLSearchParams({
    source: o.source,
    ...(o.kind ? { kind: o.kind } : {}),
    ...(o.instance ? { instance: o.instance } : {}),
    ...(o.internetInterfaces ? { internetInterfaces: o.internetInterfaces } : {}),
  });
  const headers: Record<string, string> = o.label?.length ? { 'x-posture-labels': o.label.join(', ') } : {};
  if (o.collectedAt !== undefined) headers['x-collected-at'] = o.collectedAt;
  let body: FetchBody;
  if (isSingleBody(parts, adapter)) {
    body = new Blob([parts[0]!.bytes]);
    headers['content-type'] = MEDIA_TYPE[adapter.parts.find((p) => p.name === adapter.bodyPart)!.format];
  } else {
    const form = new FormData();
    for (const p of parts) form.append(p.name, new Blob([p.bytes]), p.path.split('/').pop());
    body = form;
  }
  const res = await api.request('POST', `/v1/tenants/${encodeURIComponent(o.tenant)}/snapshots?${q}`, {
    body,
    headers,
  });
  return (await res.json()) as IngestAnswer;
}

/** Failing findings on items of the pushed snapshot: another export's regressions are not this build's. */
async function failingFindings(
  api: Api,
  tenant: string,
  evaluationId: string,
  snapshotId: string,
): Promise<GateFinding[]> {
  const out: GateFinding[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: GateFinding[]; nextCursor: string | null } = await api.json(
      `/v1/tenants/${encodeURIComponent(tenant)}/evaluations/${evaluationId}/findings?status=fail&snapshot=${snapshotId}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function report(a: IngestAnswer, failing: GateFinding[], blocking: GateFinding[], o: PushOptions): string {
  const lines = [
    `snapshot ${a.id}: ${a.itemCount} items, ${a.warnings.length} warning(s); evaluation ${a.evaluation.id}`,
  ];
  lines.push(
    table([
      ['pack', 'verified from configuration', 'with attestations', 'with waivers'],
      ...a.evaluation.summary.packs.map((p) =>
        p.verified && p.withAttestations && p.withWaivers
          ? [p.id, figure(p.verified), figure(p.withAttestations), figure(p.withWaivers)]
          : // a server of an earlier release: its two (now deprecated) figures
            [p.id, pct(p.score), '', pct(p.scoreWithWaivers)],
      ),
    ]),
  );
  const perItem = uniqueNew(failing);
  lines.push(
    `failing findings on this export: ${perItem.length} (${perItem.filter((f) => f.new).length} new); resolved since the previous evaluation: ${a.evaluation.summary.resolved}`,
  );
  if (blocking.length > 0) {
    lines.push(`FAIL: ${blocking.length} ${o.failOnExisting ? '' : 'new '}finding(s) at or above ${o.failOn}:`);
    lines.push(
      table([['severity', 'rule', 'finding'], ...blocking.slice(0, 25).map((f) => [f.severity, f.ruleId, f.message])]),
    );
    if (blocking.length > 25) lines.push(`… and ${blocking.length - 25} more`);
  } else lines.push(`OK: no ${o.failOnExisting ? '' : 'new '}failing finding at or above ${o.failOn}`);
  return lines.join('\n');
}
