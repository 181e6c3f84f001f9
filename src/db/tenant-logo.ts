/**
 * The tenant's report logo: its bytes are read only here (TenantRow leaves them out, so listing
 * tenants never drags half a megabyte per row along).
 */
import { eq } from 'drizzle-orm';
import type { Tx } from './client.js';
import { tenants } from './schema.js';

export type LogoMediaType = 'image/png' | 'image/jpeg';

export interface TenantLogo {
  bytes: Buffer;
  mediaType: LogoMediaType;
  /** when the tenant last changed (the logo's version for caches) */
  updatedAt: Date;
}

/** The tenant's logo, or undefined when it has none. */
export async function readTenantLogo(tx: Tx, tenantId: string): Promise<TenantLogo | undefined> {
  const rows = await tx
    .select({ bytes: tenants.logo, mediaType: tenants.logoMediaType, updatedAt: tenants.updatedAt })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  const row = rows[0];
  if (!row || row.bytes === null || row.mediaType === null) return undefined;
  return { bytes: Buffer.from(row.bytes), mediaType: row.mediaType, updatedAt: row.updatedAt };
}

/** Sets (or, with null, removes) the tenant's logo. */
export async function writeTenantLogo(
  tx: Tx,
  tenantId: string,
  logo: { bytes: Buffer; mediaType: LogoMediaType } | null,
  at: Date,
): Promise<void> {
  await tx
    .update(tenants)
    .set({ logo: logo?.bytes ?? null, logoMediaType: logo?.mediaType ?? null, updatedAt: at })
    .where(eq(tenants.id, tenantId));
}
