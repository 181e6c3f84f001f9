/**
 * The set-up the in-process diagnostics share: a fresh PostgreSQL database with the migrations,
 * the packs, one client tenant on every pack, and a use-case context for a '*' admin.
 * `close()` closes the connection and drops the database.
 */
import { dist } from './common.mjs';
import { createDatabase, dropDatabase } from './proc.mjs';

export async function diagnoseTenant(dbName) {
  const { openDatabase } = await dist('db/client.js');
  const { readRuleFiles } = await dist('config/rule-files.js');
  const { compileCatalog } = await dist('engine/compile-catalog.js');
  const { createTenant } = await dist('domain/create-tenant.js');
  const { findTenantBySlug } = await dist('db/tenants.js');
  const { keyringOf } = await dist('core/sealing.js');
  const { randomBytes } = await import('node:crypto');
  const db = await createDatabase(dbName);
  const database = await openDatabase({ url: db.url });
  const close = async () => {
    await database.close();
    await dropDatabase(db.name);
  };
  try {
    await database.migrate();
    const catalog = compileCatalog(readRuleFiles());
    const principal = { sub: 'diagnose', tenants: ['*'], scopes: new Set(['tenants:admin']) };
    const keyring = keyringOf([{ id: 'bench', key: randomBytes(32) }]);
    const ctx = () => ({ db: database.db, principal, now: new Date(), catalog, keyring, requestId: 'diagnose' });
    await createTenant(ctx(), { slug: 'diagnose', name: 'diagnose', kind: 'client' }, [...catalog.packs.keys()]);
    const tenant = await database.db.transaction((tx) => findTenantBySlug(tx, 'diagnose'));
    return { database, catalog, ctx, tenant, close };
  } catch (err) {
    await close();
    throw err;
  }
}
