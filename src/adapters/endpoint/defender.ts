/**
 * Microsoft Defender for Endpoint: `GET /api/machines` (OData `{value, @odata.nextLink}` or a
 * bare array, possibly in pages) and, optionally, the AV health export `GET /api/deviceavinfo`,
 * joined on `machineId`.
 *
 * Decisions (FORMATS.md §6 is silent on them):
 * - `CanBeOnboarded`, `Unsupported` and `InsufficientInfo` are devices that device discovery saw
 *   without a sensor: `managed: false`, no agent, no protection. Without `onboardingStatus`
 *   (Microsoft's own List-machines example has none) or with a value MDE does not document, a
 *   device that reports an agent version is onboarded; one that does not is `managed` unknown
 *   (absent: rules reading it are insufficient evidence), never `false`, with a warning — it
 *   may well be onboarded, and calling it unprotected would be a finding the export does not
 *   support. No agent or protection block is claimed for it;
 * - avMode `"4"` (EDR in block mode) is `detect`: Defender Antivirus is passive, and EDR in block
 *   mode only remediates what was already detected — Microsoft positions it as a supplement to,
 *   not a replacement for, real-time protection;
 * - agent.upToDate is the AV platform and engine being current (`avIsPlatformUpToDate` and
 *   `avIsEngineUpToDate`): the sensor itself ships with the OS and has no such flag;
 * - signatures come from `avIsSignatureUpToDate`, else from the undocumented `defenderAvStatus`
 *   (`Updated`/`NotUpdated` only); without either, and without AV info, protection stays absent;
 * - tamper protection, threat counts and isolation are in neither export: left absent.
 */
import type { Endpoint } from '../../schemas/canonical-types.js';
import { allRecords, originOf, type Record_ } from '../common/envelope.js';
import type { Adapter, Page, Warning } from '../types.js';
import {
  at,
  dedupe,
  defined,
  envelopeOrArray,
  hostnameOf,
  incomplete,
  isObject,
  looseBoolean,
  lower,
  nullableString,
  seenAt,
  text,
  toBool,
  versionOf,
  type Health,
  type Mode,
} from './common.js';
import { lookup } from '../common/lookup.js';

const SOURCE = 'defender';
const UNMANAGED = new Set(['canbeonboarded', 'unsupported', 'insufficientinfo']);
const HEALTH = lookup<Health>({
  active: 'healthy',
  impairedcommunication: 'degraded',
  nosensordata: 'degraded',
  nosensordataimpairedcommunication: 'degraded',
  inactive: 'inactive',
});
/** deviceavinfo `avMode`: 0 Active, 1 Passive, 2 Disabled, 3 Other, 4 EDRBlocked, 5 PassiveAudit. */
const AV_MODES = lookup<Mode>({ '0': 'prevent', '1': 'detect', '4': 'detect', '5': 'detect', '2': 'off' });
const AV_STATUS_SIGNATURES = lookup<boolean>({ updated: true, notupdated: false });

const odataEnvelope = { '@odata.context': { type: 'string' }, '@odata.nextLink': nullableString } as const;

const machineSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1 },
    computerDnsName: nullableString,
    osPlatform: nullableString,
    version: nullableString,
    healthStatus: nullableString,
    onboardingStatus: nullableString,
    agentVersion: nullableString,
    lastSeen: nullableString,
    defenderAvStatus: nullableString,
  },
} as const;

const avinfoSchema = {
  type: 'object',
  required: ['machineId'],
  properties: {
    machineId: { type: 'string', minLength: 1 },
    avMode: { type: ['string', 'integer', 'null'] },
    avIsSignatureUpToDate: looseBoolean,
    avIsEngineUpToDate: looseBoolean,
    avIsPlatformUpToDate: looseBoolean,
  },
} as const;

export const defenderAdapter: Adapter<'endpoint'> = {
  kind: 'endpoint',
  source: SOURCE,
  bodyPart: 'machines',
  parts: [
    {
      name: 'machines',
      format: 'json',
      required: true,
      schema: envelopeOrArray('posture:vendor/defender/machines', 'value', machineSchema, odataEnvelope),
      description: 'GET /api/machines: OData envelope or bare array, one part per page',
    },
    {
      name: 'avinfo',
      format: 'json',
      required: false,
      schema: envelopeOrArray('posture:vendor/defender/avinfo', 'value', avinfoSchema, odataEnvelope),
      description: 'GET /api/deviceavinfo (AV health): OData envelope or bare array, one part per page',
    },
  ],
  normalize({ parts }) {
    const warnings: Warning[] = [];
    const machinePages = parts.machines ?? [];
    const avPages = parts.avinfo;
    pagingCheck(machinePages, warnings);
    pagingCheck(avPages ?? [], warnings);
    const machines = dedupe(allRecords(machinePages, ['value']), (r) => r.value.id as string, warnings);
    const avinfo = avIndex(avPages ?? []);
    let withoutAv = 0;
    const endpoints = machines.map((rec) => {
      const av = avinfo.get((rec.value.id as string).toLowerCase());
      const endpoint = toEndpoint(rec, av, machinePages.length, warnings);
      if (avPages !== undefined && endpoint.managed && av === undefined) withoutAv++;
      return endpoint;
    });
    if (withoutAv > 0) {
      warnings.push({
        code: 'avinfo_missing',
        message: `${withoutAv} onboarded machine(s) have no row in the avinfo export: their protection mode is unknown`,
        part: 'avinfo',
      });
    }
    return { document: { endpoints }, warnings };
  },
};

