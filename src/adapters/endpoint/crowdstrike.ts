/**
 * CrowdStrike Falcon: host details (`/devices/entities/devices/v2`) joined to the prevention
 * policies (`/policy/entities/prevention/v1`) by `device_policies.prevention.policy_id`. Both parts
 * come in the Falcon envelope `{meta, resources, errors}` or as a bare array, possibly in pages.
 *
 * Decisions (FORMATS.md §5 is silent on them):
 * - protection is judged from the policy's settings keyed by setting id, never by name: `prevent`
 *   when either ML slider (OnSensorMLSlider, CloudAntiMalware) prevents above DISABLED (that
 *   engine blocks on its own), `detect` when they only detect, `off` when the policy is disabled
 *   or every slider is DISABLED, `unknown` when the sliders are missing or unreadable;
 * - `applied: false` is judged by the assigned policy, with a warning: the host enforces it at its
 *   next check-in and the export holds nothing about the policy it replaces (only a hash);
 * - tamperProtection is the SensorTamperingProtection toggle, turned false when the sensor-update
 *   policy reports uninstall protection DISABLED or MAINTENANCE_MODE (the sensor can then be
 *   removed without a token) or when the policy is disabled; without the policy it stays absent;
 * - health speaks of the sensor only (reduced functionality mode); staleness is a rule over
 *   lastSeenAt; Falcon has no signatures (null), no "up to date" flag and no threat count here.
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

const SOURCE = 'crowdstrike';
const ML_SLIDERS = ['OnSensorMLSlider', 'CloudAntiMalware'] as const;
const ML_LEVELS = new Set(['CAUTIOUS', 'MODERATE', 'AGGRESSIVE', 'EXTRA_AGGRESSIVE']);
const CONTAINED = new Set(['contained', 'containment_pending', 'lift_containment_pending']);

const falconEnvelope = {
  meta: {
    type: 'object',
    properties: { pagination: { type: ['object', 'null'], properties: { total: { type: 'integer' } } } },
  },
  errors: { type: ['array', 'null'] },
} as const;

const deviceSchema = {
  type: 'object',
  required: ['device_id'],
  properties: {
    device_id: { type: 'string', minLength: 1 },
    cid: nullableString,
    hostname: nullableString,
    platform_name: nullableString,
    os_version: nullableString,
    agent_version: nullableString,
    last_seen: nullableString,
    status: nullableString,
    reduced_functionality_mode: nullableString,
    device_policies: {
      type: ['object', 'null'],
      properties: {
        prevention: {
          type: ['object', 'null'],
          properties: { policy_id: nullableString, applied: { type: ['boolean', 'null'] } },
        },
        sensor_update: { type: ['object', 'null'], properties: { uninstall_protection: nullableString } },
      },
    },
  },
} as const;

const policySchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1 },
    name: nullableString,
    enabled: { type: ['boolean', 'null'] },
    prevention_settings: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          name: nullableString,
          settings: {
            type: ['array', 'null'],
            items: {
              type: 'object',
              required: ['id'],
              properties: { id: { type: 'string' }, type: nullableString, value: { type: ['object', 'null'] } },
            },
          },
        },
      },
    },
  },
} as const;

/** A prevention policy reduced to what the endpoint needs: its switch and its settings by id. */
interface Policy {
  enabled: boolean | undefined;
  settings: Map<string, Record<string, unknown>>;
}

