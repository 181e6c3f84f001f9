/**
 * The tenant's report logo (printed on the cover of the reports it prepares: an MSP's reports and
 * its clients'). PNG or JPEG, recognised by their magic bytes, at most LOGO_MAX_BYTES.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../core/errors.js';
import { recordAudit } from '../db/audit.js';
import { readTenantLogo, writeTenantLogo, type LogoMediaType, type TenantLogo } from '../db/tenant-logo.js';
import type { TenantView } from '../db/tenants.js';
import { checkLogo } from '../reporting/layout/logo.js';
import type { UseCaseContext } from './context.js';

export const LOGO_MAX_BYTES = 512 * 1024;
/** what a client may declare: the two image types, or "bytes" (the magic bytes decide) */
export const LOGO_CONTENT_TYPES = ['image/png', 'image/jpeg', 'application/octet-stream'] as const;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

/** PNG or JPEG by the file's first bytes; undefined for anything else. */
export function sniffLogo(bytes: Buffer): LogoMediaType | undefined {
  if (bytes.subarray(0, 8).equals(PNG_MAGIC)) return 'image/png';
  if (bytes.subarray(0, 3).equals(JPEG_MAGIC)) return 'image/jpeg';
  return undefined;
}

export interface LogoInfo {
  mediaType: LogoMediaType;
  size: number;
  sha256: string;
  width: number;
  height: number;
}

/** The media type the body declared, checked (415) before its bytes are read. */
export function checkLogoContentType(contentType: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(LOGO_CONTENT_TYPES as readonly string[]).includes(type))
    throw new AppError(
      'unsupported_media_type',
      `a logo is sent as image/png or image/jpeg (or application/octet-stream), not ${type || 'without a Content-Type'}`,
    );
  return type;
}

/** Stores `bytes` as the tenant's logo, replacing any earlier one; 422 when it is not a usable PNG or JPEG. */
export async function setTenantLogo(
  ctx: UseCaseContext,
  tenant: TenantView,
  input: { contentType: string; bytes: Buffer },
): Promise<LogoInfo> {
  const mediaType = sniffLogo(input.bytes);
  const invalid = (message: string) =>
    new AppError('validation_failed', `the logo ${message}`, [{ pointer: '', message: `the logo ${message}` }]);
  if (input.bytes.length === 0) throw invalid('is empty');
  if (!mediaType) throw invalid('is neither a PNG nor a JPEG image (by its first bytes)');
  if (input.contentType !== 'application/octet-stream' && input.contentType !== mediaType)
    throw invalid(`was sent as ${input.contentType} but its bytes are ${mediaType}`);
  const size = await checkLogo(input.bytes).catch((err: unknown) => {
    const why = err instanceof Error && err.message ? err.message : 'its structure is not valid';
    throw invalid(`cannot be read as ${mediaType}: ${why}`);
  });
  const info: LogoInfo = {
    mediaType,
    size: input.bytes.length,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    ...size,
  };
  await ctx.db.transaction(async (tx) => {
    await writeTenantLogo(tx, tenant.id, { bytes: input.bytes, mediaType }, ctx.now);
    await audit(ctx, tx, tenant, 'tenant.logo.set', { mediaType, size: info.size, sha256: info.sha256 });
  });
  return info;
}

/** Removes the tenant's logo; 404 when it has none. */
export async function removeTenantLogo(ctx: UseCaseContext, tenant: TenantView): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    if (!(await readTenantLogo(tx, tenant.id))) throw noLogo(tenant);
    await writeTenantLogo(tx, tenant.id, null, ctx.now);
    await audit(ctx, tx, tenant, 'tenant.logo.remove', undefined);
  });
}

/** The tenant's logo; 404 when it has none. */
export async function getTenantLogo(ctx: UseCaseContext, tenant: TenantView): Promise<TenantLogo> {
  const logo = await ctx.db.transaction((tx) => readTenantLogo(tx, tenant.id));
  if (!logo) throw noLogo(tenant);
  return logo;
}

function noLogo(tenant: TenantView): AppError {
  return new AppError('not_found', `the tenant ${tenant.slug} has no logo`);
}

type Tx = Parameters<Parameters<UseCaseContext['db']['transaction']>[0]>[0];

function audit(
  ctx: UseCaseContext,
  tx: Tx,
  tenant: TenantView,
  action: string,
  detail: Record<string, unknown> | undefined,
): Promise<void> {
  return recordAudit(tx, {
    tenantId: tenant.id,
    actor: ctx.principal.sub,
    action,
    target: tenant.slug,
    requestId: ctx.requestId,
    detail,
    at: ctx.now,
  });
}
