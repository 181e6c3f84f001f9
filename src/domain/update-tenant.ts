import { recordAudit } from '../db/audit.js';
import { canReach, listClients, updateTenant as updateRow, type TenantView } from '../db/tenants.js';
import type { UseCaseContext } from './context.js';
import { checkExternalRefs, checkPacks } from './tenant-rules.js';
import { toTenantDto, type TenantDto } from './tenant-view.js';

export interface UpdateTenantInput {
  name?: string;
  externalRefs?: Record<string, string>;
  packs?: string[];
}

/** Name, external references and default packs change; slug, kind and parent do not. */
export async function updateTenant(
  ctx: UseCaseContext,
  tenant: TenantView,
  input: UpdateTenantInput,
  knownPacks: readonly string[],
): Promise<TenantDto> {
  checkPacks(input.packs, knownPacks);
  const parentId = tenant.parentId;
  if (input.externalRefs && parentId) {
    // a client token does not reach its siblings, but their references must not be taken either
    const siblings = await ctx
      .system("an MSP's clients' external references")
      .transaction((tx) => listClients(tx, parentId));
    const reachable = (slug: string) => canReach(ctx.principal.tenants, { slug, parentSlug: tenant.parentSlug });
    checkExternalRefs(input.externalRefs, siblings, tenant.id, reachable);
  }
  return ctx.db.transaction(async (tx) => {
    await updateRow(tx, tenant.id, input, ctx.now);
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: ctx.principal.sub,
      action: 'tenant.update',
      target: tenant.slug,
      requestId: ctx.requestId,
      detail: { fields: Object.keys(input) },
      at: ctx.now,
    });
    return toTenantDto({ ...tenant, ...input, updatedAt: ctx.now });
  });
}
