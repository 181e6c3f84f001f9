/**
 * The MSP overview: for the MSP and each of its clients, per pack the latest three figures, open
 * critical/high, findings new since last week and a score series; the oldest evidence by kind;
 * waivers and attestations expiring within 30 days. Four set-based reads in one transaction.
 */
import type { ScoreFigure } from '../core/results.js';
import { figure } from '../core/scores.js';
import {
  expiring,
  newSince,
  type OverviewQuery,
  oldestEvidence,
  type ScoreSeriesRow,
  scoreSeries,
} from '../db/overview.js';
import type { ScopedDb } from '../db/scope.js';
import { listClients, type TenantView } from '../db/tenants.js';

const DAY_MS = 86_400_000;
export const NEW_SINCE_DAYS = 7;
export const EXPIRING_DAYS = 30;

export interface OverviewInput {
  tenant: TenantView;
  now: Date;
  /** the packs of the catalog: evaluations of a pack a later release dropped are not shown */
  knownPacks: readonly string[];
  /** evaluations per (tenant, pack) in each series */
  limit: number;
  pack?: string;
}

interface Figures {
  verified: ScoreFigure;
  withAttestations: ScoreFigure;
  withWaivers: ScoreFigure;
}

export interface PackOverview extends Figures {
  pack: string;
  evaluationId: string;
  asOf: string;
  open: { critical: number; high: number; medium: number; low: number; info: number };
  newSinceLastWeek: number;
  /** oldest first, the latest last */
  series: {
    evaluationId: string;
    asOf: string;
    verified: number | null;
    withAttestations: number | null;
    withWaivers: number | null;
  }[];
}

export interface TenantOverview {
  slug: string;
  name: string;
  kind: 'msp' | 'client';
  packs: PackOverview[];
  oldestEvidence: { kind: string; collectedAt: string }[];
  expiring: { waivers: Expiring; attestations: Expiring };
}

interface Expiring {
  count: number;
  next: string | null;
}

export interface Overview {
  tenant: string;
  asOf: string;
  newSince: string;
  expiringBy: string;
  tenants: TenantOverview[];
}

export async function readOverview(db: ScopedDb, input: OverviewInput): Promise<Overview> {
  const { tenant, now } = input;
  return db.transaction(async (tx) => {
    const clients = tenant.kind === 'msp' ? await listClients(tx, tenant.id) : [];
    const all = [tenant, ...clients];
    const q: OverviewQuery = {
      tenantIds: all.map((t) => t.id),
      now,
      since: new Date(now.getTime() - NEW_SINCE_DAYS * DAY_MS),
      expiringBy: new Date(now.getTime() + EXPIRING_DAYS * DAY_MS),
      limit: input.limit,
      packIds: input.pack === undefined ? input.knownPacks : [input.pack],
      pack: input.pack,
    };
    // NOTE: one after another on the transaction's connection; each covers every tenant at once
    const series = await scoreSeries(tx, q);
    const fresh = await newSince(tx, q);
    const evidence = await oldestEvidence(tx, q);
    const soon = await expiring(tx, q);
    const newBy = new Map(fresh.map((r) => [`${r.tenant_id}\0${r.pack_id}`, r.n]));
    const seriesBy = groupBy(series);
    const evidenceBy = groupBy(evidence);
    const soonBy = groupBy(soon);
    return {
      tenant: tenant.slug,
      asOf: now.toISOString(),
      newSince: q.since.toISOString(),
      expiringBy: q.expiringBy.toISOString(),
      tenants: all.map((t) => ({
        slug: t.slug,
        name: t.name,
        kind: t.kind,
        packs: packsOf(seriesBy.get(t.id) ?? [], newBy),
        oldestEvidence: (evidenceBy.get(t.id) ?? [])
          .map((r) => ({ kind: r.kind, collectedAt: iso(r.collected_at) }))
          .sort((a, b) => a.kind.localeCompare(b.kind)),
        expiring: {
          waivers: expiringOf(soonBy.get(t.id)?.find((r) => r.what === 'waiver')),
          attestations: expiringOf(soonBy.get(t.id)?.find((r) => r.what === 'attestation')),
        },
      })),
    };
  });
}

function packsOf(rows: readonly ScoreSeriesRow[], newBy: ReadonlyMap<string, number>): PackOverview[] {
  const byPack = new Map<string, ScoreSeriesRow[]>();
  for (const r of rows) {
    const list = byPack.get(r.pack_id);
    if (list) list.push(r);
    else byPack.set(r.pack_id, [r]);
  }
  return [...byPack.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([pack, list]) => {
      const ordered = [...list].sort((a, b) => b.rn - a.rn);
      const latest = ordered.at(-1)!;
      return {
        pack,
        evaluationId: latest.evaluation_id,
        asOf: iso(latest.as_of),
        ...figuresOf(latest),
        open: {
          critical: latest.open_critical,
          high: latest.open_high,
          medium: latest.open_medium,
          low: latest.open_low,
          info: latest.open_info,
        },
        newSinceLastWeek: newBy.get(`${latest.tenant_id}\0${pack}`) ?? 0,
        series: ordered.map((r) => {
          const f = figuresOf(r);
          return {
            evaluationId: r.evaluation_id,
            asOf: iso(r.as_of),
            verified: f.verified.value,
            withAttestations: f.withAttestations.value,
            withWaivers: f.withWaivers.value,
          };
        }),
      };
    });
}

function figuresOf(r: ScoreSeriesRow): Figures {
  return {
    verified: figure(r.verified_numerator, r.verified_denominator),
    withAttestations: figure(r.with_attestations_numerator, r.with_attestations_denominator),
    withWaivers: figure(r.with_waivers_numerator, r.with_waivers_denominator),
  };
}

function expiringOf(r: { n: number; next_at: Date | string } | undefined): Expiring {
  return r ? { count: r.n, next: iso(r.next_at) } : { count: 0, next: null };
}

const iso = (v: Date | string) => new Date(v).toISOString();

function groupBy<T extends { tenant_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.tenant_id);
    if (list) list.push(r);
    else out.set(r.tenant_id, [r]);
  }
  return out;
}
