import fc from 'fast-check';
import { defenderAdapter } from '../../../src/adapters/endpoint/defender.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { Endpoint, EndpointDocument } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const FULL: [string, string][] = [
  ['machines', 'defender/machines-page1.json'],
  ['machines', 'defender/machines-page2.json'],
  ['avinfo', 'defender/avinfo.json'],
  ['avinfo', 'defender/avinfo-bare.json'],
];

const id = (n: number) => `${String(n).padStart(2, '0')}7c0a3d1e2f4b5a6c7d8e9f0a1b2c3d4e5f6a7b`;

function run(parts: [string, string][] = FULL): AdapterResult & { endpoints: Endpoint[] } {
  const result = runOnFixtures(defenderAdapter, parts);
  return { ...result, endpoints: (result.document as EndpointDocument).endpoints };
}

function machine(n: number, parts?: [string, string][]): Endpoint {
  const found = run(parts).endpoints.find((e) => e.id === id(n));
  if (!found) throw new Error(`no machine ${n}`);
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

describe('defender adapter', () => {
  it('joins a machine to its AV info and normalises every field', () => {
    expect(machine(1)).toEqual({
      id: id(1),
      source: 'defender',
      hostname: 'ws-fin-01.corp.example.com',
      os: 'Windows11 23H2',
      managed: true,
      agent: {
        vendor: 'defender',
        version: '10.8760.22631.4317',
        upToDate: true,
        lastSeenAt: '2025-02-01T10:03:11.123Z',
        health: 'healthy',
      },
      protection: { mode: 'prevent', signaturesUpToDate: true },
      origin: { part: 'machines', page: 0, pointer: '/value/0' },
    });
  });

  it('reads every page of both parts, names no instance and keeps tamper protection, threats and isolation absent', () => {
    const { endpoints, instance } = run();
    expect(endpoints).toHaveLength(13);
    expect(instance).toBeUndefined();
    for (const e of endpoints) {
      expect(e.protection ?? {}).not.toHaveProperty('tamperProtection');
      expect(e).not.toHaveProperty('activeThreats');
      expect(e).not.toHaveProperty('contained');
    }
  });

  it('compares onboardingStatus case-insensitively and joins avinfo on machineId case-insensitively', () => {
    expect(machine(2)).toEqual({
      id: id(2),
      source: 'defender',
      hostname: 'ws-hr-02.corp.example.com',
      os: 'Windows10 22H2',
      managed: true,
      agent: {
        vendor: 'defender',
        version: '10.8560.19045.5131',
        upToDate: false,
        lastSeenAt: '2025-01-31T17:45:09.765Z',
        health: 'degraded',
      },
      protection: { mode: 'detect', signaturesUpToDate: false },
      origin: { part: 'machines', page: 0, pointer: '/value/1' },
    });
  });

  it.each([
    [3, 'CanBeOnboarded', 'printer-01'],
    [10, 'Unsupported', 'iot-cam-01'],
  ])(
    'a discovered device (%s: %s) is an endpoint with managed false and no agent or protection',
    (n, _status, hostname) => {
      const e = machine(n);
      expect(e).toEqual({
        id: id(n),
        source: 'defender',
        hostname,
        os: expect.any(String),
        managed: false,
        origin: expect.objectContaining({ part: 'machines' }),
      });
    },
  );

  it('InsufficientInfo without a DNS name is unmanaged, keeps an empty hostname and is flagged', () => {
    const { endpoints, warnings } = run();
    expect(endpoints.find((e) => e.id === id(11))).toEqual({
      id: id(11),
      source: 'defender',
      hostname: '',
      os: 'Unknown',
      managed: false,
      origin: { part: 'machines', page: 1, pointer: '/value/6' },
    });
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'missing_hostname', page: 1, pointer: '/value/6/computerDnsName' }),
    );
  });

  it.each([
    [1, 'Active', 'healthy'],
    [2, 'ImpairedCommunication', 'degraded'],
    [4, 'Inactive', 'inactive'],
    [5, 'NoSensorData', 'degraded'],
    [6, 'NoSensorDataImpairedCommunication', 'degraded'],
    [9, 'Unknown', 'unknown'],
  ])('machine %i healthStatus %s → health %s', (n, _status, health) => {
    expect(machine(n).agent?.health).toBe(health);
  });

  it.each([
    [1, '"0" Active', 'prevent'],
    [2, '"1" Passive', 'detect'],
    [4, '"2" Disabled', 'off'],
    [7, '"3" Other', 'unknown'],
    [5, '"4" EDRBlocked', 'detect'],
    [6, '"5" PassiveAudit', 'detect'],
    [12, '"" Other', 'unknown'],
  ])('machine %i avMode %s → mode %s', (n, _mode, mode) => {
    expect(machine(n).protection?.mode).toBe(mode);
  });

  it('avIsSignatureUpToDate "Unknown" leaves the signature state absent; Unknown engine leaves upToDate absent', () => {
    expect(machine(4)).toEqual(
      expect.objectContaining({
        agent: {
          vendor: 'defender',
          version: '10.8560.20348.2849',
          lastSeenAt: '2024-12-01T00:00:00.000Z',
          health: 'inactive',
        },
        protection: { mode: 'off' },
      }),
    );
  });

  it('falls back to defenderAvStatus for signatures: Updated without AV info gives signatures but an unknown mode', () => {
    expect(machine(8).protection).toEqual({ mode: 'unknown', signaturesUpToDate: true });
    expect(machine(7).protection).toEqual({ mode: 'unknown', signaturesUpToDate: true });
  });

  it('without AV info or a usable defenderAvStatus, protection is absent; the missing rows are counted in one warning', () => {
    const { endpoints, warnings } = run();
    expect(endpoints.find((e) => e.id === id(9))).not.toHaveProperty('protection');
    expect(warnings.filter((w) => w.code === 'avinfo_missing')).toEqual([
      { code: 'avinfo_missing', message: expect.stringContaining('2 onboarded machine(s)'), part: 'avinfo' },
    ]);
  });

  it('without the avinfo part: no protection beyond defenderAvStatus, and no avinfo warning', () => {
    const { endpoints, warnings } = run([
      ['machines', 'defender/machines-page1.json'],
      ['machines', 'defender/machines-page2.json'],
    ]);
    const byId = new Map(endpoints.map((e) => [e.id, e]));
    expect(byId.get(id(1))?.protection).toEqual({ mode: 'unknown', signaturesUpToDate: true });
    expect(byId.get(id(2))?.protection).toEqual({ mode: 'unknown', signaturesUpToDate: false });
    expect(byId.get(id(4))).not.toHaveProperty('protection');
    expect(byId.get(id(1))?.agent).not.toHaveProperty('upToDate');
    expect(warnings.some((w) => w.code === 'avinfo_missing')).toBe(false);
  });

  it('an undocumented or missing onboardingStatus: onboarded with an agent version, else managed unknown (absent), with a warning', () => {
    const { endpoints, warnings } = run();
    expect(endpoints.find((e) => e.id === id(12))?.managed).toBe(true);
    expect(endpoints.find((e) => e.id === id(13))).not.toHaveProperty('managed');
    expect(endpoints.find((e) => e.id === id(13))).not.toHaveProperty('agent');
    expect(warnings.filter((w) => w.code === 'unknown_onboarding_status').map((w) => w.pointer)).toEqual([
      '/value/7/onboardingStatus',
      '/value/8/onboardingStatus',
    ]);
  });

  it('warns when the last page given still has an @odata.nextLink', () => {
    const { warnings } = run([['machines', 'defender/machines-page1.json']]);
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'incomplete_export', part: 'machines', page: 0, pointer: '/@odata.nextLink' }),
    );
    expect(run().warnings.some((w) => w.code === 'incomplete_export')).toBe(false);
  });

  it('accepts a bare array: no page in the origin, null lastSeen is "never"', () => {
    const { endpoints } = run([['machines', 'defender/machines-bare.json']]);
    expect(endpoints.map((e) => e.origin)).toEqual([
      { part: 'machines', pointer: '/0' },
      { part: 'machines', pointer: '/1' },
    ]);
    expect(endpoints[0]?.hostname).toBe('WS-KIOSK-01');
    expect(endpoints[1]).toEqual(
      expect.objectContaining({
        os: 'Windows11',
        agent: { vendor: 'defender', version: '10.8760.22631.4317', lastSeenAt: null, health: 'healthy' },
      }),
    );
    expect(endpoints[1]).not.toHaveProperty('protection');
  });

  it('rejects AV rows that break the part schema with 422 and pointers into the page', () => {
    const err = inputError(() =>
      run([
        ['machines', 'defender/machines-page1.json'],
        ['avinfo', 'defender/avinfo-bad-schema.json'],
      ]),
    );
    expect(err.status).toBe(422);
    expect(err.problems).toEqual([
      { part: 'avinfo', page: 0, pointer: '/value/1/avMode', message: expect.any(String) },
      { part: 'avinfo', page: 0, pointer: '/value/1/avIsSignatureUpToDate', message: expect.any(String) },
      { part: 'avinfo', page: 0, pointer: '/value/2/machineId', message: expect.any(String) },
    ]);
  });

  it('rejects malformed JSON with 400 and its line', () => {
    const err = inputError(() => run([['machines', 'defender/machines-malformed.json']]));
    expect(err.status).toBe(400);
    expect(err.problems[0]).toEqual(expect.objectContaining({ part: 'machines', page: 0, line: 4 }));
  });

  it('a saved API error response is not a machines export (422 at /value)', () => {
    const err = inputError(() =>
      run([
        ['machines', 'defender/machines-page1.json'],
        ['machines', 'defender/machines-error-response.json'],
      ]),
    );
    expect(err.status).toBe(422);
    expect(err.problems).toEqual([
      { part: 'machines', page: 1, pointer: '/value', message: expect.stringContaining('required') },
    ]);
  });
});

