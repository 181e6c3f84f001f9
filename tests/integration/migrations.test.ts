import { sql, getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { openDatabase, queryRows } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';

const tables: string[] = (Object.values(schema) as unknown[])
  .filter((v): v is PgTable => is(v, PgTable))
  .map((t) => getTableName(t));

describe('migrations', () => {
  it('apply from empty (and again, idempotently), creating every table of the schema', async () => {
    const db = await openDatabase({
      url: process.env.DATABASE_URL,
      ownerUrl: process.env.POSTURE_DATABASE_OWNER_URL,
    });
    try {
      await db.migrate();
      await db.migrate();
      const rows = await queryRows<{ table_name: string }>(
        db.db,
        sql`select table_name from information_schema.tables where table_schema = 'public'`,
      );
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(tables));
      expect(tables).toHaveLength(11);
    } finally {
      await db.close();
    }
  });

  it('lead every primary key and unique index of tenant data with tenant_id', async () => {
    const db = await openDatabase({
      url: process.env.DATABASE_URL,
      ownerUrl: process.env.POSTURE_DATABASE_OWNER_URL,
    });
    try {
      await db.migrate();
      const rows = await queryRows<{ table_name: string; first_column: string }>(
        db.db,
        sql`
        select t.relname as table_name, i.indisprimary as is_primary, a.attname as first_column
        from pg_index i
        join pg_class t on t.oid = i.indrelid
        join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
        join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
        where (i.indisprimary or i.indisunique) and t.relname in (${sql.join(
          tables.map((n) => sql`${n}`),
          sql`, `,
        )})`,
      );
      const offenders = rows.filter(
        // not tenant data: tenants themselves, signing certificates, the rate limiter's counters
        (r) =>
          !['tenants', 'signing_certificates', 'rate_limits'].includes(r.table_name) && r.first_column !== 'tenant_id',
      );
      expect(offenders).toEqual([]);
      expect(rows.length).toBeGreaterThanOrEqual(tables.length);
    } finally {
      await db.close();
    }
  });
});
