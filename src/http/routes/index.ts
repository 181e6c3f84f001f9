/** Every API route. The OpenAPI document and the cross-tenant tests are generated from this list. */
import type { RouteSpec } from '../route.js';
import getSnapshotRaw from './snapshots/get-snapshot-raw.route.js';
import getSnapshot from './snapshots/get-snapshot.route.js';
import ingestSnapshot from './snapshots/ingest-snapshot.route.js';
import listSnapshots from './snapshots/list-snapshots.route.js';
import createTenant from './tenants/create-tenant.route.js';
import getTenant from './tenants/get-tenant.route.js';
import listAudit from './tenants/list-audit.route.js';
import listTenants from './tenants/list-tenants.route.js';
import updateTenant from './tenants/update-tenant.route.js';

export const ROUTES: readonly RouteSpec[] = [
  createTenant, listTenants, getTenant, updateTenant, listAudit,
  ingestSnapshot, listSnapshots, getSnapshot, getSnapshotRaw,
];
