/**
 * express-rate-limit's Store over the `rate_limits` table, so that every instance on one
 * PostgreSQL counts the same hits. The table comes from a migration (run under the owner's URL),
 * never from this code. Fixed windows: the first hit of a key starts its window, on the database's
 * clock, so instances with skewed clocks still agree.
 *
 * Not a maintained package: `@acpr/rate-limit-postgresql` (1.4.1) pins `pg` 8.11.3, opens a pool
 * of its own and creates its schema at run time with `postgres-migrations`, under whatever role
 * the service logs in with.
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

/** What the store needs of the database: raw statements answering `{rows}` (drizzle on pg or PGlite). */
export interface SqlExecutor {
  execute(query: SQL): Promise<unknown>;
}

interface HitRow {
  hits: number;
  reset_ms: number;
}

/**
 * One limiter's counters. `name` keeps limiters apart in the shared table; keys (addresses,
 * subjects) are stored only as a SHA-256, so the table holds no client address.
 */
export class PgRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private prunedAt = 0;

  constructor(
    private readonly db: SqlExecutor,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [row] = await this.rows(
      sql`select hits, (extract(epoch from reset_at) * 1000)::float8 as reset_ms from rate_limits
          where key = ${this.keyOf(key)} and reset_at > now()`,
    );
    return row && { totalHits: row.hits, resetTime: new Date(row.reset_ms) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    this.pruneNowAndThen();
    const [row] = await this.rows(
      sql`insert into rate_limits as r (key, hits, reset_at)
          values (${this.keyOf(key)}, 1, now() + ${this.windowMs}::int * interval '1 millisecond')
          on conflict (key) do update set
            hits = case when r.reset_at <= now() then 1 else r.hits + 1 end,
            reset_at = case when r.reset_at <= now() then excluded.reset_at else r.reset_at end
          returning hits, (extract(epoch from reset_at) * 1000)::float8 as reset_ms`,
    );
    return { totalHits: row!.hits, resetTime: new Date(row!.reset_ms) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.execute(
      sql`update rate_limits set hits = greatest(hits - 1, 0) where key = ${this.keyOf(key)} and reset_at > now()`,
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.db.execute(sql`delete from rate_limits where key = ${this.keyOf(key)}`);
  }

  private keyOf(key: string): string {
    return `${this.prefix}:${createHash('sha256').update(key).digest('base64url')}`;
  }

  private async rows(query: SQL): Promise<HitRow[]> {
    return ((await this.db.execute(query)) as { rows: HitRow[] }).rows;
  }

  /** At most once a window per store: delete every expired counter (of any limiter). Never awaited. */
  private pruneNowAndThen(): void {
    const now = Date.now();
    if (now - this.prunedAt < this.windowMs) return;
    this.prunedAt = now;
    this.db.execute(sql`delete from rate_limits where reset_at < now()`).catch(() => {
      // a failed prune is retried a window later; the counters stay correct meanwhile
    });
  }
}
