/** Every API route. The OpenAPI document and the cross-tenant tests are generated from this list. */
import type { RouteSpec } from '../route.js';
import createTenant from './tenants/create-tenant.route.js';
import getTenant from './tenants/get-tenant.route.js';
import listAudit from './tenants/list-audit.route.js';
import listTenants from './tenants/list-tenants.route.js';
import updateTenant from './tenants/update-tenant.route.js';

export const ROUTES: readonly RouteSpec[] = [createTenant, listTenants, getTenant, updateTenant, listAudit];
