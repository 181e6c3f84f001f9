import type { Catalog, Pack } from '../engine/catalog.js';
import { declaredParameters, rulesOf } from '../engine/parameters.js';

/** A pack as an auditor reads it: requirements with citations, the rules behind them, parameters. */
export function toPackDto(pack: Pack, catalog: Catalog, full: boolean) {
  const base = {
    id: pack.id,
    version: pack.version,
    title: pack.title,
    description: pack.description ?? null,
    source: pack.source ?? null,
    requirementCount: pack.requirements.length,
  };
  if (!full) return base;
  const params = declaredParameters(pack, catalog.rules);
  return {
    ...base,
    requirements: pack.requirements,
    parameters: Object.fromEntries(
      [...params].map(([name, spec]) => [name, { ...spec, packValue: pack.parameters[name] ?? null }]),
    ),
    rules: rulesOf(pack, catalog.rules).map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      each: r.each,
      severity: r.severity,
      where: r.source.where ?? null,
      assert: r.source.assert,
      details: r.source.details ?? null,
      parameters: r.parameters,
      rationale: r.rationale,
      remediation: r.remediation,
      evidence: r.evidence ?? null,
      file: r.file,
      sha256: r.sha256,
    })),
    file: pack.file,
    sha256: pack.sha256,
  };
}
