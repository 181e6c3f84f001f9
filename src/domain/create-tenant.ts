import { widenReach } from '../db/scope.js';
import { AppError } from '../core/errors.js';
import { recordAudit } from '../db/audit.js';
import { newId } from '../core/ids.js';
import { canReach, findTenantBySlug, insertTenant, listClients, type TenantView } from '../db/tenants.js';
import type { UseCaseContext } from './context.js';
import { checkExternalRefs, checkPacks } from './tenant-rules.js';
import { DEFAULT_PACKS, toTenantDto, type TenantDto } from './tenant-view.js';

export interface CreateTenantInput {
  slug: string;
  name: string;
  kind: 'msp' | 'client';
  parent?: string;
  externalRefs?: Record<string, string>;
  packs?: string[];
}

/**
 * A client under an MSP the caller reaches, or — for a deployment-wide admin only — a top-level
 * tenant. A parent outside the caller's reach is 404, exactly as if it did not exist.
 */
export async function createTenant(
  ctx: UseCaseContext,
  input: CreateTenantInput,
  knownPacks: readonly string[],
): Promise<TenantDto> {
  checkPacks(input.packs, knownPacks);
  // Slugs are deployment-wide: whether one is taken is read across tenants (never whose it is).
  const taken = await ctx.system('is a tenant slug taken').transaction((tx) => findTenantBySlug(tx, input.slug));
  return ctx.db.transaction(async (tx) => {
    const parent = await resolveParent(ctx, tx, input);
    if (taken)
      throw new AppError('slug_taken', `the slug "${input.slug}" is taken`, [
        { pointer: '/slug', message: 'is taken' },
      ]);
    const externalRefs = input.externalRefs ?? {};
    if (parent) checkExternalRefs(externalRefs, await listClients(tx, parent.id), undefined);
    const row = {
      id: newId(),
      slug: input.slug,
      name: input.name,
      kind: input.kind,
      parentId: parent?.id ?? null,
      externalRefs,
      packs: input.packs ?? [...DEFAULT_PACKS[input.kind]],
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    // the new tenant's own rows (its audit entry) are written in this transaction: it joins the reach
    await widenReach(tx, ctx.db.reach, [row.id]);
    await insertTenant(tx, row);
    await recordAudit(tx, {
      tenantId: row.id,
      actor: ctx.principal.sub,
      action: 'tenant.create',
      target: row.slug,
      requestId: ctx.requestId,
      at: ctx.now,
    });
    return toTenantDto({ ...row, parentSlug: parent?.slug ?? null });
  });
}

async function resolveParent(
  ctx: UseCaseContext,
  tx: Parameters<typeof findTenantBySlug>[0],
  input: CreateTenantInput,
): Promise<TenantView | undefined> {
  if (input.parent === undefined) {
    if (!ctx.principal.tenants.includes('*') || !ctx.principal.scopes.has('tenants:admin')) {
      throw new AppError(
        'forbidden',
        'creating a top-level tenant needs a deployment-wide token (tenants ["*"]) with tenants:admin; give "parent" to create a client of your MSP',
      );
    }
    return undefined;
  }
  const parent = await findTenantBySlug(tx, input.parent);
  if (!parent || !canReach(ctx.principal.tenants, parent)) {
    throw new AppError('tenant_not_found', `no tenant "${input.parent}"`, [
      { pointer: '/parent', message: 'no such tenant' },
    ]);
  }
  if (parent.kind !== 'msp')
    throw new AppError('validation_failed', 'the parent must be an MSP tenant', [
      { pointer: '/parent', message: 'is not an MSP tenant' },
    ]);
  if (input.kind !== 'client')
    throw new AppError('validation_failed', 'only client tenants have a parent', [
      { pointer: '/kind', message: 'must be "client" when a parent is given' },
    ]);
  return parent;
}