function toEndpoint(
  rec: Record_,
  av: Record<string, unknown> | undefined,
  pageCount: number,
  warnings: Warning[],
): Endpoint {
  const m = rec.value;
  const managed = managedOf(rec, warnings);
  const base = {
    id: m.id as string,
    source: SOURCE,
    hostname: hostnameOf(m.computerDnsName, rec, 'computerDnsName', warnings),
    os: osOf(m.osPlatform, m.version),
    managed,
  };
  const origin = originOf(rec, pageCount);
  if (managed !== true) return defined({ ...base, origin });
  return defined({
    ...base,
    agent: defined({
      vendor: SOURCE,
      version: versionOf(m.agentVersion),
      upToDate: av && upToDateOf(av),
      lastSeenAt: seenAt(m.lastSeen, rec, 'lastSeen', warnings),
      health: HEALTH[lower(m.healthStatus) ?? ''] ?? 'unknown',
    }),
    protection: protectionOf(m, av),
    origin,
  });
}

/**
 * Live payloads say `Onboarded`, the docs `onboarded`: compared case-insensitively. Missing or
 * undocumented: onboarded when the device reports an agent version, else unknown (undefined).
 */
function managedOf(rec: Record_, warnings: Warning[]): boolean | undefined {
  const status = lower(rec.value.onboardingStatus);
  if (status === 'onboarded') return true;
  if (status !== undefined && UNMANAGED.has(status)) return false;
  const reportsAgent = text(rec.value.agentVersion) !== undefined;
  const what = status === undefined ? 'onboardingStatus is missing' : 'onboardingStatus is not one MDE documents';
  warnings.push(
    at(
      rec,
      'unknown_onboarding_status',
      `${what}; ${reportsAgent ? 'judged onboarded (it reports an agent version)' : 'whether an agent is installed is unknown (managed left absent)'}`,
      'onboardingStatus',
    ),
  );
  return reportsAgent ? true : undefined;
}

/** `osPlatform` ("Windows11", "WindowsServer2022", "Linux") plus the release (`version`, e.g. "23H2"). */
function osOf(platform: unknown, version: unknown): string | undefined {
  const parts = [text(platform), text(version)].filter((s) => s !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function upToDateOf(av: Record<string, unknown>): boolean | undefined {
  const flags = [toBool(av.avIsPlatformUpToDate), toBool(av.avIsEngineUpToDate)];
  if (flags.includes(false)) return false;
  return flags.every((f) => f === true) ? true : undefined;
}

function protectionOf(m: Record<string, unknown>, av: Record<string, unknown> | undefined): Endpoint['protection'] {
  const signatures = (av && toBool(av.avIsSignatureUpToDate)) ?? AV_STATUS_SIGNATURES[lower(m.defenderAvStatus) ?? ''];
  if (av === undefined && signatures === undefined) return undefined;
  const mode = av === undefined ? 'unknown' : (AV_MODES[String(av.avMode ?? '').trim()] ?? 'unknown');
  return defined({ mode, signaturesUpToDate: signatures });
}

/** AV rows by machine id (lower-cased: MDE ids are hex); a later page's row replaces an earlier one. */
function avIndex(pages: readonly Page[]): Map<string, Record<string, unknown>> {
  return new Map(allRecords(pages, ['value']).map((r) => [(r.value.machineId as string).toLowerCase(), r.value]));
}

/** An `@odata.nextLink` on the last page given means the export stopped before the end. */
function pagingCheck(pages: readonly Page[], warnings: Warning[]): void {
  const last = pages.at(-1);
  if (last && isObject(last.value) && text(last.value['@odata.nextLink']) !== undefined) {
    warnings.push(
      incomplete(last.part, last.page, '/@odata.nextLink', 'the last page given still has an @odata.nextLink'),
    );
  }
}
