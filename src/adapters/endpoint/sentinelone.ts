/**
 * SentinelOne: `GET /web/api/v2.1/agents` (`{data, pagination}` or a bare array, one body per
 * cursor page).
 *
 * Decisions (FORMATS.md §7 is silent on them):
 * - decommissioned and uninstalled agents stay in the inventory as `managed: false` with
 *   `agent.health: inactive` and no protection, plus a warning each: rules join endpoints by
 *   hostname, so such a record must neither make a live host look covered nor hide a host whose
 *   agent was removed; dropping it would lose exactly that host;
 * - `operationalState` fully_disabled, auto_fully_disabled, disabled_error and db_corruption mean
 *   the agent's engines are off: health degraded and protection mode `off` whatever the policy's
 *   mitigation mode; partially disabled is degraded and keeps the policy's mode;
 * - `isActive: false` makes the agent inactive; `networkStatus` (the network-quarantine state)
 *   never makes it unhealthy;
 * - contained: `networkQuarantineEnabled` when present, else `networkStatus` disconnected,
 *   disconnecting or connecting (isolated, or not yet released) → true, connected → false;
 * - `infected: true` with no positive `activeThreats` counts as at least one threat (warning);
 * - S1 is signatureless (signaturesUpToDate null) and exports no anti-tamper state (absent).
 */
import type { Endpoint } from '../../schemas/canonical-types.js';
import { allRecords, originOf, type Record_ } from '../common/envelope.js';
import type { Adapter, Page, Warning } from '../types.js';
import {
  at,
  dedupe,
  defined,
  envelopeErrors,
  envelopeOrArray,
  hostnameOf,
  incomplete,
  isObject,
  looseBoolean,
  lower,
  nullableString,
  seenAt,
  soleValue,
  text,
  toBool,
  versionOf,
  type Health,
  type Mode,
} from './common.js';
import { lookup } from '../common/lookup.js';

const SOURCE = 'sentinelone';
const FULLY_DISABLED = new Set(['fully_disabled', 'auto_fully_disabled', 'disabled_error', 'db_corruption']);
const PARTIALLY_DISABLED = new Set(['partially_disabled', 'auto_partially_disabled']);
const MITIGATION = lookup<Mode>({ protect: 'prevent', detect: 'detect' });
const QUARANTINE = lookup<boolean>({ connected: false, disconnected: true, disconnecting: true, connecting: true });

const agentSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1 },
    accountId: nullableString,
    computerName: nullableString,
    osName: nullableString,
    osType: nullableString,
    agentVersion: nullableString,
    lastActiveDate: nullableString,
    mitigationMode: nullableString,
    operationalState: nullableString,
    networkStatus: nullableString,
    activeThreats: { type: ['integer', 'null'], minimum: 0 },
    isActive: looseBoolean,
    isUpToDate: looseBoolean,
    infected: looseBoolean,
    isDecommissioned: looseBoolean,
    isUninstalled: looseBoolean,
    networkQuarantineEnabled: looseBoolean,
  },
} as const;

const s1Envelope = {
  pagination: {
    type: ['object', 'null'],
    properties: { nextCursor: nullableString, totalItems: { type: ['integer', 'null'] } },
  },
  errors: { type: ['array', 'null'] },
} as const;

export const sentineloneAdapter: Adapter<'endpoint'> = {
  kind: 'endpoint',
  source: SOURCE,
  bodyPart: 'body',
  parts: [
    {
      name: 'body',
      format: 'json',
      required: true,
      schema: envelopeOrArray('posture:vendor/sentinelone/body', 'data', agentSchema, s1Envelope),
      description: 'GET /web/api/v2.1/agents: {data, pagination} or bare array, one part per cursor page',
    },
  ],
  normalize({ parts }) {
    const warnings: Warning[] = [];
    const pages = parts.body ?? [];
    envelopeErrors(pages, warnings);
    const all = allRecords(pages, ['data']);
    pagingCheck(pages, all.length, warnings);
    const agents = dedupe(all, (r) => r.value.id as string, warnings);
    const endpoints = agents.map((rec) => toEndpoint(rec, pages.length, warnings));
    const account = soleValue(agents, 'accountId');
    return { document: { endpoints }, warnings, ...(account !== undefined && { instance: account }) };
  },
};