export const crowdstrikeAdapter: Adapter<'endpoint'> = {
  kind: 'endpoint',
  source: SOURCE,
  bodyPart: 'devices',
  parts: [
    {
      name: 'devices',
      format: 'json',
      required: true,
      schema: envelopeOrArray('posture:vendor/crowdstrike/devices', 'resources', deviceSchema, falconEnvelope),
      description: 'host details (/devices/entities/devices/v2): Falcon envelope or bare array, one part per page',
    },
    {
      name: 'policies',
      format: 'json',
      required: true,
      schema: envelopeOrArray('posture:vendor/crowdstrike/policies', 'resources', policySchema, falconEnvelope),
      description:
        'prevention policies (/policy/entities/prevention/v1): Falcon envelope or bare array, one part per page',
    },
  ],
  normalize({ parts }) {
    const warnings: Warning[] = [];
    const devicePages = parts.devices ?? [];
    const policyPages = parts.policies ?? [];
    envelopeErrors([...devicePages, ...policyPages], warnings);
    const all = allRecords(devicePages, ['resources']);
    pagingCheck(devicePages, all.length, warnings);
    pagingCheck(policyPages, allRecords(policyPages, ['resources']).length, warnings);
    const devices = dedupe(all, (r) => r.value.device_id as string, warnings);
    const policies = policyIndex(policyPages);
    const missing = new Map<string, { count: number; first: Record_ }>();
    const endpoints = devices.map((rec) =>
      toEndpoint(rec, { policies, missing, pageCount: devicePages.length, warnings }),
    );
    for (const [id, { count, first }] of missing) {
      warnings.push(
        at(
          first,
          'policy_not_found',
          `prevention policy ${JSON.stringify(id)} of ${count} host(s) is not in the policies export: their protection mode is unknown`,
          'device_policies/prevention/policy_id',
        ),
      );
    }
    const cid = soleValue(devices, 'cid');
    return { document: { endpoints }, warnings, ...(cid !== undefined && { instance: cid }) };
  },
};

interface Context {
  policies: Map<string, Policy>;
  missing: Map<string, { count: number; first: Record_ }>;
  pageCount: number;
  warnings: Warning[];
}

function toEndpoint(rec: Record_, ctx: Context): Endpoint {
  const d = rec.value;
  return defined({
    id: d.device_id as string,
    source: SOURCE,
    hostname: hostnameOf(d.hostname, rec, 'hostname', ctx.warnings),
    os: osOf(d.platform_name, d.os_version),
    managed: true,
    agent: defined({
      vendor: SOURCE,
      version: versionOf(d.agent_version),
      lastSeenAt: seenAt(d.last_seen, rec, 'last_seen', ctx.warnings),
      health: healthOf(d.reduced_functionality_mode),
    }),
    protection: protectionOf(rec, ctx),
    contained: containedOf(d.status),
    origin: originOf(rec, ctx.pageCount),
  });
}

/** `os_version` usually repeats the platform ("Windows 11"); Linux and Mac name only the release. */
function osOf(platform: unknown, version: unknown): string | undefined {
  const p = text(platform);
  const v = text(version);
  if (p === undefined || v === undefined) return v ?? p;
  return v.toLowerCase().startsWith(p.toLowerCase()) ? v : `${p} ${v}`;
}

/** Reduced functionality mode: the sensor runs but cannot fully protect (e.g. unsupported kernel). */
function healthOf(rfm: unknown): Health {
  const v = lower(rfm);
  return v === 'yes' ? 'degraded' : v === 'no' ? 'healthy' : 'unknown';
}

function containedOf(status: unknown): boolean | undefined {
  const s = lower(status);
  if (s === undefined) return undefined;
  if (CONTAINED.has(s)) return true;
  return s === 'normal' ? false : undefined;
}

