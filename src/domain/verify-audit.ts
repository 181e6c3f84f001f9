/**
 * Check a tenant's audit chain: every row's hash over its content and its predecessor's hash, and
 * every link, in `seq` order. The answer names the first row where the chain breaks, and the head
 * (the last row's seq and hash): record it elsewhere to detect later that rows were cut off the end,
 * which a chain alone cannot show.
 */
import { AppError } from '../core/errors.js';
import { auditHash, chainRows, GENESIS } from '../db/audit.js';
import { listAllTenants } from '../db/tenants.js';
import type { ScopedDb } from '../db/scope.js';

export type AuditBreak =
  /** a row's content no longer matches its hash: it was edited */
  | 'content_altered'
  /** a row does not point at the hash of the row before it: rows were removed, inserted or reordered */
  | 'link_broken'
  /** a position is missing: a row was deleted */
  | 'row_missing';

export interface AuditVerdict {
  intact: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  brokenAt: { seq: number; id: string; reason: AuditBreak } | null;
}

const PAGE = 1000;

export async function verifyAuditChain(db: ScopedDb, tenantId: string): Promise<AuditVerdict> {
  let expected = { seq: 0, hash: GENESIS };
  let rows = 0;
  for (;;) {
    const after = expected.seq;
    const page = await db.transaction((tx) => chainRows(tx, tenantId, after, PAGE));
    for (const r of page) {
      const seq = r.seq!;
      const reason: AuditBreak | undefined =
        seq !== expected.seq + 1
          ? 'row_missing'
          : r.prevHash !== expected.hash
            ? 'link_broken'
            : auditHash(r.prevHash, r) !== r.hash
              ? 'content_altered'
              : undefined;
      if (reason) return { intact: false, rows, head: null, brokenAt: { seq, id: r.id, reason } };
      expected = { seq, hash: r.hash! };
      rows++;
    }
    if (page.length < PAGE) break;
  }
  return { intact: true, rows, head: rows === 0 ? null : expected, brokenAt: null };
}

/** Every tenant's chain (or one tenant's, by slug), by slug; a system context's work. */
export async function verifyAllAuditChains(system: ScopedDb, slug?: string): Promise<Map<string, AuditVerdict>> {
  const tenants = await system.transaction((tx) => listAllTenants(tx));
  const out = new Map<string, AuditVerdict>();
  for (const t of tenants.filter((x) => slug === undefined || x.slug === slug)) {
    out.set(t.slug, await verifyAuditChain(system, t.id));
  }
  if (slug !== undefined && out.size === 0) throw new AppError('tenant_not_found', `no tenant "${slug}"`);
  return out;
}
