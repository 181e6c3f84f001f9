/**
 * `posture login-link` / `POST /v1/login-links`: a one-time token a person redeems, within
 * minutes, into a console session with the reach and role given here. Only its SHA-256 is kept;
 * the token itself is returned once. Minting for a tenant is recorded in that tenant's audit log.
 */
import { newSecret, sha256Hex } from '../auth/session-secrets.js';
import type { Role } from '../auth/scopes.js';
import { recordAudit } from '../db/audit.js';
import { insertLoginLink } from '../db/sessions.js';
import type { TenantView } from '../db/tenants.js';
import type { UseCaseContext } from './context.js';

/** A link lives ten minutes unless asked otherwise, and never more than a day. */
export const LOGIN_LINK_DEFAULT_SECONDS = 600;
export const LOGIN_LINK_MAX_SECONDS = 86_400;

export interface LoginLinkInput {
  /** the tenant the session reaches, or `*` (every tenant: only for a caller that reaches all) */
  tenant: TenantView | '*';
  role: Role;
  sub: string;
  name?: string;
  email?: string;
  ttlSeconds: number;
}

export interface LoginLink {
  token: string;
  expiresAt: Date;
}

export async function createLoginLink(
  ctx: Pick<UseCaseContext, 'db' | 'principal' | 'now' | 'requestId'>,
  input: LoginLinkInput,
): Promise<LoginLink> {
  const token = newSecret();
  const expiresAt = new Date(ctx.now.getTime() + input.ttlSeconds * 1000);
  const tenants = input.tenant === '*' ? ['*'] : [input.tenant.slug];
  await ctx.db.transaction(async (tx) => {
    await insertLoginLink(tx, {
      tokenHash: sha256Hex(token),
      subject: input.sub,
      name: input.name ?? null,
      email: input.email ?? null,
      tenants,
      role: input.role,
      createdBy: ctx.principal.sub,
      createdAt: ctx.now,
      expiresAt,
    });
    if (input.tenant === '*') return;
    await recordAudit(tx, {
      tenantId: input.tenant.id,
      actor: ctx.principal.sub,
      action: 'login_link.create',
      target: input.sub,
      requestId: ctx.requestId,
      detail: { role: input.role, expiresAt: expiresAt.toISOString() },
      at: ctx.now,
    });
  });
  return { token, expiresAt };
}
