/** Waivers: accepted risks for a rule (and optionally one pack) on matching items, for at most a year. */
import { recordAudit } from '../db/audit.js';
import { newId } from '../core/ids.js';
import type { TenantView } from '../db/tenants.js';
import { approveWaiver, getWaiver, insertWaiver, revokeWaiver, type WaiverRow } from '../db/waivers.js';
import { rulesOf } from '../engine/parameters.js';
import { AppError } from '../core/errors.js';
import { globProblem } from '../core/glob.js';
import type { UseCaseContext } from './context.js';

export interface CreateWaiverInput {
  ruleId: string;
  packId?: string;
  itemMatch: string;
  justification: string;
  /** refused: approval is its own call, by another person (kept in the schema to say so) */
  approvedBy?: unknown;
  expiresAt: string;
}

/**
 * Was this waiver in force at `at`? Approved by then (a waiver approved later did not apply to an
 * evaluation as of before), not yet expired, not revoked by then. Pending and rejected never apply.
 */
export function inForceAt(w: WaiverRow, at: Date): boolean {
  return (
    w.status === 'approved' &&
    w.approvedAt !== null &&
    w.approvedAt <= at &&
    w.expiresAt > at &&
    (w.revokedAt === null || w.revokedAt > at)
  );
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
    status: w.status,
    requestedBy: { sub: w.createdBy, name: w.createdByName, email: w.createdByEmail },
    approvedBy: w.approvedBy,
    approver:
      w.status === 'approved' && w.approvedBy !== null
        ? { sub: w.approvedBy, name: w.approvedByName, email: w.approvedByEmail }
        : null,
    approvedAt: w.approvedAt?.toISOString() ?? null,
    createdBy: w.createdBy,
    createdAt: w.createdAt.toISOString(),
    expiresAt: w.expiresAt.toISOString(),
    revokedAt: w.revokedAt?.toISOString() ?? null,
    revokedBy: w.revokedBy,
    active: invalidReason === null && inForceAt(w, now),
    valid: invalidReason === null,
    invalidReason: invalidReason === null ? null : `itemMatch: ${invalidReason}`,
  };
}

/** A waiver request: stored pending; it applies only once another person approves it. */
export async function createWaiver(ctx: UseCaseContext, tenant: TenantView, input: CreateWaiverInput) {
  if (input.approvedBy !== undefined)
    throw new AppError('validation_failed', 'a waiver is approved by another person, in its own call', [
      {
        pointer: '/approvedBy',
        message: `approval is POST /v1/tenants/${tenant.slug}/waivers/{id}/approve, by someone other than the requester with waivers:approve`,
      },
    ]);
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
    status: 'pending' as const,
    approvedBy: null,
    approvedByName: null,
    approvedByEmail: null,
    approvedAt: null,
    createdBy: ctx.principal.sub,
    createdByName: ctx.principal.name ?? null,
    createdByEmail: ctx.principal.email ?? null,
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

/**
 * Approve a pending waiver: by a subject other than the requester (segregation of duties), while
 * it is pending and not yet expired. It applies to evaluations as of its approval on.
 */
export async function approveWaiverById(ctx: UseCaseContext, tenant: TenantView, id: string) {
  return ctx.db.transaction(async (tx) => {
    const w = await getWaiver(tx, tenant.id, id);
    if (!w) throw new AppError('waiver_not_found', `no waiver "${id}"`);
    if (w.status !== 'pending')
      throw new AppError('waiver_not_pending', `the waiver is ${w.status}: only a pending waiver can be approved`);
    if (w.expiresAt <= ctx.now)
      throw new AppError('waiver_not_pending', 'the waiver expired before anyone approved it: request a new one');
    if (w.createdBy === ctx.principal.sub)
      throw new AppError(
        'same_person',
        'a waiver is approved by someone other than the person who requested it (segregation of duties)',
      );
    const approved = await approveWaiver(tx, tenant.id, id, {
      approvedBy: ctx.principal.sub,
      approvedByName: ctx.principal.name ?? null,
      approvedByEmail: ctx.principal.email ?? null,
      approvedAt: ctx.now,
    });
    if (!approved) throw new AppError('waiver_not_pending', 'the waiver was approved or rejected meanwhile');
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: ctx.principal.sub,
      action: 'waiver.approve',
      target: id,
      requestId: ctx.requestId,
      detail: { requestedBy: w.createdBy, ruleId: w.ruleId, itemMatch: w.itemMatch },
      at: ctx.now,
    });
    return toWaiverDto((await getWaiver(tx, tenant.id, id))!, ctx.now);
  });
}

/**
 * Revoke an approved waiver, or reject a pending one: the row stays either way (the audit trail
 * of what was requested or accepted, when, by whom).
 */
export async function revokeWaiverById(ctx: UseCaseContext, tenant: TenantView, id: string) {
  return ctx.db.transaction(async (tx) => {
    const w = await getWaiver(tx, tenant.id, id);
    if (!w) throw new AppError('waiver_not_found', `no waiver "${id}"`);
    if (w.revokedAt === null) {
      const rejecting = w.status === 'pending';
      await revokeWaiver(tx, tenant.id, id, ctx.principal.sub, ctx.now, rejecting ? 'rejected' : w.status);
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor: ctx.principal.sub,
        action: rejecting ? 'waiver.reject' : 'waiver.revoke',
        target: id,
        requestId: ctx.requestId,
        at: ctx.now,
      });
    }
    return toWaiverDto((await getWaiver(tx, tenant.id, id))!, ctx.now);
  });
}
