/** Waivers: accepted risks for a rule (and optionally one pack) on matching items, for at most a year. */
import { recordAudit } from '../db/audit.js';
import { newId } from '../core/ids.js';
import type { TenantView } from '../db/tenants.js';
import { getWaiver, insertWaiver, revokeWaiver, type WaiverRow } from '../db/waivers.js';
import { rulesOf } from '../engine/parameters.js';
import { AppError } from '../core/errors.js';
import { globProblem } from '../core/glob.js';
import type { UseCaseContext } from './context.js';

export interface CreateWaiverInput {
  ruleId: string;
  packId?: string;
  itemMatch: string;
  justification: string;
  approvedBy: string;
  expiresAt: string;
}

const MAX_DAYS = 366;

/**
 * A waiver as the API shows it. `valid: false` (with `invalidReason`) marks a waiver stored before
 * the glob grammar was enforced whose `itemMatch` it cannot read: such a waiver is never applied,
 * so it is never `active`, but it stays listed until someone revokes or replaces it.
 */
export function toWaiverDto(w: WaiverRow, now: Date) {
  const invalidReason = globProblem(w.itemMatch) ?? null;
  return {
    id: w.id,
    ruleId: w.ruleId,
    packId: w.packId,
    itemMatch: w.itemMatch,
    justification: w.justification,
    approvedBy: w.approvedBy,
    createdBy: w.createdBy,
    createdAt: w.createdAt.toISOString(),
    expiresAt: w.expiresAt.toISOString(),
    revokedAt: w.revokedAt?.toISOString() ?? null,
    revokedBy: w.revokedBy,
    active: invalidReason === null && w.revokedAt === null && w.expiresAt > now,
    valid: invalidReason === null,
    invalidReason: invalidReason === null ? null : `itemMatch: ${invalidReason}`,
  };
}

export async function createWaiver(ctx: UseCaseContext, tenant: TenantView, input: CreateWaiverInput) {
  if (!ctx.catalog.rules.has(input.ruleId))
    throw new AppError('validation_failed', `no rule "${input.ruleId}"`, [
      { pointer: '/ruleId', message: 'names no rule' },
    ]);
  if (input.packId !== undefined) {
    const pack = ctx.catalog.packs.get(input.packId);
    if (!pack)
      throw new AppError('validation_failed', `no pack "${input.packId}"`, [
        { pointer: '/packId', message: 'names no pack' },
      ]);
    if (!rulesOf(pack, ctx.catalog.rules).some((r) => r.id === input.ruleId)) {
      throw new AppError('validation_failed', `pack ${input.packId} does not use rule ${input.ruleId}`, [
        { pointer: '/packId', message: 'does not use this rule' },
      ]);
    }
  }
  const globError = globProblem(input.itemMatch);
  if (globError !== undefined) {
    throw new AppError('validation_failed', `itemMatch is not a glob this service reads: ${globError}`, [
      { pointer: '/itemMatch', message: `${globError} (an exact id, or *, ?, [a-z], [!a-z] and \\ escapes)` },
    ]);
  }
  const expiresAt = new Date(input.expiresAt);
  const days = (expiresAt.getTime() - ctx.now.getTime()) / 86_400_000;
  if (days <= 0 || days > MAX_DAYS) {
    throw new AppError('validation_failed', 'a waiver expires in the future and at most a year ahead', [
      { pointer: '/expiresAt', message: `must be after now and at most ${MAX_DAYS} days ahead` },
    ]);
  }
  const row = {
    tenantId: tenant.id,
    id: newId(),
    ruleId: input.ruleId,
    packId: input.packId ?? null,
    itemMatch: input.itemMatch,
    justification: input.justification,
    approvedBy: input.approvedBy,
    createdBy: ctx.principal.sub,
    createdAt: ctx.now,
    expiresAt,
    revokedAt: null,
    revokedBy: null,
  };
  await ctx.db.transaction(async (tx) => {
    await insertWaiver(tx, row);
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: ctx.principal.sub,
      action: 'waiver.create',
      target: row.id,
      requestId: ctx.requestId,
      detail: { ruleId: row.ruleId, itemMatch: row.itemMatch },
      at: ctx.now,
    });
  });
  return toWaiverDto(row, ctx.now);
}

/** Revoke: the row stays (the audit trail of what was accepted, when, by whom). */
export async function revokeWaiverById(ctx: UseCaseContext, tenant: TenantView, id: string) {
  return ctx.db.transaction(async (tx) => {
    const w = await getWaiver(tx, tenant.id, id);
    if (!w) throw new AppError('waiver_not_found', `no waiver "${id}"`);
    if (w.revokedAt === null) {
      await revokeWaiver(tx, tenant.id, id, ctx.principal.sub, ctx.now);
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor: ctx.principal.sub,
        action: 'waiver.revoke',
        target: id,
        requestId: ctx.requestId,
        at: ctx.now,
      });
    }
    return toWaiverDto((await getWaiver(tx, tenant.id, id))!, ctx.now);
  });
}
