import fc from 'fast-check';
import { crowdstrikeAdapter } from '../../../src/adapters/endpoint/crowdstrike.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError, type AdapterResult } from '../../../src/adapters/types.js';
import type { Endpoint, EndpointDocument } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const FULL: [string, string][] = [
  ['devices', 'crowdstrike/devices-page1.json'],
  ['devices', 'crowdstrike/devices-page2.json'],
  ['policies', 'crowdstrike/policies.json'],
  ['policies', 'crowdstrike/policies-bare.json'],
];

function run(parts: [string, string][] = FULL): AdapterResult & { endpoints: Endpoint[] } {
  const result = runOnFixtures(crowdstrikeAdapter, parts);
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

describe('crowdstrike adapter', () => {
  it('joins a host to its prevention policy and normalises every field', () => {
    expect(host('WS-FIN-01')).toEqual({
      id: 'a1b2c3d4e5f60718293a4b5c6d7e8f01',
      source: 'crowdstrike',
      hostname: 'WS-FIN-01',
      os: 'Windows 11',
      managed: true,
      agent: {
        vendor: 'crowdstrike',
        version: '7.22.19908.0',
        lastSeenAt: '2025-02-01T10:03:11.112Z',
        health: 'healthy',
      },
      protection: { mode: 'prevent', tamperProtection: true, signaturesUpToDate: null },
      contained: false,
      origin: { part: 'devices', page: 0, pointer: '/resources/0' },
    });
  });

  it('reads the multi-page export in order, names the CID as instance and keeps the first of a duplicated host', () => {
    const { endpoints, instance, warnings } = run();
    expect(endpoints.map((e) => e.hostname)).toEqual([
      'WS-FIN-01',
      'WS-HR-02',
      'srv-db-01',
      'MAC-DESIGN-01',
      'WS-OPS-03',
      'WS-LAB-04',
      'WS-SALES-06',
      'WS-ODD-05',
      'WS-NAMES-07',
    ]);
    expect(instance).toBe('0123456789abcdef0123456789abcdef');
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'duplicate_record', part: 'devices', page: 1, pointer: '/resources/5' }),
    );
  });

  it('detection-only sliders give detect; reduced functionality mode is degraded; contained status is contained', () => {
    expect(host('WS-HR-02')).toEqual({
      id: 'a1b2c3d4e5f60718293a4b5c6d7e8f02',
      source: 'crowdstrike',
      hostname: 'WS-HR-02',
      os: 'Windows 10',
      managed: true,
      agent: {
        vendor: 'crowdstrike',
        version: '7.21.19205.0',
        lastSeenAt: '2025-01-31T17:45:09.000Z',
        health: 'degraded',
      },
      protection: { mode: 'detect', tamperProtection: false, signaturesUpToDate: null },
      contained: true,
      origin: { part: 'devices', page: 0, pointer: '/resources/1' },
    });
  });

  it('a policy id missing from the policies export leaves the mode unknown and tamper protection absent, with one warning per policy', () => {
    const { endpoints, warnings } = run();
    const db = endpoints.find((e) => e.hostname === 'srv-db-01')!;
    expect(db.protection).toEqual({ mode: 'unknown', signaturesUpToDate: null });
    expect(db.os).toBe('Linux RHEL 9.4');
    expect(warnings.filter((w) => w.code === 'policy_not_found')).toEqual([
      {
        code: 'policy_not_found',
        message: expect.stringContaining('p00000000000000000000000000000ff'),
        part: 'devices',
        page: 0,
        pointer: '/resources/2/device_policies/prevention/policy_id',
      },
    ]);
  });

  it('applied: false warns and judges the host by the assigned policy (here a disabled platform_default → off)', () => {
    const { endpoints, warnings } = run();
    const mac = endpoints.find((e) => e.hostname === 'MAC-DESIGN-01')!;
    expect(mac.protection?.mode).toBe('off');
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'policy_not_applied',
        part: 'devices',
        page: 0,
        pointer: '/resources/3/device_policies/prevention/applied',
      }),
    );
  });

  it('an enabled policy with every ML slider DISABLED is off', () => {
    expect(host('WS-OPS-03').protection?.mode).toBe('off');
  });

  it('cloud ML prevention alone is enough for prevent', () => {
    expect(host('WS-SALES-06').protection).toEqual({
      mode: 'prevent',
      tamperProtection: true,
      signaturesUpToDate: null,
    });
  });

  it('an unrecognised slider level gives unknown, and a policy without the tamper setting leaves tamperProtection absent', () => {
    expect(host('WS-ODD-05').protection).toEqual({ mode: 'unknown', signaturesUpToDate: null });
  });

  it('reads settings by id, never by display name', () => {
    // AdwarePUP is named "Sensor Anti-malware" and set to AGGRESSIVE; the real ML sliders are DISABLED
    expect(host('WS-NAMES-07').protection).toEqual({ mode: 'off', tamperProtection: true, signaturesUpToDate: null });
  });

  it('uninstall protection DISABLED or MAINTENANCE_MODE overrides an enabled tamper toggle', () => {
    expect(host('WS-OPS-03').protection?.tamperProtection).toBe(false);
    const bare: [string, string][] = [
      ['devices', 'crowdstrike/devices-bare.json'],
      ['policies', 'crowdstrike/policies.json'],
    ];
    expect(host('kiosk-03', bare).protection).toEqual({
      mode: 'prevent',
      tamperProtection: false,
      signaturesUpToDate: null,
    });
  });

  it('a disabled policy enforces no tamper protection, even with the toggle on and uninstall protection enabled', () => {
    expect(host('MAC-DESIGN-01').protection).toEqual({
      mode: 'off',
      tamperProtection: false,
      signaturesUpToDate: null,
    });
  });

  it.each([
    ['WS-FIN-01', 'healthy'],
    ['WS-HR-02', 'degraded'],
    ['srv-db-01', 'unknown'],
    ['MAC-DESIGN-01', 'unknown'],
    ['WS-OPS-03', 'unknown'],
  ])('reduced_functionality_mode of %s → health %s', (name, health) => {
    expect(host(name).agent?.health).toBe(health);
  });

  it.each([
    ['WS-FIN-01', false],
    ['WS-HR-02', true],
    ['srv-db-01', true],
    ['MAC-DESIGN-01', true],
    ['WS-LAB-04', undefined],
  ])('status of %s → contained %p', (name, contained) => {
    expect(host(name).contained).toBe(contained);
  });

  it('last_seen: nanoseconds kept to the millisecond, null is never seen, unreadable is left out with a warning', () => {
    const { endpoints, warnings } = run();
    const byName = new Map(endpoints.map((e) => [e.hostname, e]));
    expect(byName.get('srv-db-01')?.agent?.lastSeenAt).toBe('2025-02-01T09:59:59.999Z');
    expect(byName.get('WS-OPS-03')?.agent?.lastSeenAt).toBeNull();
    expect(byName.get('WS-ODD-05')?.agent).not.toHaveProperty('lastSeenAt');
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'unreadable_time', page: 1, pointer: '/resources/3/last_seen' }),
    );
  });

  it('a host without device_policies has an unknown mode and a warning', () => {
    const { endpoints, warnings } = run();
    expect(endpoints.find((e) => e.hostname === 'WS-LAB-04')?.protection).toEqual({
      mode: 'unknown',
      signaturesUpToDate: null,
    });
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'no_prevention_policy', page: 1, pointer: '/resources/1/device_policies' }),
    );
  });

  it('Falcon has no signatures, no up-to-date flag and no threat count in this export', () => {
    for (const e of run().endpoints) {
      expect(e.protection?.signaturesUpToDate).toBeNull();
      expect(e.agent).not.toHaveProperty('upToDate');
      expect(e).not.toHaveProperty('activeThreats');
    }
  });

  it('reports vendor errors carried in the envelope', () => {
    expect(run().warnings).toContainEqual(
      expect.objectContaining({ code: 'vendor_errors', part: 'devices', page: 1, pointer: '/errors' }),
    );
  });

  it('warns when meta.pagination.total says pages are missing', () => {
    const { warnings } = run([
      ['devices', 'crowdstrike/devices-page1.json'],
      ['policies', 'crowdstrike/policies.json'],
    ]);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'incomplete_export',
        part: 'devices',
        page: 0,
        pointer: '/meta/pagination/total',
      }),
    );
    expect(run().warnings.some((w) => w.code === 'incomplete_export')).toBe(false);
  });

  it('accepts bare arrays: no page in the origin, no instance across two CIDs, missing names and unknown statuses stay honest', () => {
    const { endpoints, instance, warnings } = run([
      ['devices', 'crowdstrike/devices-bare.json'],
      ['policies', 'crowdstrike/policies.json'],
    ]);
    expect(instance).toBeUndefined();
    expect(endpoints.slice(0, 2)).toEqual([
      {
        id: 'b1b2c3d4e5f60718293a4b5c6d7e8f01',
        source: 'crowdstrike',
        hostname: 'kiosk-01',
        os: 'Linux Ubuntu 22.04',
        managed: true,
        agent: {
          vendor: 'crowdstrike',
          version: '7.22.19908.0',
          lastSeenAt: '2025-02-01T10:03:11.500Z',
          health: 'healthy',
        },
        protection: { mode: 'prevent', tamperProtection: true, signaturesUpToDate: null },
        contained: false,
        origin: { part: 'devices', pointer: '/0' },
      },
      {
        id: 'b1b2c3d4e5f60718293a4b5c6d7e8f02',
        source: 'crowdstrike',
        hostname: '',
        os: 'Windows',
        managed: true,
        agent: { vendor: 'crowdstrike', health: 'unknown' },
        protection: { mode: 'unknown', signaturesUpToDate: null },
        origin: { part: 'devices', pointer: '/1' },
      },
    ]);
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'missing_hostname', pointer: '/1/hostname' }));
  });

  it('rejects a record that breaks the part schema with 422 and pointers into the page', () => {
    const err = inputError(() =>
      run([
        ['devices', 'crowdstrike/devices-bad-schema.json'],
        ['policies', 'crowdstrike/policies.json'],
      ]),
    );
    expect(err.status).toBe(422);
    expect(err.problems).toEqual([
      { part: 'devices', page: 0, pointer: '/resources/1/device_id', message: 'must be string' },
      {
        part: 'devices',
        page: 0,
        pointer: '/resources/1/device_policies/prevention/applied',
        message: expect.any(String),
      },
    ]);
  });

  it('rejects malformed JSON with 400 and its line', () => {
    const err = inputError(() =>
      run([
        ['devices', 'crowdstrike/devices-malformed.json'],
        ['policies', 'crowdstrike/policies.json'],
      ]),
    );
    expect(err.status).toBe(400);
    expect(err.problems[0]).toEqual(expect.objectContaining({ part: 'devices', page: 0, line: 4 }));
  });

  it('requires the policies part', () => {
    const err = inputError(() => run([['devices', 'crowdstrike/devices-page1.json']]));
    expect(err.status).toBe(422);
    expect(err.problems[0]?.part).toBe('policies');
  });
});