function toEndpoint(rec: Record_, pageCount: number, warnings: Warning[]): Endpoint {
  const a = rec.value;
  const removed = removedAs(rec, warnings);
  const agent = defined({
    vendor: SOURCE,
    version: versionOf(a.agentVersion),
    upToDate: toBool(a.isUpToDate),
    lastSeenAt: seenAt(a.lastActiveDate, rec, 'lastActiveDate', warnings),
    health: removed ? ('inactive' as const) : healthOf(a),
  });
  const base = {
    id: a.id as string,
    source: SOURCE,
    hostname: hostnameOf(a.computerName, rec, 'computerName', warnings),
    os: text(a.osName) ?? text(a.osType),
    managed: !removed,
    agent,
  };
  const origin = originOf(rec, pageCount);
  if (removed) return defined({ ...base, origin });
  return defined({
    ...base,
    protection: { mode: modeOf(a), signaturesUpToDate: null },
    activeThreats: threatsOf(rec, warnings),
    contained: containedOf(a),
    origin,
  });
}

/** Decommissioned or uninstalled: no agent protects the host any more; reported, not counted. */
function removedAs(rec: Record_, warnings: Warning[]): boolean {
  const field = toBool(rec.value.isDecommissioned)
    ? 'isDecommissioned'
    : toBool(rec.value.isUninstalled)
      ? 'isUninstalled'
      : undefined;
  if (field === undefined) return false;
  const what = field === 'isDecommissioned' ? 'decommissioned' : 'uninstalled';
  warnings.push(
    at(rec, `agent_${what}`, `the agent is ${what}: the host is listed as not covered (managed: false)`, field),
  );
  return true;
}

function healthOf(a: Record<string, unknown>): Health {
  if (toBool(a.isActive) === false) return 'inactive';
  const state = lower(a.operationalState);
  if (state === 'na') return 'healthy';
  if (state !== undefined && (PARTIALLY_DISABLED.has(state) || FULLY_DISABLED.has(state))) return 'degraded';
  return 'unknown';
}

function modeOf(a: Record<string, unknown>): Mode {
  const state = lower(a.operationalState);
  if (state !== undefined && FULLY_DISABLED.has(state)) return 'off';
  return MITIGATION[lower(a.mitigationMode) ?? ''] ?? 'unknown';
}

function threatsOf(rec: Record_, warnings: Warning[]): number | undefined {
  const count = typeof rec.value.activeThreats === 'number' ? rec.value.activeThreats : undefined;
  const infected = toBool(rec.value.infected);
  if (infected === true && !(count !== undefined && count > 0)) {
    warnings.push(
      at(
        rec,
        'threat_count_inconsistent',
        'the agent is infected but activeThreats is not positive; counted as at least one',
        'activeThreats',
      ),
    );
    return 1;
  }
  return count ?? (infected === false ? 0 : undefined);
}

function containedOf(a: Record<string, unknown>): boolean | undefined {
  return toBool(a.networkQuarantineEnabled) ?? QUARANTINE[lower(a.networkStatus) ?? ''];
}

/** A `nextCursor` on the last page, or `totalItems` above the records given: pages are missing. */
function pagingCheck(pages: readonly Page[], count: number, warnings: Warning[]): void {
  const last = pages.at(-1);
  const pagination =
    last && isObject(last.value) && isObject(last.value.pagination) ? last.value.pagination : undefined;
  if (last === undefined || pagination === undefined) return;
  if (text(pagination.nextCursor) !== undefined) {
    warnings.push(
      incomplete(last.part, last.page, '/pagination/nextCursor', 'the last page given still has a nextCursor'),
    );
  } else if (typeof pagination.totalItems === 'number' && pagination.totalItems > count) {
    warnings.push(
      incomplete(
        last.part,
        last.page,
        '/pagination/totalItems',
        `pagination.totalItems is ${pagination.totalItems} but ${count} record(s) were given`,
      ),
    );
  }
}
