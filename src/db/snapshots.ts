/**
 * Snapshot queries. Snapshots are immutable: insert and read, never update — but for
 * lastConfirmedAt, which a re-post of the same export moves forward (confirmSnapshot).
 */
import { type Keyring, open, seal } from '../core/sealing.js';
import type { SnapshotKind } from '../core/vocabulary.js';
import { and, asc, desc, eq, getTableColumns, inArray, lt, lte, sql } from 'drizzle-orm';
import { queryRows, type Tx, yieldToEventLoop } from './client.js';
import { snapshotParts, snapshots } from './schema.js';

export type SnapshotRow = typeof snapshots.$inferSelect;
export type SnapshotMeta = Omit<SnapshotRow, 'normalized'>;

const { normalized: _n, ...metaColumns } = getTableColumns(snapshots);

/** Serialise writers of one (tenant, source, instance) so "equal to the latest" is decided once. */
export async function lockSnapshotStream(tx: Tx, tenantId: string, source: string, instance: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${tenantId}/${source}/${instance}`}, 0))`);
}

export async function latestSnapshot(
  tx: Tx,
  tenantId: string,
  source: string,
  instance: string,
): Promise<SnapshotMeta | undefined> {
  const rows = await tx
    .select(metaColumns)
    .from(snapshots)
    .where(and(eq(snapshots.tenantId, tenantId), eq(snapshots.source, source), eq(snapshots.instance, instance)))
    .orderBy(desc(snapshots.receivedAt), desc(snapshots.id))
    .limit(1);
  return rows[0];
}

/**
 * The raw body is stored in chunks of at most this many bytes (rows idx 0, 1, …), one insert each:
 * `pg` copies every parameter into the protocol message it sends, so a 50 MB body written as one
 * value held a second 50 MB copy at the moment an ingest's memory peaks (bench part c). 1 MiB
 * rather than 4: on the embedded PGlite every statement runs on the event loop, and a 4 MB chunk
 * held it for 1–1.5 s on a loaded 2-CPU machine (bench/pool.mjs); the writer yields between chunks.
 */
export const RAW_CHUNK_BYTES = 1024 * 1024;

/** What a sealed chunk is bound to: a ciphertext moved to another tenant, snapshot or position does not open. */
export function chunkAad(tenantId: string, snapshotId: string, idx: number): string {
  return `snapshot_parts/${tenantId}/${snapshotId}/${idx}`;
}

/** The snapshot row, and its raw body in sealed chunks (AES-256-GCM under the keyring's current key). */
export async function insertSnapshot(
  tx: Tx,
  row: typeof snapshots.$inferInsert,
  raw: Buffer,
  ring: Keyring,
): Promise<void> {
  await tx.insert(snapshots).values(row);
  // An empty body is still one (empty) chunk: every snapshot has its idx 0.
  for (let idx = 0, at = 0; idx === 0 || at < raw.length; idx++, at += RAW_CHUNK_BYTES) {
    const sealed = seal(ring, raw.subarray(at, at + RAW_CHUNK_BYTES), chunkAad(row.tenantId, row.id!, idx));
    await tx
      .insert(snapshotParts)
      .values({ tenantId: row.tenantId, snapshotId: row.id!, idx, keyId: sealed.keyId, bytes: sealed.bytes });
    // the embedded PGlite runs each statement on this thread: let waiting requests in between chunks
    await yieldToEventLoop();
  }
}

/** A re-post of the same export confirmed it at `at` (the one column of a snapshot that changes). */
export async function confirmSnapshot(tx: Tx, tenantId: string, id: string, at: Date): Promise<void> {
  await tx
    .update(snapshots)
    .set({ lastConfirmedAt: at })
    .where(and(eq(snapshots.tenantId, tenantId), eq(snapshots.id, id)));
}

export interface SnapshotFilter {
  source?: string;
  kind?: SnapshotKind;
  instance?: string;
}

export async function listSnapshots(
  tx: Tx,
  tenantId: string,
  f: SnapshotFilter,
  limit: number,
  before?: string,
): Promise<SnapshotMeta[]> {
  return tx
    .select(metaColumns)
    .from(snapshots)
    .where(
      and(
        eq(snapshots.tenantId, tenantId),
        f.source ? eq(snapshots.source, f.source) : undefined,
        f.kind ? eq(snapshots.kind, f.kind) : undefined,
        f.instance ? eq(snapshots.instance, f.instance) : undefined,
        before ? lt(snapshots.id, before) : undefined,
      ),
    )
    .orderBy(desc(snapshots.id))
    .limit(limit);
}

export async function getSnapshot(tx: Tx, tenantId: string, id: string): Promise<SnapshotRow | undefined> {
  const rows = await tx
    .select()
    .from(snapshots)
    .where(and(eq(snapshots.tenantId, tenantId), eq(snapshots.id, id)))
    .limit(1);
  return rows[0];
}

