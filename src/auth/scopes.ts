/** Scopes and the role presets that `posture token --role` mints (DESIGN.md, HTTP contract). */
export const SCOPES = [
  'tenants:read',
  'tenants:write',
  'tenants:admin',
  'snapshots:read',
  'snapshots:write',
  'snapshots:raw',
  'evaluations:read',
  'evaluations:write',
  'waivers:read',
  'waivers:write',
  'waivers:approve',
  'attestations:read',
  'attestations:write',
  'reports:read',
  'reports:write',
  'parameters:read',
  'parameters:write',
] as const;

export type Scope = (typeof SCOPES)[number];

const reads = SCOPES.filter((s) => s.endsWith(':read'));

export const ROLES = {
  ci: ['snapshots:write', 'evaluations:read'],
  auditor: reads,
  officer: [
    ...reads,
    'evaluations:write',
    'reports:write',
    'waivers:write',
    'waivers:approve',
    'attestations:write',
    'parameters:write',
  ],
  admin: [...SCOPES],
} as const satisfies Record<string, readonly Scope[]>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

/** Who is calling: the verified token's subject, reachable tenant slugs (`*` = all) and scopes. */
export interface Principal {
  sub: string;
  tenants: readonly string[];
  scopes: ReadonlySet<Scope>;
  /** the token's `name` and `email` claims, when present: recorded with approvals, never checked */
  name?: string;
  email?: string;
}

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}