describe('crowdstrike adapter on arbitrary vendor values', () => {
  const anyText = fc.option(
    fc.oneof(
      fc.constantFrom('yes', 'no', 'Unknown', '', 'normal', 'contained', 'DISABLED', 'MODERATE', 'ENABLED'),
      fc.string(),
    ),
    { nil: null },
  );
  const device = fc.record({
    device_id: fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5', 'd6'),
    hostname: anyText,
    platform_name: anyText,
    os_version: anyText,
    last_seen: anyText,
    status: anyText,
    reduced_functionality_mode: anyText,
    device_policies: fc.record({
      prevention: fc.record({
        policy_id: fc.constantFrom('p1', 'p2', 'missing'),
        applied: fc.option(fc.boolean(), { nil: null }),
      }),
      sensor_update: fc.record({ uninstall_protection: anyText }),
    }),
  });
  const slider = fc.record({ detection: anyText, prevention: anyText });
  const policy = (id: string) =>
    fc
      .tuple(fc.option(fc.boolean(), { nil: null }), slider, slider, fc.option(fc.boolean(), { nil: null }))
      .map(([enabled, cloud, sensor, tamper]) => ({
        id,
        enabled,
        prevention_settings: [
          {
            name: 'ML',
            settings: [
              { id: 'CloudAntiMalware', type: 'mlslider', value: cloud },
              { id: 'OnSensorMLSlider', type: 'mlslider', value: sensor },
              { id: 'SensorTamperingProtection', type: 'toggle', value: { enabled: tamper } },
            ],
          },
        ],
      }));

  it('never crashes and always yields a valid canonical document', () => {
    fc.assert(
      fc.property(fc.array(device, { maxLength: 5 }), policy('p1'), policy('p2'), (devices, p1, p2) => {
        const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));
        const result = runAdapter(
          crowdstrikeAdapter,
          [
            { name: 'devices', bytes: bytes({ resources: devices }) },
            { name: 'policies', bytes: bytes([p1, p2]) },
          ],
          { clients: [] },
        );
        expect((result.document as EndpointDocument).endpoints).toHaveLength(
          new Set(devices.map((d) => d.device_id)).size,
        );
      }),
      { numRuns: 150 },
    );
  });
});
