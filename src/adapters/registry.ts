/**
 * Every source Posture ingests, by its `?source=` name, and the `canonical` source of each kind
 * (which accepts exactly the canonical JSON Schema).
 */
import { canonicalSchemas, SNAPSHOT_KINDS, type SnapshotKind } from '../schemas/canonical.js';
import type { CanonicalDocuments } from '../schemas/canonical-types.js';
import { crowdstrikeAdapter } from './endpoint/crowdstrike.js';
import { defenderAdapter } from './endpoint/defender.js';
import { sentineloneAdapter } from './endpoint/sentinelone.js';
import { awsSecurityGroupsAdapter } from './firewall/aws-security-groups.js';
import { iptablesSaveAdapter } from './firewall/iptables-save.js';
import { nftablesAdapter } from './firewall/nftables.js';
import { opnsenseAdapter } from './firewall/opnsense.js';
import { pfsenseAdapter } from './firewall/pfsense.js';
import { duoAdapter } from './identity/duo.js';
import { entraAdapter } from './identity/entra.js';
import { oktaAdapter } from './identity/okta.js';
import { connectwiseAdapter } from './technicians/connectwise.js';
import { dattoRmmAdapter } from './technicians/datto-rmm.js';
import { kaseyaVsaAdapter } from './technicians/kaseya-vsa.js';
import { ninjaoneAdapter } from './technicians/ninjaone.js';
import type { Adapter } from './types.js';

const VENDOR_ADAPTERS = [
  oktaAdapter,
  entraAdapter,
  duoAdapter,
  crowdstrikeAdapter,
  defenderAdapter,
  sentineloneAdapter,
  iptablesSaveAdapter,
  nftablesAdapter,
  pfsenseAdapter,
  opnsenseAdapter,
  awsSecurityGroupsAdapter,
  ninjaoneAdapter,
  connectwiseAdapter,
  dattoRmmAdapter,
  kaseyaVsaAdapter,
] as unknown as Adapter[];

export const SOURCES: ReadonlyMap<string, Adapter> = new Map(VENDOR_ADAPTERS.map((a) => [a.source, a]));
export const SOURCE_NAMES = [...SOURCES.keys(), 'canonical'];

function canonicalAdapter<K extends SnapshotKind>(kind: K): Adapter<K> {
  return {
    kind,
    source: 'canonical',
    bodyPart: 'body',
    parts: [
      {
        name: 'body',
        format: 'json',
        required: true,
        schema: canonicalSchemas[kind],
        description: `a canonical ${kind} document`,
      },
    ],
    normalize: ({ parts }) => ({ document: parts.body![0]!.value as CanonicalDocuments[K], warnings: [] }),
  };
}

const CANONICAL = new Map(SNAPSHOT_KINDS.map((k) => [k, canonicalAdapter(k) as unknown as Adapter]));

/** The adapter for `?source=` (and `?kind=` for canonical); undefined when there is none. */
export function adapterFor(source: string, kind?: string): Adapter | undefined {
  if (source === 'canonical') return kind === undefined ? undefined : CANONICAL.get(kind as SnapshotKind);
  const a = SOURCES.get(source);
  return a && (kind === undefined || kind === a.kind) ? a : undefined;
}

/** Number of items a canonical document holds (what a snapshot's `itemCount` says). */
export function itemCount(kind: SnapshotKind, doc: CanonicalDocuments[SnapshotKind]): number {
  const d = doc as unknown as Record<string, unknown[] | undefined>;
  switch (kind) {
    case 'identity':
      return d.users!.length;
    case 'endpoint':
      return d.endpoints!.length;
    case 'firewall':
      return d.rules!.length;
    case 'technicians':
      return d.technicians!.length;
  }
}
