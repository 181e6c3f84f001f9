/**
 * "Your MSP's technicians" in a client's report. The one place a tenant's request reads another
 * tenant's data: the parent MSP's technician-hygiene evaluation as of the client evaluation's
 * asOf, its technician snapshots and its findings — and only for the technicians whose client
 * access names this client ("can reach"), is every client ("*": can reach), or is unknown
 * (null: "may reach"). It also returns the evidence behind the section (the MSP's technician
 * snapshots and the hashes of the pack and rule files its evaluation used) for the manifest.
 */
import { type ScopedDb, widenReach } from '../db/scope.js';
import type { Tx } from '../db/client.js';
import {
  findingsOfPack,
  latestEvaluationOfPack,
  type PackFindingRow,
  snapshotDocuments,
  tenantRef,
} from '../db/msp-evidence.js';
import type { TenantView } from '../db/tenants.js';
import type { Technician } from '../schemas/canonical-types.js';
import type { SnapshotKind } from '../schemas/canonical.js';
import type {
  ManifestSnapshot,
  MspManifest,
  TechnicianProblem,
  TechnicianReach,
  TechnicianSection,
} from '../reporting/report-data.js';
import type { Catalog } from '../engine/catalog.js';
import { renderMessage } from '../engine/expressions.js';
import { judge } from '../engine/judge.js';

export const TECHNICIAN_PACK = 'msp-technician-hygiene';

export interface MspTechnicians {
  section: TechnicianSection;
  /** what the section was judged on, for the evidence manifest; null when the MSP has no evaluation as of then */
  evidence: MspManifest | null;
}

/**
 * The section of `client`'s report, from the MSP's latest technician-hygiene evaluation whose
 * asOf is at or before `asOf` (the client evaluation's): what the MSP knew at the time the
 * client's report speaks of, never a later evaluation.
 */
export async function readMspTechnicians(
  db: ScopedDb,
  client: TenantView,
  catalog: Catalog,
  asOf: Date,
): Promise<MspTechnicians | null> {
  if (client.kind !== 'client' || client.parentId === null) return null;
  const parentId = client.parentId;
  // NOTE: the one read of another tenant's rows a client's request makes — its own MSP's, widened
  // into this transaction's reach explicitly (a client token does not reach its MSP).
  return db.transaction(async (tx) => {
    await widenReach(tx, db.reach, [parentId]);
    return readSection(tx, client, parentId, catalog, asOf);
  });
}

