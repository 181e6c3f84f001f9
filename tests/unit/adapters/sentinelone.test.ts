import fc from 'fast-check';
import { sentineloneAdapter } from '../../../src/adapters/endpoint/sentinelone.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { Endpoint, EndpointDocument } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const PAGES: [string, string][] = [
  ['body', 'sentinelone/agents-page1.json'],
  ['body', 'sentinelone/agents-page2.json'],
];

function run(parts: [string, string][] = PAGES): AdapterResult & { endpoints: Endpoint[] } {
  const result = runOnFixtures(sentineloneAdapter, parts);
  return { ...result, endpoints: (result.document as EndpointDocument).endpoints };
}

function host(name: string, parts?: [string, string][]): Endpoint {
  const found = run(parts).endpoints.find((e) => e.hostname === name);
  if (!found) throw new Error(`no endpoint ${name}`);
  return found;
}

function inputError(fn: () => unknown): AdapterInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AdapterInputError) return e;
    throw e;
  }
  throw new Error('expected an AdapterInputError');
}

describe('sentinelone adapter', () => {
  it('normalises a healthy agent in protect mode field by field', () => {
    expect(host('WS-FIN-01')).toEqual({
      id: '1000000000000000001',
      source: 'sentinelone',
      hostname: 'WS-FIN-01',
      os: 'Windows 11 Pro',
      managed: true,
      agent: {
        vendor: 'sentinelone',
        version: '24.1.4.257',
        upToDate: true,
        lastSeenAt: '2025-02-01T10:03:11.123Z',
        health: 'healthy',
      },
      protection: { mode: 'prevent', signaturesUpToDate: null },
      activeThreats: 0,
      contained: false,
      origin: { part: 'body', page: 0, pointer: '/data/0' },
    });
  });

  it('reads the cursor pages in order and names the account as instance', () => {
    const { endpoints, instance, warnings } = run();
    expect(endpoints.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `100000000000000000${n}`));
    expect(instance).toBe('1234567890123456789');
    expect(warnings.some((w) => w.code === 'incomplete_export')).toBe(false);
  });

  it('detect mode, partially disabled, quarantined and infected', () => {
    expect(host('WS-HR-02')).toEqual({
      id: '1000000000000000002',
      source: 'sentinelone',
      hostname: 'WS-HR-02',
      os: 'Windows 11 Pro',
      managed: true,
      agent: {
        vendor: 'sentinelone',
        version: '23.4.2.14',
        upToDate: false,
        lastSeenAt: '2025-02-01T10:03:11.123Z',
        health: 'degraded',
      },
      protection: { mode: 'detect', signaturesUpToDate: null },
      activeThreats: 2,
      contained: true,
      origin: { part: 'body', page: 0, pointer: '/data/1' },
    });
  });

  it.each([
    ['SRV-DB-01', 'auto_fully_disabled'],
    ['lnx-10', 'disabled_error'],
  ])('a fully disabled agent (%s: %s) is degraded with protection off, whatever its mitigation mode', (name) => {
    const e = host(name);
    expect(e.agent?.health).toBe('degraded');
    expect(e.protection).toEqual({ mode: 'off', signaturesUpToDate: null });
  });

  it.each([
    ['WS-OLD-03', 'agent_decommissioned', 0, '/data/3/isDecommissioned', '2024-06-01T00:00:00.000Z'],
    ['WS-GONE-04', 'agent_uninstalled', 1, '/data/0/isUninstalled', '2024-11-30T12:00:00.000Z'],
  ])(
    '%s is kept as not covered (managed false, inactive, no protection) and reported (%s)',
    (name, code, page, pointer, lastSeenAt) => {
      const { endpoints, warnings } = run();
      const e = endpoints.find((x) => x.hostname === name)!;
      expect(e).toEqual({
        id: expect.any(String),
        source: 'sentinelone',
        hostname: name,
        os: 'Windows 11 Pro',
        managed: false,
        agent: { vendor: 'sentinelone', version: '24.1.4.257', upToDate: true, lastSeenAt, health: 'inactive' },
        origin: { part: 'body', page, pointer: pointer.replace(/\/is\w+$/, '') },
      });
      expect(warnings).toContainEqual(expect.objectContaining({ code, part: 'body', page, pointer }));
    },
  );

  it('isActive false makes the agent inactive but keeps its policy mode', () => {
    const e = host('LAPTOP-07');
    expect(e.agent?.health).toBe('inactive');
    expect(e.protection?.mode).toBe('prevent');
  });

  it('a network-quarantined agent is contained, not unhealthy', () => {
    const e = host('LAPTOP-08');
    expect(e.agent?.health).toBe('healthy');
    expect(e.contained).toBe(true);
  });

  it('unknown operational state and missing mitigation mode stay unknown; infected with 0 threats counts as one, with a warning', () => {
    const { endpoints, warnings } = run();
    expect(endpoints.find((e) => e.hostname === 'MAC-09')).toEqual({
      id: '1000000000000000008',
      source: 'sentinelone',
      hostname: 'MAC-09',
      os: 'macOS Sonoma',
      managed: true,
      agent: {
        vendor: 'sentinelone',
        version: null,
        upToDate: true,
        lastSeenAt: '2025-02-01T10:03:11.123Z',
        health: 'unknown',
      },
      protection: { mode: 'unknown', signaturesUpToDate: null },
      activeThreats: 1,
      contained: true,
      origin: { part: 'body', page: 1, pointer: '/data/3' },
    });
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'threat_count_inconsistent', page: 1, pointer: '/data/3/activeThreats' }),
    );
  });

  it('falls back to osType for the OS, keeps µs timestamps to the millisecond, and leaves isolation absent without a network status', () => {
    const e = host('lnx-10');
    expect(e.os).toBe('linux');
    expect(e.agent?.lastSeenAt).toBe('2025-02-01T09:59:59.999Z');
    expect(e).not.toHaveProperty('contained');
  });

  it('S1 is signatureless and exports no anti-tamper state', () => {
    for (const e of run().endpoints.filter((x) => x.managed)) {
      expect(e.protection?.signaturesUpToDate).toBeNull();
      expect(e.protection).not.toHaveProperty('tamperProtection');
    }
  });

  it('coerces "True"/"False" strings in a bare array; no page in the origin and no instance across accounts', () => {
    const { endpoints, instance, warnings } = run([['body', 'sentinelone/agents-bare.json']]);
    expect(instance).toBeUndefined();
    expect(endpoints).toEqual([
      {
        id: '2000000000000000001',
        source: 'sentinelone',
        hostname: 'KIOSK-01',
        os: 'Windows 11 Pro',
        managed: true,
        agent: {
          vendor: 'sentinelone',
          version: '24.1.4.257',
          upToDate: true,
          lastSeenAt: '2025-02-01T10:03:11.123Z',
          health: 'healthy',
        },
        protection: { mode: 'prevent', signaturesUpToDate: null },
        activeThreats: 0,
        contained: false,
        origin: { part: 'body', pointer: '/0' },
      },
      {
        id: '2000000000000000002',
        source: 'sentinelone',
        hostname: '',
        os: 'Windows 11 Pro',
        managed: true,
        agent: {
          vendor: 'sentinelone',
          version: '24.1.4.257',
          upToDate: false,
          lastSeenAt: '2025-02-01T10:03:11.123Z',
          health: 'degraded',
        },
        protection: { mode: 'off', signaturesUpToDate: null },
        activeThreats: 0,
        contained: false,
        origin: { part: 'body', pointer: '/1' },
      },
    ]);
    expect(warnings).toEqual([expect.objectContaining({ code: 'missing_hostname', pointer: '/1/computerName' })]);
  });

  it('warns when the last page still has a nextCursor', () => {
    const { warnings } = run([['body', 'sentinelone/agents-page1.json']]);
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'incomplete_export', part: 'body', page: 0, pointer: '/pagination/nextCursor' }),
    );
  });

  it('rejects records that break the part schema with 422 and pointers into the page', () => {
    const err = inputError(() => run([['body', 'sentinelone/agents-bad-schema.json']]));
    expect(err.status).toBe(422);
    expect(err.problems).toEqual([
      { part: 'body', page: 0, pointer: '/data/1/activeThreats', message: expect.any(String) },
      { part: 'body', page: 0, pointer: '/data/1/isActive', message: expect.any(String) },
      { part: 'body', page: 0, pointer: '/data/2/id', message: expect.any(String) },
    ]);
  });

  it('rejects malformed JSON with 400, its line and pointer', () => {
    const err = inputError(() => run([['body', 'sentinelone/agents-malformed.json']]));
    expect(err.status).toBe(400);
    expect(err.problems[0]).toEqual(
      expect.objectContaining({ part: 'body', page: 0, line: 8, pointer: '/pagination/nextCursor' }),
    );
  });

  it('rejects a part the source does not have', () => {
    const err = inputError(() => run([['agents', 'sentinelone/agents-page1.json']]));
    expect(err.status).toBe(400);
    expect(err.problems[0]?.part).toBe('agents');
  });
});

