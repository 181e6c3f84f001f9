/**
 * Migration 0010 on a database that already holds evaluations (embedded PGlite, migrated to 0009
 * first): each evaluation gets one scores row per pack — its stored three figures, or, stored
 * before they existed, figures computed from its requirement states as core/scores.ts does — and
 * its failing findings counted by severity.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_DIR } from '../../src/db/client.js';
import { scores } from '../../src/core/scores.js';

const TENANT = '0195a1c0-0000-7000-8000-0000000000bb';
const OLD = '0195a1c0-0000-7000-8000-000000000011';
const NEW = '0195a1c0-0000-7000-8000-000000000012';
const req = (id: string, state: string, extra: { manual?: boolean; informational?: boolean } = {}) => ({
  id,
  state,
  manual: extra.manual ?? false,
  informational: extra.informational ?? false,
});
/** every kind of requirement the figures treat apart */
const REQUIREMENTS = [
  req('a', 'pass'),
  req('b', 'pass'),
  req('c', 'fail'),
  req('d', 'waived'),
  req('e', 'attested', { manual: true }),
  req('f', 'manual', { manual: true }),
  req('g', 'not_applicable'),
  req('h', 'pass', { informational: true }),
  req('i', 'insufficient_evidence'),
];
const STORED = {
  verified: { value: 0.5, numerator: 3, denominator: 6 },
  withAttestations: { value: 0.5, numerator: 4, denominator: 8 },
  withWaivers: { value: 0.625, numerator: 5, denominator: 8 },
};

describe('migration 0010 (evaluation scores) over existing evaluations', () => {
  let dir: string;
  let pg: PGlite;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'posture-0009-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    rmSync(join(dir, '0010_evaluation_scores.sql'));
    const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8'));
    journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < 10);
    writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
    pg = await PGlite.create();
    await migrate(drizzle(pg), { migrationsFolder: dir });
    await pg.query(`insert into tenants (id, slug, name, kind, packs) values ($1, 'old', 'Old', 'client', '[]')`, [
      TENANT,
    ]);
    const evaluation = (id: string, asOf: string, packs: object[]) =>
      pg.query(
        `insert into evaluations (tenant_id, id, as_of, created_at, created_by, trigger, packs, parameters, snapshot_ids,
           file_hashes, result)
         values ($1, $2, $3, $3, 'old', 'api', $4, '{}', '[]', '{}', $5)`,
        [TENANT, id, asOf, JSON.stringify(packs.map((p) => (p as { id: string }).id)), JSON.stringify({ packs })],
      );
    // before the three figures were stored: only requirement states
    await evaluation(OLD, '2026-09-01T00:00:00Z', [
      { id: 'p1', requirements: REQUIREMENTS },
      { id: 'p2', requirements: [] },
    ]);
    // with stored figures (which win, even where they would differ from a recount)
    await evaluation(NEW, '2026-10-01T00:00:00Z', [{ id: 'p1', scores: STORED, requirements: REQUIREMENTS }]);
    let n = 0;
    for (const [evaluationId, pack, status, severity] of [
      [OLD, 'p1', 'fail', 'critical'],
      [OLD, 'p1', 'fail', 'high'],
      [OLD, 'p1', 'fail', 'high'],
      [OLD, 'p1', 'waived', 'critical'],
      [OLD, 'p1', 'insufficient_evidence', 'low'],
      [OLD, 'p2', 'fail', 'info'],
      [NEW, 'p1', 'fail', 'medium'],
    ])
      await pg.query(
        `insert into findings (tenant_id, evaluation_id, id, pack_id, rule_id, requirements, status, severity, message,
           evidence, is_new, fingerprint)
         values ($1, $2, $3, $4, 'r', '[]', $5, $6, 'm', '{}', false, $7)`,
        [
          TENANT,
          evaluationId,
          `0195a1c0-0000-7000-8000-0000000001${String(++n).padStart(2, '0')}`,
          pack,
          status,
          severity,
          `f${n}`,
        ],
      );
    await migrate(drizzle(pg), { migrationsFolder: MIGRATIONS_DIR });
  });
  afterAll(async () => {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rowsOf = async (id: string) =>
    (
      await pg.query<Record<string, unknown>>(
        `select * from evaluation_scores where tenant_id = $1 and evaluation_id = $2 order by pack_id`,
        [TENANT, id],
      )
    ).rows;

  it('computes the figures of an evaluation stored before them exactly as the code does', async () => {
    const expected = scores(REQUIREMENTS as Parameters<typeof scores>[0]);
    const [p1, p2] = await rowsOf(OLD);
    expect(p1).toMatchObject({
      pack_id: 'p1',
      verified_numerator: expected.verified.numerator,
      verified_denominator: expected.verified.denominator,
      with_attestations_numerator: expected.withAttestations.numerator,
      with_attestations_denominator: expected.withAttestations.denominator,
      with_waivers_numerator: expected.withWaivers.numerator,
      with_waivers_denominator: expected.withWaivers.denominator,
      open_critical: 1,
      open_high: 2,
      open_medium: 0,
      open_low: 0,
      open_info: 0,
    });
    expect((p1!.as_of as Date).toISOString()).toBe('2026-09-01T00:00:00.000Z');
    // a pack with no requirements: zeros over zeros; its failing info finding counted
    expect(p2).toMatchObject({ pack_id: 'p2', verified_denominator: 0, with_waivers_denominator: 0, open_info: 1 });
  });

  it('keeps the figures an evaluation stored', async () => {
    const [p1] = await rowsOf(NEW);
    expect(p1).toMatchObject({
      verified_numerator: 3,
      verified_denominator: 6,
      with_attestations_numerator: 4,
      with_attestations_denominator: 8,
      with_waivers_numerator: 5,
      with_waivers_denominator: 8,
      open_medium: 1,
      open_critical: 0,
    });
  });

  it('leaves no reach setting behind, and puts the table under row-level security', async () => {
    const { rows } = await pg.query<{ v: string }>(
      `select coalesce(current_setting('posture.all_tenants', true), '') as v`,
    );
    expect(rows[0]!.v).toBe('');
    const { rows: rls } = await pg.query<{ enabled: boolean; forced: boolean }>(
      `select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class where relname = 'evaluation_scores'`,
    );
    expect(rls).toEqual([{ enabled: true, forced: true }]);
  });
});