/** The raw body as received: its chunks joined in order. */
export async function getSnapshotRaw(
  tx: Tx,
  tenantId: string,
  id: string,
  ring: Keyring,
): Promise<{ contentType: string; bytes: Buffer } | undefined> {
  const rows = await tx
    .select({
      contentType: snapshots.contentType,
      idx: snapshotParts.idx,
      keyId: snapshotParts.keyId,
      bytes: snapshotParts.bytes,
    })
    .from(snapshots)
    .innerJoin(
      snapshotParts,
      and(eq(snapshotParts.tenantId, snapshots.tenantId), eq(snapshotParts.snapshotId, snapshots.id)),
    )
    .where(and(eq(snapshots.tenantId, tenantId), eq(snapshots.id, id)))
    .orderBy(asc(snapshotParts.idx));
  if (rows.length === 0) return undefined;
  // rows stored before encryption at rest have no key id: their bytes are the plaintext
  const plain = rows.map((r) =>
    r.keyId === null ? r.bytes : open(ring, r.keyId, r.bytes, chunkAad(tenantId, id, r.idx)),
  );
  return { contentType: rows[0]!.contentType, bytes: plain.length === 1 ? plain[0]! : Buffer.concat(plain) };
}

/**
 * The latest snapshot of every (source, instance) received at or before `asOf`, with its
 * document as JSON text (read as text: parsing it is the evaluation's work, off the event loop) —
 * except the ones the caller already holds (`known`: id → JSON text), which are not read back.
 */
export async function latestSnapshotsAsOf(
  tx: Tx,
  tenantId: string,
  asOf: Date,
  known: ReadonlyMap<string, string> = new Map(),
): Promise<(SnapshotMeta & { json: string })[]> {
  const metas = await tx
    .selectDistinctOn([snapshots.source, snapshots.instance], metaColumns)
    .from(snapshots)
    .where(and(eq(snapshots.tenantId, tenantId), lte(snapshots.receivedAt, asOf)))
    .orderBy(snapshots.source, snapshots.instance, desc(snapshots.receivedAt), desc(snapshots.id));
  const wanted = metas.filter((m) => !known.has(m.id)).map((m) => m.id);
  const docs =
    wanted.length === 0
      ? []
      : await tx
          .select({ id: snapshots.id, json: sql<string>`${snapshots.normalized}::text` })
          .from(snapshots)
          .where(and(eq(snapshots.tenantId, tenantId), inArray(snapshots.id, wanted)));
  const byId = new Map(docs.map((d) => [d.id, d.json]));
  return metas.map((m) => ({ ...m, json: known.get(m.id) ?? byId.get(m.id)! }));
}

/** Identity and hashes of the snapshots among `ids` (the evidence manifest's rows). */
export async function snapshotMetaByIds(tx: Tx, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return tx
    .select({
      id: snapshots.id,
      kind: snapshots.kind,
      source: snapshots.source,
      instance: snapshots.instance,
      collectedAt: snapshots.collectedAt,
      collectedAtSource: snapshots.collectedAtSource,
      configChangedAt: snapshots.configChangedAt,
      lastConfirmedAt: snapshots.lastConfirmedAt,
      receivedAt: snapshots.receivedAt,
      sha256: snapshots.sha256,
    })
    .from(snapshots)
    .where(and(eq(snapshots.tenantId, tenantId), inArray(snapshots.id, [...ids])));
}

/**
 * Latest snapshots of their (source, instance) that no evaluation has judged: stored by an ingest
 * whose process died before its evaluation was written. Per tenant, the latest such snapshot (one
 * evaluation covers them all).
 * NOTE: a system read across tenants, for start-up recovery only.
 */
export async function unevaluatedSnapshots(tx: Tx): Promise<{ tenantId: string; receivedAt: Date }[]> {
  const rows = await queryRows<{ tenant_id: string; received_at: Date | string }>(
    tx,
    sql`select distinct on (s.tenant_id) s.tenant_id, s.received_at
        from snapshots s
        where not exists (
          select 1 from snapshots later
          where later.tenant_id = s.tenant_id and later.source = s.source and later.instance = s.instance
            and (later.received_at, later.id) > (s.received_at, s.id))
        and not exists (
          select 1 from evaluations e
          where e.tenant_id = s.tenant_id and e.created_at >= s.received_at
            and e.snapshot_ids @> jsonb_build_array(s.id::text))
        order by s.tenant_id, s.received_at desc`,
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, receivedAt: new Date(r.received_at) }));
}

/**
 * Re-seal up to `limit` raw chunks that the current key did not seal (older keys, or plaintext
 * from before encryption at rest) under the current key. Returns how many it re-sealed: call
 * again until 0. NOTE: a system step (it crosses tenants), run by `posture rotate-data-key`.
 */
export async function resealParts(tx: Tx, ring: Keyring, limit: number): Promise<number> {
  const rows = await tx
    .select()
    .from(snapshotParts)
    .where(sql`${snapshotParts.keyId} is distinct from ${ring.current.id}`)
    .limit(limit);
  for (const r of rows) {
    const aad = chunkAad(r.tenantId, r.snapshotId, r.idx);
    const plain = r.keyId === null ? r.bytes : open(ring, r.keyId, r.bytes, aad);
    const sealed = seal(ring, plain, aad);
    await tx
      .update(snapshotParts)
      .set({ keyId: sealed.keyId, bytes: sealed.bytes })
      .where(
        and(
          eq(snapshotParts.tenantId, r.tenantId),
          eq(snapshotParts.snapshotId, r.snapshotId),
          eq(snapshotParts.idx, r.idx),
        ),
      );
  }
  return rows.length;
}
