import { recordAudit } from '../db/audit.js';
import { replaceParameters } from '../db/parameters.js';
import type { TenantView } from '../db/tenants.js';
import { checkPackParameters } from '../engine/parameters.js';
import { AppError, type ProblemDetail } from '../core/errors.js';
import type { UseCaseContext } from './context.js';

export type ParameterValues = Record<string, Record<string, unknown>>;

/** Replace the tenant's overrides; each must be a parameter a rule of that pack declares, of its type. */
export async function setParameters(
  ctx: UseCaseContext,
  tenant: TenantView,
  values: ParameterValues,
): Promise<ParameterValues> {
  const problems: ProblemDetail[] = [];
  for (const [packId, v] of Object.entries(values)) {
    const pack = ctx.catalog.packs.get(packId);
    if (!pack) {
      problems.push({
        pointer: `/${packId}`,
        message: `no pack "${packId}"; the packs are: ${[...ctx.catalog.packs.keys()].join(', ')}`,
      });
      continue;
    }
    for (const p of checkPackParameters(pack, ctx.catalog.rules, v))
      problems.push({ pointer: `/${packId}${p.pointer}`, message: p.message });
  }
  if (problems.length > 0)
    throw new AppError('validation_failed', `${problems[0]!.pointer} ${problems[0]!.message}`, problems);
  await ctx.db.transaction(async (tx) => {
    await replaceParameters(tx, tenant.id, values, ctx.principal.sub, ctx.now);
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: ctx.principal.sub,
      action: 'parameters.replace',
      target: tenant.slug,
      requestId: ctx.requestId,
      detail: { values },
      at: ctx.now,
    });
  });
  return values;
}
