/**
 * The items a rule iterates: one collection of one canonical document per snapshot, or `hosts`,
 * the endpoint inventory joined across every endpoint source by host name. Firewall devices
 * carry their own rules (`deviceRules`, device-rules.ts).
 */
import { isIpAddress } from '../core/net/index.js';
import type { Endpoint } from '../schemas/canonical-types.js';
import type { SnapshotKind } from '../schemas/canonical.js';
import { hasDeviceRules, indexRulesByDevice } from './device-rules.js';

export interface SnapshotInput {
  id: string;
  kind: SnapshotKind;
  source: string;
  instance: string;
  document: unknown;
  /**
   * When the export was taken (the export's own stamp, else X-Collected-At, else its receipt).
   * Clock-dependent rules judge the snapshot's items against it (`collectedAt` in CEL); absent:
   * the evaluation's asOf.
   */
  collectedAt?: Date;
  /** the last time the same export was posted again (a 200 re-post): it refreshes freshness, not collectedAt */
  lastConfirmedAt?: Date | null;
}

export interface Judged {
  item: Record<string, unknown>;
  snapshot: SnapshotInput;
  /** the document of the item's own snapshot (`doc` in expressions) */
  doc: unknown;
  /** a firewall device's own rules (`deviceRules` in expressions); absent elsewhere, and when the document has none */
  deviceRules?: readonly unknown[];
}

export interface Collection {
  items: Judged[];
  /** snapshots of the kind whose export does not carry this collection at all */
  missingIn: SnapshotInput[];
}

/**
 * The join key of every endpoint, by host name, lower-cased. Defender reports FQDNs where Falcon
 * and SentinelOne report short names, so a name joins on its first DNS label — as long as that
 * label means one machine: when the same label comes with two different domains
 * (`web01.clienta.local`, `web01.dmz.clientb.local`), each full name is its own host, and a bare
 * `web01` beside them stays apart too rather than vouch for either. IP addresses are never cut
 * (`10.0.0.5` is not host `10`). Hosts without a name are never joined.
 */
export function hostKeys(endpoints: readonly Pick<Endpoint, 'hostname' | 'source' | 'id'>[]): string[] {
  const names = endpoints.map((e) => e.hostname.trim().toLowerCase());
  const split = names.map((n) =>
    n === '' || isIpAddress(n)
      ? undefined
      : { label: n.split('.')[0]!, domain: n.slice(n.indexOf('.') + 1 || n.length) },
  );
  const domainsOf = new Map<string, Set<string>>();
  for (const p of split) {
    if (!p || p.domain === '') continue;
    const domains = domainsOf.get(p.label);
    if (domains) domains.add(p.domain);
    else domainsOf.set(p.label, new Set([p.domain]));
  }
  return endpoints.map((e, i) => {
    const p = split[i];
    if (names[i] === '') return `${e.source}:${e.id}`;
    if (!p) return names[i]!;
    return (domainsOf.get(p.label)?.size ?? 0) > 1 && p.domain !== '' ? names[i]! : p.label;
  });
}

/**
 * The items of `each` over the snapshots of `kind`. `deviceRules: false` skips the per-device
 * rule index when no rule of the pass reads it (it costs a pass over every rule).
 */
export function collect(
  kind: SnapshotKind,
  each: string,
  snapshots: readonly SnapshotInput[],
  { deviceRules = true }: { deviceRules?: boolean } = {},
): Collection {
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
    const rulesOf = deviceRules && hasDeviceRules(kind, each) ? indexRulesByDevice(snapshot.document) : undefined;
    for (const item of list) {
      // NOTE: one object shape for every item (deviceRules always present, maybe undefined)
      const own = rulesOf?.((item as { id?: unknown } | null)?.id);
      items.push({ item: item as Record<string, unknown>, snapshot, doc: snapshot.document, deviceRules: own });
    }
  }
  return { items, missingIn };
}

function hosts(snapshots: readonly SnapshotInput[]): Collection {
  const all = snapshots.flatMap((snapshot) =>
    (snapshot.document as { endpoints: Endpoint[] }).endpoints.map((e) => ({ e, snapshot })),
  );
  const keys = hostKeys(all.map((x) => x.e));
  const byKey = new Map<string, { host: Record<string, unknown>; first: Judged }>();
  all.forEach(({ e, snapshot }, i) => {
    const key = keys[i]!;
    let entry = byKey.get(key);
    if (!entry) {
      const host = {
        id: key,
        hostname: e.hostname || key,
        source: e.source,
        endpoints: [] as Endpoint[],
        origin: e.origin,
      };
      entry = { host, first: { item: host, snapshot, doc: snapshot.document } };
      byKey.set(key, entry);
    }
    (entry.host.endpoints as Endpoint[]).push(e);
  });
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
