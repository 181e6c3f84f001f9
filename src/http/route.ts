/**
 * A route declares everything the shared middleware needs — its scope and tenancy, its request
 * and response schemas, the tenant-scoped ids it names — and a handler that only parses, calls a
 * use case and replies. The same declarations build the OpenAPI document and the cross-tenant
 * tests, so nothing has to be remembered per route.
 */
import type { Request, Response } from 'express';
import type { Principal, Scope } from '../auth/scopes.js';
import type { TenantView } from '../db/tenants.js';
import type { JsonSchema } from '../schemas/json-schema.js';
import type { UseCaseContext } from '../domain/context.js';
import type { SessionInfo } from '../domain/sessions.js';
import type { AppDeps } from './deps.js';

/** Tenant-scoped objects a path parameter or a body field can name. */
export type ResourceType = 'tenant' | 'snapshot' | 'evaluation' | 'waiver' | 'attestation' | 'report';

export interface ResponseSpec {
  description: string;
  schema?: JsonSchema;
  /** default application/json */
  contentType?: string;
  /** other media types the same status may answer with (downloads), each a binary body */
  alternatives?: string[];
}

export interface RouteSpec<Q = Record<string, unknown>, B = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** express syntax: `/v1/tenants/:tenant/snapshots/:id`; `:tenant` is always a tenant slug */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** `none`: public; `token`: any valid token; a scope: a token holding it */
  auth: 'none' | 'token' | Scope;
  /** path parameters (other than :tenant) naming tenant-scoped objects */
  ids?: Record<string, ResourceType>;
  /** JSON body fields naming tenant-scoped objects (another tenant's → 404) */
  bodyRefs?: Record<string, ResourceType>;
  query?: JsonSchema;
  /** a JSON body validated against `schema`; `raw` routes read the request stream themselves */
  body?:
    | { schema: JsonSchema; required?: boolean; example: unknown }
    | { raw: true; contentTypes: string[]; description: string };
  /** extra OpenAPI parameters (headers) */
  headers?: { name: string; description: string; schema: JsonSchema }[];
  responses: Record<number, ResponseSpec>;
  /** mutating routes name their audit action (recorded by the use case, in its transaction) */
  audit?: string;
  handler(ctx: RouteContext<Q, B>): Promise<Reply>;
}

export interface RouteContext<Q = Record<string, unknown>, B = unknown> {
  req: Request;
  res: Response;
  deps: AppDeps;
  principal: Principal;
  /** set for routes under /v1/tenants/:tenant, after the reach check */
  tenant: TenantView;
  params: Record<string, string>;
  query: Q;
  body: B;
  requestId: string;
  now: Date;
  /** what the route's use case receives */
  ctx: UseCaseContext;
  /** the console session, when the request came with its cookie rather than a bearer token */
  session?: SessionInfo;
}

export type Reply =
  | { status?: number; body: unknown; headers?: Record<string, string> }
  | { status?: number; bytes: Buffer | Uint8Array | string; contentType: string; headers?: Record<string, string> };

/** Identity function that keeps the route's query and body types attached to its handler. */
export function defineRoute<Q = Record<string, unknown>, B = unknown>(spec: RouteSpec<Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}
