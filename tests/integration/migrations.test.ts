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
      expect(tables).toHaveLength(15);
    } finally {
      await db.close();
    }
  });

  it('enable and force row-level security, with a policy, on every table holding tenant_id', async () => {
    const db = await openDatabase({
      url: process.env.DATABASE_URL,
      ownerUrl: process.env.POSTURE_DATABASE_OWNER_URL,
    });
    try {
      await db.migrate();
      const rows = await queryRows<{ table_name: string; enabled: boolean; forced: boolean; policies: number }>(
        db.db,
        sql`
        select c.relname as table_name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
          (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        where c.relkind = 'r' and exists (
          select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`,
      );
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['attestations', 'attestation_files']));
      expect(rows.filter((r) => !r.enabled || !r.forced || r.policies < 1)).toEqual([]);
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
        // not tenant data: tenants themselves, signing certificates, the rate limiter's counters,
        // console sessions and sign-in links (found by a secret's hash before any tenant is known)
        (r) =>
          !['tenants', 'signing_certificates', 'rate_limits', 'sessions', 'login_links'].includes(r.table_name) &&
          r.first_column !== 'tenant_id',
      );
      expect(offenders).toEqual([]);
      expect(rows.length).toBeGreaterThanOrEqual(tables.length);
    } finally {
      await db.close();
    }
  });
});

describe('0005_waiver_approval on a database with waivers from before', () => {
  it('keeps them approved as recorded (status approved, approved_at = created_at, the free-text approver)', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(import.meta.dirname, '..', '..', 'migrations');
    const files = readdirSync(dir)
      .filter((f) => /^\d{4}_.*\.sql$/.test(f))
      .sort();
    const run = async (pg: InstanceType<typeof PGlite>, file: string) => {
      for (const statement of readFileSync(join(dir, file), 'utf8').split('--> statement-breakpoint'))
        if (statement.trim() !== '') await pg.exec(statement);
    };
    const pg = new PGlite();
    try {
      const upgrade = files.indexOf('0005_waiver_approval.sql');
      expect(upgrade).toBeGreaterThan(0);
      for (const f of files.slice(0, upgrade)) await run(pg, f);
      const tenant = '0190a0c2-0000-7000-8000-000000000001';
      const created = '2026-01-02T03:04:05.000Z';
      await pg.exec(`
        select set_config('posture.all_tenants', 'on', false);
        insert into tenants (id, slug, name, kind, packs) values ('${tenant}', 'old', 'Old', 'client', '[]');
        insert into waivers (tenant_id, id, rule_id, item_match, justification, approved_by, created_by, created_at, expires_at)
        values ('${tenant}', '0190a0c2-0000-7000-8000-000000000002', 'identity.mfa-registered', '*', 'accepted long ago',
                'CISO Jane Roe', 'officer@old', '${created}', '2027-01-01T00:00:00Z');
        select set_config('posture.all_tenants', 'off', false);`);
      await run(pg, files[upgrade]!);
      await pg.exec(`select set_config('posture.all_tenants', 'on', false)`);
      const { rows } = await pg.query<{ status: string; approved_by: string; approved_at: Date }>(
        'select status, approved_by, approved_at from waivers',
      );
      expect(rows).toEqual([{ status: 'approved', approved_by: 'CISO Jane Roe', approved_at: new Date(created) }]);
    } finally {
      await pg.close();
    }
  });
});
