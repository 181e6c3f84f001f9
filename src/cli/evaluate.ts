/**
 * `posture evaluate`: the same adapters and engine as the service, offline — no server, no
 * database — on exported files. Only the rules of the export's kind are reported (the other
 * kinds have no export here). Exit codes as `push`; every finding counts as new.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../core/errors.js';
import { evaluateExport } from '../domain/evaluate-export.js';
import type { EvaluationOutput, RuleResult } from '../engine/evaluate.js';
import { compileCatalog } from '../engine/compile-catalog.js';
import { readRuleFiles } from '../config/rule-files.js';
import type { Catalog } from '../engine/catalog.js';
import { ciRules, type CiFinding } from '../reporting/ci-finding.js';
import { findingsCsv, findingTable } from '../reporting/findings-table.js';
import { buildJunit } from '../reporting/junit.js';
import { buildSarif } from '../reporting/sarif.js';
import { VERSION } from '../version.js';
import { gate, localiseSarif, table, unique, type Threshold } from './ci-output.js';
import { CliError, EXIT, rfc3339 } from './output.js';
import { readParts, type LocalPart } from './parts.js';
import { resolveAdapterForCli } from './resolve.js';

interface EvaluateOptions {
  source: string;
  kind?: string;
  pack?: string[];
  format: 'table' | 'json' | 'sarif' | 'junit' | 'csv';
  out?: string;
  failOn: Threshold;
  asOf?: string;
  collectedAt?: string;
  internetInterfaces?: string;
}

/** The `evaluate` command's arguments and options; its action is `evaluateOffline`. */
export function evaluateCommand(program: Command): Command {
  return program
    .command('evaluate')
    .description('evaluate exported files offline (no server, no database)')
    .argument('<parts...>', 'name=path per part (repeat a name for more pages), or a single path')
    .requiredOption('--source <source>', 'the export source')
    .option('--kind <kind>', 'with --source canonical: identity, endpoint, firewall or technicians')
    .option('--pack <id...>', 'packs to evaluate (default: every pack with rules for this kind)')
    .option('--format <format>', 'table, json, sarif, junit or csv (one row per rule and item, RFC 4180)', 'table')
    .option('--out <file>', 'write the output here instead of stdout')
    .option('--fail-on <severity>', 'critical, high, medium or low', 'high')
    .option('--as-of <time>', 'evaluate as of this RFC 3339 time: evidence freshness, waivers (default: now)')
    .option(
      '--collected-at <time>',
      "when the export was taken (RFC 3339): clock-dependent rules measure to it; the export's own stamp comes first; default: --as-of",
    )
    .option('--internet-interfaces <list>', 'firewall interfaces facing the internet, comma-separated');
}

/** Writes the output (stdout or --out); returns the exit code. */
export function evaluateOffline(args: string[], o: EvaluateOptions): number {
  try {
    if (!['table', 'json', 'sarif', 'junit', 'csv'].includes(o.format))
      throw new CliError('--format must be table, json, sarif, junit or csv');
    if (!['critical', 'high', 'medium', 'low'].includes(o.failOn))
      throw new CliError('--fail-on must be critical, high, medium or low');
    const asOf = o.asOf ? new Date(o.asOf) : new Date();
    if (Number.isNaN(asOf.getTime())) throw new CliError('--as-of must be an RFC 3339 time');
    const collectedAt = o.collectedAt === undefined ? undefined : rfc3339('--collected-at', o.collectedAt);
    const adapter = resolveAdapterForCli(o.source, o.kind);
    const parts = readParts(args, adapter);
    const catalog = compileCatalog(readRuleFiles());
    const { result, output } = evaluateExport({
      catalog,
      adapter,
      parts,
      packIds: o.pack,
      asOf,
      collectedAt,
      internetInterfaces: o.internetInterfaces?.split(','),
    });
    const findings: CiFinding[] = output.findings.map((f) => ({ ...f, new: true }));
    const text = render(o, output, findings, catalog, parts, asOf, result.warnings);
    if (o.out) writeFileSync(o.out, text);
    else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    return gate(findings, o.failOn, true).length > 0 ? EXIT.findings : EXIT.ok;
  } catch (err) {
    process.stderr.write(`posture evaluate: ${describe(err)}\n`);
    return EXIT.error;
  }
}

