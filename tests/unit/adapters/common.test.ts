import { createHash } from 'node:crypto';
import { defined } from '../../../src/adapters/common/objects.js';
import { toIsoTime } from '../../../src/adapters/common/time.js';
import { computeExposure, contentId, interfaceFacing } from '../../../src/adapters/firewall/exposure.js';
import { parseJson } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError } from '../../../src/adapters/types.js';

describe('toIsoTime', () => {
  it.each([
    [1732600000, 's', '2024-11-26T05:46:40.000Z'],
    [1732600000.75, 's', '2024-11-26T05:46:40.750Z'],
    [1732600000123, 'ms', '2024-11-26T05:46:40.123Z'],
    ['2025-02-01T10:03:11.112233445Z', 's', '2025-02-01T10:03:11.112Z'],
    ['2026-11-19T13:40:58', 's', '2026-11-19T13:40:58.000Z'],
    ['2026-11-19T13:41:07.000Z', 's', '2026-11-19T13:41:07.000Z'],
    ['2026-11-19T13:41:07.1234567Z', 's', '2026-11-19T13:41:07.123Z'],
  ] as const)('%p (%s) → %s', (input, unit, expected) => {
    expect(toIsoTime(input, unit)).toBe(expected);
  });

  it.each([null, undefined, '', 'never', -5, Number.NaN, {}, '99999-01-01T00:00:00Z'])('%p → undefined', (input) => {
    expect(toIsoTime(input)).toBeUndefined();
  });
});

describe('computeExposure', () => {
  it('public source on an internet-facing interface is internet', () => {
    expect(computeExposure({ direction: 'inbound', sources: ['0.0.0.0/0'], facing: 'internet' })).toBe('internet');
  });
  it('a negated private range still admits the internet', () => {
    expect(computeExposure({ direction: 'inbound', sources: ['!10.20.1.0/24'], facing: 'internet' })).toBe('internet');
  });
  it('private sources are internal', () => {
    expect(computeExposure({ direction: 'forward', sources: ['10.0.0.0/8'], facing: 'internet' })).toBe('internal');
  });
  it('an unresolved reference is unknown', () => {
    expect(computeExposure({ direction: 'inbound', sources: ['ref:pl-123'], facing: 'internet' })).toBe('unknown');
  });
  it('unknown interface facing is unknown for public sources', () => {
    expect(computeExposure({ direction: 'inbound', sources: ['0.0.0.0/0'], facing: 'unknown' })).toBe('unknown');
  });
  it('outbound rules are internal', () => {
    expect(computeExposure({ direction: 'outbound', sources: ['0.0.0.0/0'], facing: 'internet' })).toBe('internal');
  });
  it('interfaceFacing', () => {
    expect(interfaceFacing('eth0', ['eth0'])).toBe('internet');
    expect(interfaceFacing('eth1', ['eth0'])).toBe('internal');
    expect(interfaceFacing(null, ['eth0'])).toBe('internet');
    expect(interfaceFacing(null, [])).toBe('internal');
    expect(interfaceFacing('eth0', null)).toBe('unknown');
  });
});

describe('contentId', () => {
  it('ignores key order and is stable', () => {
    expect(contentId('r', { a: 1, b: [1, 2] })).toBe(contentId('r', { b: [1, 2], a: 1 }));
    expect(contentId('r', { a: 1 })).not.toBe(contentId('r', { a: 2 }));
    expect(contentId('r', { a: 1 })).toMatch(/^r-[0-9a-f]{16}$/);
  });

  it('hashes the sorted JSON text, undefined members left out, so stored rule ids never change', () => {
    const text = '{"a":1,"b":[1,"two",null],"c":{"x":false,"y":"z"}}';
    const expected = `r-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    expect(contentId('r', { c: { y: 'z', x: false, gone: undefined }, b: [1, 'two', null], a: 1 })).toBe(expected);
  });
});

describe('defined', () => {
  it('copies the defined entries in their order and drops the undefined ones', () => {
    const out = defined({ b: 1, a: undefined, c: null, d: 'x' });
    expect(Object.keys(out)).toEqual(['b', 'c', 'd']);
    expect(out).toEqual({ b: 1, c: null, d: 'x' });
  });

  it('copies an own "__proto__" key (as JSON.parse makes it) as a key, never as the prototype', () => {
    const out = defined(JSON.parse('{"a":1,"__proto__":{"mfa":true}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { mfa?: unknown }).mfa).toBeUndefined();
    expect(Object.keys(out)).toEqual(['a', '__proto__']);
    expect(JSON.stringify(out)).toBe('{"a":1,"__proto__":{"mfa":true}}');
  });
});

describe('parseJson', () => {
  it('locates a syntax error by line, column and pointer without echoing the input', () => {
    const text = '{\n  "users": [\n    {"id": "secret-value" "x": 1}\n  ]\n}';
    let err: unknown;
    try {
      parseJson(text, 'users', 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterInputError);
    const p = (err as AdapterInputError).problems[0]!;
    expect((err as AdapterInputError).status).toBe(400);
    expect(p.line).toBe(3);
    expect(p.message).toMatch(/line 3, column 27/);
    expect(p.pointer).toBe('/users/0/x'); // where the parser stopped
    expect(p.message).not.toContain('secret-value');
  });
});

describe('toIsoTime refuses what is not ISO-8601', () => {
  it.each(['5/1/2024 2:22:10 PM', 'Tue, 01 May 2024 14:22:10 GMT', '2024-13-45T99:00:00Z'])(
    '%p → undefined',
    (input) => {
      expect(toIsoTime(input)).toBeUndefined();
    },
  );
  it('reads a space separator and a date alone as UTC', () => {
    expect(toIsoTime('2024-05-01 14:22:10')).toBe('2024-05-01T14:22:10.000Z');
    expect(toIsoTime('2024-05-01')).toBe('2024-05-01T00:00:00.000Z');
    expect(toIsoTime('2024-05-01T14:22:10+02:00')).toBe('2024-05-01T12:22:10.000Z');
  });
});

describe('lookup tables', () => {
  it('find nothing for prototype names a hostile export might send', async () => {
    const { lookup } = await import('../../../src/adapters/common/lookup.js');
    const t = lookup({ protect: 'prevent' });
    expect(t.protect).toBe('prevent');
    for (const k of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(t[k]).toBeUndefined();
  });
});
