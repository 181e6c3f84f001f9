import type { Role } from '../../../auth/scopes.js';
import { ROLE_NAMES } from '../../../auth/scopes.js';
import { AppError } from '../../../core/errors.js';
import {
  createLoginLink,
  LOGIN_LINK_DEFAULT_SECONDS,
  LOGIN_LINK_MAX_SECONDS,
} from '../../../domain/create-login-link.js';
import { findReachableTenant } from '../../../domain/read-tenants.js';
import { defineRoute } from '../../route.js';
import { errorResponses, SLUG_PATTERN } from '../../schemas.js';
import { ownOrigin } from '../../session-cookie.js';
import { loginLinkSchema } from './schemas.js';

interface Body {
  tenant: string;
  role: Role;
  sub: string;
  name?: string;
  email?: string;
  ttlSeconds?: number;
}

export default defineRoute<Record<string, never>, Body>({
  method: 'post',
  path: '/v1/login-links',
  operationId: 'createLoginLink',
  summary:
    'Mint a one-time console sign-in link (what `posture login-link` calls): redeemed once, before it expires, into a session for this tenant and role',
  tag: 'sessions',
  auth: 'tenants:admin',
  audit: 'login_link.create',
  body: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['tenant', 'role', 'sub'],
      properties: {
        tenant: { type: 'string', anyOf: [{ const: '*' }, { pattern: SLUG_PATTERN }] },
        role: { type: 'string', enum: ROLE_NAMES },
        sub: { type: 'string', minLength: 1, maxLength: 200, pattern: '^\\S(.*\\S)?$' },
        name: { type: 'string', minLength: 1, maxLength: 200 },
        email: { type: 'string', format: 'email', maxLength: 200 },
        ttlSeconds: { type: 'integer', minimum: 60, maximum: LOGIN_LINK_MAX_SECONDS },
      },
    },
    example: { tenant: 'acme-dental', role: 'officer', sub: 'alice@acme.example', name: 'Alice Example' },
  },
  responses: {
    201: { description: 'the link, shown once', schema: loginLinkSchema },
    ...errorResponses(401, 403, 404, 422),
  },
  handler: async ({ req, deps, principal, body, ctx }) => {
    if (body.tenant === '*' && !principal.tenants.includes('*')) {
      throw new AppError('tenant_not_found', 'a link for every tenant needs a token that reaches every tenant');
    }
    const tenant = body.tenant === '*' ? '*' : await findReachableTenant(ctx.db, principal, body.tenant);
    const link = await createLoginLink(ctx, {
      tenant,
      role: body.role,
      sub: body.sub,
      name: body.name,
      email: body.email,
      ttlSeconds: body.ttlSeconds ?? LOGIN_LINK_DEFAULT_SECONDS,
    });
    const url = `${ownOrigin(req, deps.config)}/login?token=${link.token}`;
    const dto = {
      url,
      expiresAt: link.expiresAt.toISOString(),
      sub: body.sub,
      tenants: [body.tenant],
      role: body.role,
    };
    return { status: 201, body: dto };
  },
});