/** An AppError of the pipeline as the CLI says it: what was wrong, with where, on a few lines. */
function describe(err: unknown): string {
  if (!(err instanceof AppError)) return (err as Error).message;
  if (err.code !== 'malformed_export' && err.code !== 'invalid_export') return err.message;
  const where = err.errors
    .slice(0, 5)
    .map(
      (p) =>
        `\n  ${[p.part, p.pointer, p.line ? `line ${p.line}` : undefined].filter(Boolean).join(' ')}: ${p.message}`,
    )
    .join('');
  return `the export cannot be read (${err.code === 'malformed_export' ? 'malformed' : 'not what the source exports'}):${where}`;
}

function render(
  o: EvaluateOptions,
  out: EvaluationOutput,
  findings: CiFinding[],
  catalog: Catalog,
  parts: LocalPart[],
  asOf: Date,
  warnings: { code: string; message: string }[],
): string {
  const evaluation = { id: 'local', asOf: asOf.toISOString() };
  switch (o.format) {
    case 'json':
      return JSON.stringify({
        source: o.source,
        asOf: evaluation.asOf,
        warnings,
        rules: out.rules,
        findings: merged(findings),
        missingEvidence: out.missingEvidence,
      });
    case 'sarif':
      return JSON.stringify(
        localiseSarif(
          buildSarif({ evaluation, findings, rules: ciRules(catalog), toolVersion: VERSION }),
          parts,
          'local',
        ),
        null,
        2,
      );
    case 'csv':
      return findingsCsv(
        findingTable(
          out.findings.map((f) => ({ ...f, new: true, firstSeenAt: asOf })),
          catalog.rules,
        ),
      );
    case 'junit':
      return buildJunit({
        evaluation,
        packs: [...new Set(out.rules.map((r) => r.packId))].map((id) => ({ id, title: catalog.packs.get(id)!.title })),
        rules: out.rules,
        findings,
      });
    default:
      return tableOf(out, findings, warnings);
  }
}

/** One finding per rule and item, naming every pack (and requirement) it counts against. */
function merged(findings: CiFinding[]) {
  const byPrint = new Map<string, CiFinding & { packs: string[] }>();
  for (const f of findings) {
    const seen = byPrint.get(f.fingerprint);
    if (!seen)
      byPrint.set(f.fingerprint, Object.assign(f, { packs: [f.packId], requirements: f.requirements.slice() }));
    else {
      seen.packs.push(f.packId);
      for (const r of f.requirements) seen.requirements.push(r);
    }
  }
  // NOTE: findings are reused in place (no copy of 100k+ objects); packId keeps the first pack.
  return [...byPrint.values()];
}

/**
 * One row per rule where every pack judged it alike; where packs set different parameters (PCI
 * dormancy 90 days, CIS 45) and so judged it differently, one row per pack, named.
 */
function ruleRows(results: readonly RuleResult[], row: (r: RuleResult, label: string) => string[]): string[][] {
  const byRule = new Map<string, RuleResult[]>();
  for (const r of results) {
    const list = byRule.get(r.ruleId);
    if (list) list.push(r);
    else byRule.set(r.ruleId, [r]);
  }
  const alike = (rs: RuleResult[]) =>
    rs.every((r) => r.state === rs[0]!.state && JSON.stringify(r.counts) === JSON.stringify(rs[0]!.counts));
  return [...byRule].flatMap(([id, rs]) =>
    alike(rs) ? [row(rs[0]!, id)] : rs.map((r) => row(r, `${id} (${r.packId})`)),
  );
}

function tableOf(out: EvaluationOutput, findings: CiFinding[], warnings: { code: string; message: string }[]): string {
  const row = (r: RuleResult, label: string) => [
    label,
    r.state,
    String(r.counts.pass),
    String(r.counts.fail),
    String(r.counts.insufficient_evidence),
    String(r.counts.not_applicable),
  ];
  const lines = [table([['rule', 'state', 'pass', 'fail', 'unknown', 'n/a'], ...ruleRows(out.rules, row)])];
  const failing = unique(findings.filter((f) => f.status === 'fail'));
  if (failing.length > 0)
    lines.push(
      '',
      table([['severity', 'rule', 'finding'], ...failing.slice(0, 50).map((f) => [f.severity, f.ruleId, f.message])]),
    );
  if (failing.length > 50) lines.push(`… and ${failing.length - 50} more`);
  if (warnings.length > 0)
    lines.push('', `${warnings.length} warning(s) reading the export, e.g. ${warnings[0]!.message}`);
  return lines.join('\n');
}
