/**
 * The append-only audit log, written in the same transaction as the change it records, as a
 * per-tenant hash chain: each row carries its position (`seq`), the SHA-256 of the previous row
 * of its tenant and its own SHA-256 over that and its content (RFC 8785 canonical JSON), so an
 * edited, deleted or reordered row breaks the chain where it happened. Writers of one tenant are
 * serialised by a per-tenant advisory transaction lock; audit rows are never deleted.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { and, asc, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { newId } from '../core/ids.js';
import type { Tx } from './client.js';
import { auditLog } from './schema.js';

export interface AuditEntry {
  tenantId: string;
  actor: string;
  action: string;
  target?: string;
  requestId?: string;
  detail?: Record<string, unknown>;
  at: Date;
}

export type AuditRow = typeof auditLog.$inferSelect;

export const GENESIS = '0'.repeat(64);

/** What a row's hash covers: everything it says, and where it sits in its tenant's chain. */
export function auditHash(prevHash: string, row: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  const content = canonicalize({
    tenantId: row.tenantId,
    seq: row.seq,
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target ?? null,
    requestId: row.requestId ?? null,
    detail: row.detail ?? null,
  });
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

async function lockChain(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit/${tenantId}`}, 0))`);
}

async function chainHead(tx: Tx, tenantId: string): Promise<{ seq: number; hash: string }> {
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(sql`${auditLog.seq} desc nulls last`)
    .limit(1);
  return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS };
}

export async function recordAudit(tx: Tx, e: AuditEntry): Promise<void> {
  await lockChain(tx, e.tenantId);
  const head = await chainHead(tx, e.tenantId);
  // jsonb keeps no undefined members: hash what will be read back
  const detail = e.detail === undefined ? null : (JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown>);
  const row = {
    ...e,
    id: newId(),
    seq: head.seq + 1,
    target: e.target ?? null,
    requestId: e.requestId ?? null,
    detail,
  };
  await tx.insert(auditLog).values({ ...row, prevHash: head.hash, hash: auditHash(head.hash, row) });
}

export async function listAudit(tx: Tx, tenantId: string, limit: number, before?: string) {
  return tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), before ? lt(auditLog.id, before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

/** Rows of a tenant's chain after `seq`, in chain order. */
export function chainRows(tx: Tx, tenantId: string, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), gt(auditLog.seq, afterSeq)))
    .orderBy(asc(auditLog.seq))
    .limit(limit);
}

/** Rows written before the chain existed (no seq): chained once, by (at, id), when migrating. */
export async function chainUnchainedRows(tx: Tx): Promise<number> {
  const rows = await tx.select().from(auditLog).where(isNull(auditLog.seq)).orderBy(asc(auditLog.at), asc(auditLog.id));
  const byTenant = new Map<string, AuditRow[]>();
  for (const r of rows) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r]);
  for (const [tenantId, list] of byTenant) {
    await lockChain(tx, tenantId);
    let head = await chainHead(tx, tenantId);
    for (const r of list) {
      const seq = head.seq + 1;
      const hash = auditHash(head.hash, { ...r, seq });
      await tx
        .update(auditLog)
        .set({ seq, prevHash: head.hash, hash })
        .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.id, r.id)));
      head = { seq, hash };
    }
  }
  return rows.length;
}
