import { ROLE_NAMES } from '../../../auth/scopes.js';
import type { JsonSchema } from '../../../schemas/json-schema.js';

export const sessionSchema = {
  $id: 'posture:http/session',
  title: 'Session',
  description: 'who the caller is: a console session (cookie) or a bearer token',
  type: 'object',
  required: ['sub', 'tenants', 'scopes', 'via'],
  properties: {
    sub: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    tenants: { type: 'array', items: { type: 'string' }, description: "tenant slugs reached ('*' = every tenant)" },
    scopes: { type: 'array', items: { type: 'string' } },
    via: { type: 'string', enum: ['session', 'bearer'] },
    role: { type: 'string', enum: ROLE_NAMES, description: 'sessions only' },
    expiresAt: { type: 'string', format: 'date-time', description: 'sessions only' },
    csrfToken: {
      type: 'string',
      description: 'sessions only: send it as X-CSRF-Token with every state-changing request',
    },
  },
} as const satisfies JsonSchema;

export const loginLinkSchema = {
  $id: 'posture:http/login-link',
  title: 'LoginLink',
  type: 'object',
  required: ['url', 'expiresAt', 'sub', 'tenants', 'role'],
  properties: {
    url: { type: 'string', description: 'the one-time sign-in URL (POSTURE_PUBLIC_URL, else this request’s host)' },
    expiresAt: { type: 'string', format: 'date-time' },
    sub: { type: 'string' },
    tenants: { type: 'array', items: { type: 'string' } },
    role: { type: 'string', enum: ROLE_NAMES },
  },
} as const satisfies JsonSchema;
