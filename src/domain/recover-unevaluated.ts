/**
 * Start-up recovery: an ingest stores its snapshot, then evaluates; a process killed between the
 * two leaves a snapshot no evaluation has judged, and CI never got its verdict. At the next start
 * every such tenant is evaluated as that ingest would have been (its diff base: before the
 * snapshot arrived). A system context: it reads every tenant's snapshots.
 */
import { unevaluatedSnapshots } from '../db/snapshots.js';
import { getTenantById } from '../db/tenants.js';
import type { UseCaseContext } from './context.js';
import { runEvaluation } from './run-evaluation.js';

export async function recoverUnevaluated(ctx: UseCaseContext): Promise<number> {
  const pending = await ctx.db.transaction((tx) => unevaluatedSnapshots(tx));
  for (const p of pending) {
    const tenant = await ctx.db.transaction((tx) => getTenantById(tx, p.tenantId));
    if (tenant) await runEvaluation(ctx, { tenant, trigger: 'ingest', ingested: { receivedAt: p.receivedAt } });
  }
  return pending.length;
}