function protectionOf(rec: Record_, ctx: Context): NonNullable<Endpoint['protection']> {
  const policies = isObject(rec.value.device_policies) ? rec.value.device_policies : {};
  const prevention = isObject(policies.prevention) ? policies.prevention : {};
  const policyId = text(prevention.policy_id);
  if (policyId === undefined) {
    ctx.warnings.push(
      at(
        rec,
        'no_prevention_policy',
        'the host names no prevention policy: its protection mode is unknown',
        'device_policies',
      ),
    );
    return { mode: 'unknown', signaturesUpToDate: null };
  }
  const policy = ctx.policies.get(policyId);
  if (policy === undefined) {
    const entry = ctx.missing.get(policyId) ?? { count: 0, first: rec };
    ctx.missing.set(policyId, { ...entry, count: entry.count + 1 });
    return { mode: 'unknown', signaturesUpToDate: null };
  }
  if (prevention.applied === false) {
    ctx.warnings.push(
      at(
        rec,
        'policy_not_applied',
        `prevention policy ${JSON.stringify(policyId)} is assigned but not yet applied; the host is judged by it`,
        'device_policies/prevention/applied',
      ),
    );
  }
  const uninstall = isObject(policies.sensor_update) ? policies.sensor_update.uninstall_protection : undefined;
  return defined({ mode: modeOf(policy), tamperProtection: tamperOf(policy, uninstall), signaturesUpToDate: null });
}

/** Prevention beats detection; an unreadable slider makes the answer unknown rather than weaker. */
function modeOf(policy: Policy): Mode {
  if (policy.enabled === false) return 'off';
  if (policy.enabled !== true) return 'unknown';
  const sliders = ML_SLIDERS.map((id) => policy.settings.get(id)).filter((s) => s !== undefined);
  if (sliders.length === 0) return 'unknown';
  const prevention = sliders.map((s) => sliderLevel(s.prevention));
  if (prevention.includes('on')) return 'prevent';
  if (prevention.includes('unknown')) return 'unknown';
  const detection = sliders.map((s) => sliderLevel(s.detection));
  if (detection.includes('on')) return 'detect';
  return detection.includes('unknown') ? 'unknown' : 'off';
}

function sliderLevel(value: unknown): 'on' | 'off' | 'unknown' {
  const v = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (v === 'DISABLED') return 'off';
  return v !== undefined && ML_LEVELS.has(v) ? 'on' : 'unknown';
}

/** A disabled policy enforces none of its settings, the tamper toggle included. */
function tamperOf(policy: Policy, uninstallProtection: unknown): boolean | undefined {
  if (policy.enabled === false) return false;
  const toggle = toBool(policy.settings.get('SensorTamperingProtection')?.enabled);
  if (toggle !== true) return toggle;
  const uninstall = lower(uninstallProtection);
  return uninstall !== 'disabled' && uninstall !== 'maintenance_mode';
}

/** Policies by id (the first of a repeated id wins), settings flattened across categories by id. */
function policyIndex(pages: readonly Page[]): Map<string, Policy> {
  const index = new Map<string, Policy>();
  for (const { value: p } of allRecords(pages, ['resources'])) {
    const id = p.id as string;
    if (index.has(id)) continue;
    const settings = new Map<string, Record<string, unknown>>();
    const categories = Array.isArray(p.prevention_settings) ? p.prevention_settings : [];
    for (const c of categories.filter(isObject)) {
      for (const s of (Array.isArray(c.settings) ? c.settings : []).filter(isObject)) {
        if (typeof s.id === 'string' && isObject(s.value)) settings.set(s.id, s.value);
      }
    }
    index.set(id, { enabled: typeof p.enabled === 'boolean' ? p.enabled : undefined, settings });
  }
  return index;
}

/** Falcon's `meta.pagination.total` larger than the records given: pages are missing. */
function pagingCheck(pages: readonly Page[], count: number, warnings: Warning[]): void {
  let total: number | undefined;
  let last: Page | undefined;
  for (const p of pages) {
    const meta = isObject(p.value) && isObject(p.value.meta) ? p.value.meta : undefined;
    const t = meta && isObject(meta.pagination) ? meta.pagination.total : undefined;
    if (typeof t === 'number' && (total === undefined || t > total)) [total, last] = [t, p];
  }
  if (total !== undefined && last !== undefined && total > count) {
    warnings.push(
      incomplete(
        last.part,
        last.page,
        '/meta/pagination/total',
        `meta.pagination.total is ${total} but ${count} record(s) were given`,
      ),
    );
  }
}