describe('defender adapter on arbitrary vendor values', () => {
  const anyText = fc.option(
    fc.oneof(
      fc.constantFrom(
        'Onboarded',
        'onboarded',
        'CanBeOnboarded',
        'Active',
        'Inactive',
        'True',
        'False',
        'Unknown',
        '',
        '0',
        '4',
      ),
      fc.string(),
    ),
    { nil: null },
  );
  const machine = fc.record({
    id: fc.constantFrom('m1', 'M2', 'm3', 'm4'),
    computerDnsName: anyText,
    osPlatform: anyText,
    healthStatus: anyText,
    onboardingStatus: anyText,
    agentVersion: anyText,
    lastSeen: anyText,
    defenderAvStatus: anyText,
  });
  const avRow = fc.record({
    machineId: fc.constantFrom('m1', 'm2', 'M3', 'x'),
    avMode: fc.oneof(anyText, fc.integer({ min: 0, max: 9 })),
    avIsSignatureUpToDate: fc.oneof(anyText, fc.boolean()),
    avIsEngineUpToDate: anyText,
    avIsPlatformUpToDate: anyText,
  });

  it('never crashes and always yields a valid canonical document', () => {
    fc.assert(
      fc.property(fc.array(machine, { maxLength: 5 }), fc.array(avRow, { maxLength: 5 }), (machines, av) => {
        const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));
        const result = runAdapter(
          defenderAdapter,
          [
            { name: 'machines', bytes: bytes({ value: machines }) },
            { name: 'avinfo', bytes: bytes(av) },
          ],
          { clients: [] },
        );
        for (const e of (result.document as EndpointDocument).endpoints) {
          if (!e.managed) expect(e).not.toHaveProperty('agent');
        }
      }),
      { numRuns: 150 },
    );
  });
});
