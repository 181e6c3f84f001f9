import { createCelEnvironment } from '../../../src/engine/cel-env.js';
import { cidrContains, cidrIsPublic, semverAtLeast } from '../../../src/engine/functions/index.js';

const env = createCelEnvironment();
const run = (expr: string, item: Record<string, unknown> = {}, params: Record<string, unknown> = {}) =>
  env.evaluate(expr, { item, doc: {}, params, asOf: new Date('2026-11-01T00:00:00Z') });

describe('the CEL environment', () => {
  it.each([
    ['7.22.19908.0', '7.20', true],
    ['7.19.1', '7.20', false],
    ['10.8040.22000.1', '10.8040', true],
    ['7.20.0.5', '7.20.0.6', false],
    ['24.1.2.3', '24.1.2.3', true],
  ])('semverAtLeast(%s, %s) = %s', (v, min, expected) => {
    expect(semverAtLeast(v, min)).toBe(expected);
  });

  it('refuses what is not a version, every time it is asked', () => {
    expect(() => semverAtLeast('latest', '1.0')).toThrow(/not a version/);
    expect(() => semverAtLeast('latest', '1.0')).toThrow(/not a version/);
  });

  it('remembers comparisons without mixing up pairs whose joined text is the same', () => {
    expect(semverAtLeast('7.1\u00009.0', '1')).toBe(true);
    expect(semverAtLeast('7.1', '9.0\u00001')).toBe(false);
    expect(semverAtLeast('7.1\u00009.0', '1')).toBe(true);
  });

  it('compares CIDRs over IPv4 and IPv6', () => {
    expect(cidrContains('10.0.0.0/8', '10.20.1.0/24')).toBe(true);
    expect(cidrContains('10.20.1.0/24', '10.0.0.0/8')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::1')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '2001:db8::1')).toBe(false);
    expect(cidrIsPublic('0.0.0.0/0')).toBe(true);
    expect(cidrIsPublic('192.168.0.0/16')).toBe(false);
    expect(cidrIsPublic('!10.0.0.0/8')).toBe(true);
    expect(() => cidrIsPublic('mgmt')).toThrow();
  });

  it('mixes JSON numbers and CEL ints in arithmetic, and checks ports against ranges', () => {
    expect(run('item.ports.exists(p, p.to - p.from + 1 > 10)', { ports: [{ from: 3380, to: 3399 }] })).toBe(true);
    expect(
      run(
        'params.adminPorts.exists(a, item.ports.exists(p, portInRange(a, p)))',
        { ports: [{ from: 3380, to: 3399 }] },
        { adminPorts: [22, 3389] },
      ),
    ).toBe(true);
    expect(run('portInRange(22, {"from": 23, "to": 25})')).toBe(false);
  });

  it('counts days since a time as of asOf', () => {
    expect(run('daysSince(item.t, asOf)', { t: '2026-10-02T00:00:00Z' })).toBe(30);
    expect(() => run('daysSince(item.t, asOf)', { t: 'never' })).toThrow();
  });

  it('insufficient(why) stops with an insufficient-evidence error carrying the reason', () => {
    let err: unknown;
    try {
      run("item.x == null ? insufficient('x is null') : true", { x: null });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'insufficient_evidence', summary: 'x is null' });
  });

  it('type-checks at load: unknown functions and wrong arities are refused', () => {
    expect(env.check('nosuch(item)').valid).toBe(false);
    expect(env.check('portInRange(1, 2, 3)').valid).toBe(false);
    expect(env.check('semverAtLeast(item.v, "1.0")').valid).toBe(true);
  });
});
