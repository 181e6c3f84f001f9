/**
 * Migration 0006 on a database that already holds snapshots (embedded PGlite, migrated to 0005
 * first): every snapshot gets a collection time — its receipt time when it had none —, a
 * pfSense/OPNsense revision time moves to configChangedAt, and an X-Collected-At that was stored
 * stays, marked as such; existing findings are neither assumed nor stale.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_DIR } from '../../src/db/client.js';

const TENANT = '0195a1c0-0000-7000-8000-0000000000aa';
const snapshot = (id: string, source: string, collectedAt: string | null, receivedAt: string) => ({
  id,
  source,
  collectedAt,
  receivedAt,
});
const ROWS = [
  snapshot('0195a1c0-0000-7000-8000-000000000001', 'okta', null, '2026-10-01T10:00:00Z'),
  snapshot('0195a1c0-0000-7000-8000-000000000002', 'pfsense', '2024-11-26T05:46:40Z', '2026-10-02T10:00:00Z'),
  snapshot('0195a1c0-0000-7000-8000-000000000003', 'duo', '2026-09-30T08:00:00Z', '2026-10-03T10:00:00Z'),
];

describe('migration 0006 (evidence time and assumptions) over existing rows', () => {
  let dir: string;
  let pg: PGlite;
  beforeAll(async () => {
    // the migrations folder as it was at 0005
    dir = mkdtempSync(join(tmpdir(), 'posture-0005-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    rmSync(join(dir, '0006_evidence_time_and_assumptions.sql'));
    const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8'));
    journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < 6);
    writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
    pg = await PGlite.create();
    await migrate(drizzle(pg), { migrationsFolder: dir });
    await pg.query(`insert into tenants (id, slug, name, kind, packs) values ($1, 'old', 'Old', 'client', '[]')`, [
      TENANT,
    ]);
    for (const r of ROWS)
      await pg.query(
        `insert into snapshots (tenant_id, id, kind, source, instance, collected_at, received_at, sha256, document_sha256,
           content_type, parts, normalized, item_count, submitted_by)
         values ($1, $2, 'identity', $3, 'default', $4, $5, 'x', 'y', 'application/json', '[]', '{}', 0, 'old')`,
        [TENANT, r.id, r.source, r.collectedAt, r.receivedAt],
      );
    await migrate(drizzle(pg), { migrationsFolder: MIGRATIONS_DIR });
  });
  afterAll(async () => {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each snapshot a collection time and says where it came from', async () => {
    const { rows } = await pg.query<Record<string, unknown>>(
      `select source, collected_at, collected_at_source, config_changed_at, last_confirmed_at
       from snapshots where tenant_id = $1 order by id`,
      [TENANT],
    );
    const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
    expect(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, iso(v)])))).toEqual([
      {
        source: 'okta',
        collected_at: '2026-10-01T10:00:00.000Z',
        collected_at_source: 'received',
        config_changed_at: null,
        last_confirmed_at: null,
      },
      {
        source: 'pfsense',
        collected_at: '2026-10-02T10:00:00.000Z',
        collected_at_source: 'received',
        config_changed_at: '2024-11-26T05:46:40.000Z',
        last_confirmed_at: null,
      },
      {
        source: 'duo',
        collected_at: '2026-09-30T08:00:00.000Z',
        collected_at_source: 'header',
        config_changed_at: null,
        last_confirmed_at: null,
      },
    ]);
  });

  it('makes collected_at required, and lets the service role update only last_confirmed_at', async () => {
    await expect(pg.query(`update snapshots set collected_at = null where tenant_id = $1`, [TENANT])).rejects.toThrow(
      /null value/,
    );
    const { rows } = await pg.query<{ column_name: string }>(
      `select column_name from information_schema.column_privileges
       where table_name = 'snapshots' and grantee = 'posture_app' and privilege_type = 'UPDATE'`,
    );
    expect(rows.map((r) => r.column_name)).toEqual(['last_confirmed_at']);
    const { rows: settings } = await pg.query<{ v: string }>(
      `select coalesce(current_setting('posture.all_tenants', true), '') as v`,
    );
    expect(settings[0]!.v).toBe('');
  });
});