async function readSection(
  db: Tx,
  client: TenantView,
  parentId: string,
  catalog: Catalog,
  asOf: Date,
): Promise<MspTechnicians | null> {
  const msp = await tenantRef(db, parentId);
  if (!msp) return null;
  const mspRef = { slug: msp.slug, name: msp.name };
  const evaluation = await latestEvaluationOfPack(db, msp.id, TECHNICIAN_PACK, asOf);
  if (!evaluation) return { section: { msp: mspRef, evaluation: null, reach: [] }, evidence: null };
  const docs = await snapshotDocuments(db, msp.id, evaluation.snapshotIds, 'technicians');
  docs.sort((a, b) => byText(`${a.source}/${a.instance}/${a.id}`, `${b.source}/${b.instance}/${b.id}`));
  const rows = await findingsOfPack(db, msp.id, evaluation.id, TECHNICIAN_PACK);
  const params =
    ((evaluation.parameters ?? {}) as Record<string, Record<string, Record<string, unknown>>>)[TECHNICIAN_PACK] ?? {};
  const problem = (p: PackFindingRow, t?: Technician): TechnicianProblem => ({
    ruleId: p.ruleId,
    title: catalog.rules.get(p.ruleId)?.title ?? p.ruleId,
    status: p.status,
    severity: p.severity,
    message: t ? messageFor(catalog, p, clientView(t, client.slug), params[p.ruleId] ?? {}) : p.message,
  });

  const reach: TechnicianReach[] = [];
  for (const d of docs) {
    const doc = d.normalized as { technicians?: Technician[] };
    // Findings about the whole export (item null: every technician of it collapsed into one).
    const exportWide = rows.filter((p) => p.itemId === null && p.snapshotId === d.id);
    for (const t of doc.technicians ?? []) {
      const access =
        t.clientAccess === null
          ? 'may'
          : t.clientAccess.includes('*') || t.clientAccess.includes(client.slug)
            ? 'can'
            : undefined;
      if (!access) continue;
      const own = rows.filter(
        (p) => p.itemId === t.id && p.source === t.source && (p.snapshotId === null || p.snapshotId === d.id),
      );
      const snapshot = {
        id: d.id,
        kind: d.kind as SnapshotKind,
        source: d.source,
        instance: d.instance,
        document: doc,
      };
      // An export-wide finding speaks of the technicians the rule applies to: not of one its `where` leaves out.
      const wide = exportWide.filter((p) => {
        const rule = catalog.rules.get(p.ruleId);
        if (!rule) return true;
        const verdict = judge(
          rule,
          params[p.ruleId] ?? {},
          { item: t as unknown as Record<string, unknown>, snapshot, doc },
          evaluation.asOf,
        );
        return verdict.state !== 'not_applicable';
      });
      reach.push({
        technician: { id: t.id, name: t.name, source: t.source, status: t.status, privileged: t.privileged ?? null },
        access,
        problems: [...own.map((p) => problem(p, t)), ...wide.map((p) => ({ ...problem(p), wholeExport: true }))].sort(
          (a, b) => byText(a.ruleId, b.ruleId) || byText(a.message, b.message),
        ),
      });
    }
  }
  const manifest: ManifestSnapshot[] = docs.map(({ normalized: _n, ...s }) => s);
  return {
    section: { msp: mspRef, evaluation: { id: evaluation.id, asOf: evaluation.asOf }, reach },
    evidence: {
      msp: mspRef,
      evaluationId: evaluation.id,
      snapshots: manifest,
      files: packFiles(catalog, evaluation.fileHashes, [TECHNICIAN_PACK]),
    },
  };
}

/**
 * A technician as one client may see it: its client access names that client and counts the
 * others — a client's report never names its sibling clients (the MSP's findings list them all).
 */
export function clientView(
  t: Technician,
  clientSlug: string,
): Omit<Technician, 'clientAccess'> & { clientAccess: string | null } {
  if (t.clientAccess === null) return { ...t, clientAccess: null };
  const others = t.clientAccess.filter((s) => s !== clientSlug && s !== '*').length;
  const named = t.clientAccess.includes('*')
    ? 'every client'
    : [
        t.clientAccess.includes(clientSlug) ? clientSlug : '',
        others > 0 ? `${others} other client${others === 1 ? '' : 's'}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
  return { ...t, clientAccess: named || 'no client' };
}

/**
 * A failing finding's message rendered again from its rule over the client's view of the
 * technician; other findings say nothing of a technician's clients and keep their text.
 */
function messageFor(catalog: Catalog, p: PackFindingRow, view: unknown, params: Record<string, unknown>): string {
  const rule = catalog.rules.get(p.ruleId);
  return rule && p.status === 'fail' ? renderMessage(rule.message, view, params) : p.message;
}

/** The hashes an evaluation recorded (`fileHashes`) of the given packs' files and their rules' files. */
export function packFiles(
  catalog: Catalog,
  fileHashes: Record<string, string>,
  packs: readonly string[],
): { path: string; sha256: string }[] {
  const wanted = new Set<string>();
  for (const id of packs) {
    const pack = catalog.packs.get(id);
    if (!pack) continue;
    wanted.add(pack.file);
    for (const q of pack.requirements) for (const r of q.rules) wanted.add(catalog.rules.get(r)?.file ?? '');
  }
  return Object.entries(fileHashes)
    .filter(([path]) => wanted.has(path))
    .map(([path, sha256]) => ({ path, sha256 }));
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
