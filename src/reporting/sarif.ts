/**
 * SARIF 2.1.0 for GitHub code scanning and other CI readers. One result per failing (rule, item)
 * — the same item failing one rule in three packs is one alert — with the stable fingerprint as
 * partialFingerprint (alerts are not duplicated on every push), baselineState new/unchanged, and
 * waived findings as accepted suppressions. Insufficient evidence is not a code-scanning alert;
 * JUnit reports it.
 */
import type * as Sarif from 'sarif';
import type { CiFinding, CiRule, Origin } from './ci-finding.js';

const LEVEL: Record<string, Sarif.Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const SECURITY_SEVERITY: Record<string, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

export interface SarifInput {
  evaluation: { id: string; asOf: string };
  findings: readonly CiFinding[];
  rules: ReadonlyMap<string, CiRule>;
  toolVersion: string;
  /** where an item lives: defaults to `snapshots/<id>/<part>` under uriBaseId POSTURE, with the line when known */
  locate?: (f: CiFinding) => Sarif.PhysicalLocation;
  /**
   * GitHub code scanning's category (automationDetails.id up to its last `/`): an upload replaces
   * the alerts of earlier uploads of the same category only. Absent: no automationDetails, so the
   * upload step's own `category` (or the workflow and job) decides.
   */
  category?: string;
}

export function buildSarif(input: SarifInput): Sarif.Log {
  const grouped = new Map<string, CiFinding[]>();
  for (const f of input.findings) {
    if (f.status !== 'fail' && f.status !== 'waived') continue;
    const group = grouped.get(f.fingerprint);
    if (group) group.push(f);
    else grouped.set(f.fingerprint, [f]);
  }
  const ruleIds = [...new Set([...grouped.values()].map((g) => g[0]!.ruleId))].sort();
  const results = [...grouped.values()].map((g) => result(g, ruleIds, input.locate ?? defaultLocation));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Posture',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            rules: ruleIds.map((id) => descriptor(id, input.rules.get(id))),
          },
        },
        ...(input.category ? { automationDetails: { id: `${input.category}/${input.evaluation.id}` } } : {}),
        originalUriBaseIds: {
          POSTURE: { description: { text: 'snapshots stored by Posture: snapshots/<snapshot id>/<part>' } },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: input.evaluation.asOf }],
        results,
      },
    ],
  };
}

function descriptor(id: string, rule: CiRule | undefined): Sarif.ReportingDescriptor {
  const severity = rule?.severity ?? 'medium';
  return {
    id,
    name: id.replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase()),
    shortDescription: { text: rule?.title ?? id },
    fullDescription: { text: rule?.rationale ?? rule?.title ?? id },
    help: {
      text: rule?.remediation ?? '',
      markdown: `**Why:** ${rule?.rationale ?? ''}\n\n**Fix:** ${rule?.remediation ?? ''}`,
    },
    defaultConfiguration: { level: LEVEL[severity] ?? 'warning' },
    properties: {
      'security-severity': SECURITY_SEVERITY[severity] ?? '5.5',
      precision: 'high',
      tags: ['security', 'compliance', rule?.kind ?? 'posture'],
    },
  };
}

function result(group: CiFinding[], ruleIds: string[], locate: (f: CiFinding) => Sarif.PhysicalLocation): Sarif.Result {
  const f = group[0]!;
  const waived = group.every((g) => g.status === 'waived');
  return {
    ruleId: f.ruleId,
    ruleIndex: ruleIds.indexOf(f.ruleId),
    level: LEVEL[f.severity] ?? 'warning',
    message: { text: f.message },
    locations: [
      {
        physicalLocation: locate(f),
        logicalLocations: f.item
          ? [{ name: f.item.name ?? f.item.id, fullyQualifiedName: `${f.source ?? ''}/${f.item.id}`, kind: 'object' }]
          : [],
      },
    ],
    partialFingerprints: { 'postureFinding/v1': f.fingerprint },
    baselineState: group.some((g) => g.new) ? 'new' : 'unchanged',
    ...(waived
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `waived (${group[0]!.waiverId})` }] }
      : {}),
    properties: {
      severity: f.severity,
      packs: [...new Set(group.map((g) => g.packId))],
      requirements: group.flatMap((g) => g.requirements),
      source: f.source,
      snapshotId: f.snapshotId,
      origin: f.origin,
      evidence: f.evidence,
      // a verdict resting on an assumption, or on stale evidence, says so to the code-scanning reader too
      ...(f.assumed && f.assumed.length > 0 ? { assumed: f.assumed } : {}),
      ...(f.stale ? { stale: true } : {}),
    },
  };
}

export function defaultLocation(f: CiFinding): Sarif.PhysicalLocation {
  const o = (f.origin ?? {}) as Origin;
  const part = `${o.part ?? 'export'}${o.page ? `.${o.page}` : ''}`;
  return {
    artifactLocation: { uri: `snapshots/${f.snapshotId ?? 'none'}/${part}`, uriBaseId: 'POSTURE' },
    region: { startLine: o.line ?? 1 },
  };
}
