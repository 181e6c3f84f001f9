/** The append-only audit log: written in the same transaction as the change it records. */
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Tx } from './client.js';
import { newId } from '../core/ids.js';
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

export async function recordAudit(tx: Tx, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({ id: newId(), ...e });
}

export async function listAudit(tx: Tx, tenantId: string, limit: number, before?: string) {
  return tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), before ? lt(auditLog.id, before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