describe('sentinelone adapter on arbitrary vendor values', () => {
  const anyText = fc.option(
    fc.oneof(
      fc.constantFrom('protect', 'detect', 'na', 'fully_disabled', 'connected', 'disconnected', 'True', 'false', ''),
      fc.string(),
    ),
    { nil: null },
  );
  const looseBool = fc.oneof(fc.boolean(), anyText);
  const agent = fc.record({
    id: fc.constantFrom('1', '2', '3', '4'),
    computerName: anyText,
    osName: anyText,
    lastActiveDate: anyText,
    mitigationMode: anyText,
    operationalState: anyText,
    networkStatus: anyText,
    activeThreats: fc.option(fc.nat(5), { nil: null }),
    isActive: looseBool,
    isUpToDate: looseBool,
    infected: looseBool,
    isDecommissioned: looseBool,
    isUninstalled: looseBool,
    networkQuarantineEnabled: looseBool,
  });

  it('never crashes, always yields a valid canonical document, and never counts a removed agent as managed', () => {
    fc.assert(
      fc.property(fc.array(agent, { maxLength: 5 }), (agents) => {
        const result = runAdapter(
          sentineloneAdapter,
          [{ name: 'body', bytes: Buffer.from(JSON.stringify({ data: agents })) }],
          { clients: [] },
        );
        for (const e of (result.document as EndpointDocument).endpoints) {
          const raw = agents.find((a) => a.id === e.id)!;
          const removed = [raw.isDecommissioned, raw.isUninstalled].some(
            (v) => v === true || String(v).toLowerCase() === 'true',
          );
          expect(e.managed).toBe(!removed);
        }
      }),
      { numRuns: 150 },
    );
  });
});
