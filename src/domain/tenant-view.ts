import type { TenantView } from '../db/tenants.js';

/** The API shape of a tenant: the parent by slug, never by internal id. */
export interface TenantDto {
  id: string;
  slug: string;
  name: string;
  kind: 'msp' | 'client';
  parent: string | null;
  externalRefs: Record<string, string>;
  packs: string[];
  createdAt: string;
  updatedAt: string;
}

export function toTenantDto(t: TenantView): TenantDto {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    kind: t.kind,
    parent: t.parentSlug,
    externalRefs: t.externalRefs,
    packs: t.packs,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/**
 * Packs that run by default for a new tenant: every framework for clients; for an MSP, technician
 * hygiene only (client frameworks are opt-in for an MSP: `packs` on create, or PATCH). Tenants
 * created before keep the packs they were given.
 */
export const DEFAULT_PACKS = {
  client: ['hipaa-security-rule', 'pci-dss-4.0.1', 'cis-controls-8.1'],
  msp: ['msp-technician-hygiene'],
} as const;
