/**
 * The items a rule iterates: one collection of one canonical document per snapshot, or `hosts`,
 * the endpoint inventory joined across every endpoint source by host name.
 */
import type { Endpoint } from '../schemas/canonical-types.js';
import type { SnapshotKind } from '../schemas/canonical.js';

export interface SnapshotInput {
  id: string;
  kind: SnapshotKind;
  source: string;
  instance: string;
  document: unknown;
}

export interface Judged {
  item: Record<string, unknown>;
  snapshot: SnapshotInput;
  /** the document of the item's own snapshot (`doc` in expressions) */
  doc: unknown;
}

export interface Collection {
  items: Judged[];
  /** snapshots of the kind whose export does not carry this collection at all */
  missingIn: SnapshotInput[];
}

/**
 * The join key of a host: the first DNS label, lower-cased (Defender reports FQDNs where Falcon
 * and SentinelOne report short names). Hosts without a name are never joined.
 */
export function hostKey(e: Pick<Endpoint, 'hostname' | 'source' | 'id'>): string {
  const name = e.hostname.trim().toLowerCase().split('.')[0]!;
  return name === '' ? `${e.source}:${e.id}` : name;
}

export function collect(kind: SnapshotKind, each: string, snapshots: readonly SnapshotInput[]): Collection {
  const mine = snapshots.filter((s) => s.kind === kind);
  if (each === 'hosts') return hosts(mine);
  const items: Judged[] = [];
  const missingIn: SnapshotInput[] = [];
  for (const snapshot of mine) {
    const list = (snapshot.document as Record<string, unknown>)[each];
    if (!Array.isArray(list)) {
      missingIn.push(snapshot);
      continue;
    }
    for (const item of list) items.push({ item: item as Record<string, unknown>, snapshot, doc: snapshot.document });
  }
  return { items, missingIn };
}

function hosts(snapshots: readonly SnapshotInput[]): Collection {
  const byKey = new Map<string, { host: Record<string, unknown>; first: Judged }>();
  for (const snapshot of snapshots) {
    for (const e of (snapshot.document as { endpoints: Endpoint[] }).endpoints) {
      const key = hostKey(e);
      let entry = byKey.get(key);
      if (!entry) {
        const host = { id: key, hostname: e.hostname || key, source: e.source, endpoints: [] as Endpoint[], origin: e.origin };
        entry = { host, first: { item: host, snapshot, doc: snapshot.document } };
        byKey.set(key, entry);
      }
      (entry.host.endpoints as Endpoint[]).push(e);
    }
  }
  return { items: [...byKey.values()].map((e) => e.first), missingIn: [] };
}

/** The display name of an item for findings and reports. */
export function nameOf(item: Record<string, unknown>): string | null {
  for (const key of ['username', 'hostname', 'name', 'displayName', 'email', 'description']) {
    const v = item[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return typeof item.id === 'string' ? item.id : null;
}
