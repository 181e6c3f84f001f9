import { types } from '@electric-sql/pglite';
import fc from 'fast-check';
import { BYTEA_CODEC, yieldToEventLoop } from '../../../src/db/client.js';

const serialize = BYTEA_CODEC.serializers[17];
const parse = BYTEA_CODEC.parsers[17];

describe("the embedded database's bytea codec", () => {
  it("writes what PGlite's own serializer writes, and reads it back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = serialize(bytes);
        expect(text).toBe(types.serializers[17]!(bytes));
        expect(parse(text).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('reads a view on a larger buffer as its own bytes only', () => {
    const whole = Buffer.from([1, 2, 3, 4, 5]);
    expect(serialize(whole.subarray(1, 3))).toBe('\\x0203');
  });

  it('refuses what is not bytes', () => {
    expect(() => serialize('0102')).toThrow('bytea takes a Uint8Array');
  });
});

describe('yieldToEventLoop', () => {
  it('lets I/O callbacks that are due run before it resolves (a resolved promise does not)', async () => {
    let fired = false;
    setImmediate(() => (fired = true));
    await Promise.resolve();
    expect(fired).toBe(false);
    await yieldToEventLoop();
    expect(fired).toBe(true);
  });
});
