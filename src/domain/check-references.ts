/**
 * Objects a request names — in its path, or in its body (`evaluationId`, `parent`) — must be
 * within the caller's reach, checked before its scope: another tenant's id is a 404 exactly like a
 * missing one (the contract's order 401 → 404 → 403), so a token without the scope learns nothing
 * about which ids exist elsewhere either.
 */
import type { Principal } from '../auth/scopes.js';
import { AppError, type ErrorCode, type ProblemDetail } from '../core/errors.js';
import { isUuid } from '../core/ids.js';
import type { ScopedDb } from '../db/scope.js';
import { type ObjectType, objectInTenant } from '../db/objects.js';
import type { TenantView } from '../db/tenants.js';
import { findReachableTenant } from './read-tenants.js';

export interface Reference {
  type: ObjectType | 'tenant';
  /** an id, or a tenant slug */
  value: unknown;
  /** where it was named, for the 404's detail */
  at?: ProblemDetail;
}

export async function checkReferences(
  db: ScopedDb,
  principal: Principal,
  tenant: TenantView | undefined,
  refs: readonly Reference[],
): Promise<void> {
  for (const ref of refs) {
    if (typeof ref.value !== 'string') continue; // left to the schema check
    if (ref.type === 'tenant') {
      await findReachableTenant(db, principal, ref.value);
      continue;
    }
    const id = ref.value;
    const type = ref.type;
    const found =
      tenant !== undefined && isUuid(id) && (await db.transaction((tx) => objectInTenant(tx, type, tenant.id, id)));
    if (!found) {
      const code = `${ref.type}_not_found` as ErrorCode;
      throw new AppError(code, `no ${ref.type} "${ref.value}"`, ref.at ? [ref.at] : []);
    }
  }
}
