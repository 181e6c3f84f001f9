import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase, PGLITE_CODEC, yieldToEventLoop } from '../../../src/db/client.js';
import { SLOW_MS } from '../../helpers/timeouts.js';

const bytea = PGLITE_CODEC.serializers[17];
const jsonb = PGLITE_CODEC.serializers[3802];
const parse = PGLITE_CODEC.parsers[17];

describe("the embedded database's codec", () => {
  it('sends bytea as the bytes themselves (binary format), and reads hex back', () => {
    const whole = Buffer.from([1, 2, 3, 4, 5]);
    expect(Buffer.from(bytea(whole.subarray(1, 3))).equals(Buffer.from([2, 3]))).toBe(true);
    expect(parse('\\x0203').equals(Buffer.from([2, 3]))).toBe(true);
  });

  it('refuses a bytea that is not bytes', () => {
    expect(() => bytea('0102')).toThrow('bytea takes a Uint8Array');
  });

  it("sends jsonb in its binary format: version 1, then the JSON text's UTF-8", () => {
    expect([...jsonb('{"a":"é"}')]).toEqual([1, ...Buffer.from('{"a":"é"}', 'utf8')]);
    expect(
      Buffer.from(jsonb({ n: 10n }))
        .subarray(1)
        .toString(),
    ).toBe('{"n":"10"}');
  });

  describe('through PGlite', () => {
    let database: Database;
    beforeAll(async () => {
      database = await openDatabase({});
    }, SLOW_MS);
    afterAll(() => database?.close());
    const one = async <T>(q: ReturnType<typeof sql>) =>
      ((await database.db.execute(q)) as unknown as { rows: T[] }).rows[0]!;

    it('stores any bytes and reads the same bytes back', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
          const row = await one<{ b: Buffer; n: number }>(
            sql`select ${Buffer.from(bytes)}::bytea as b, length(${Buffer.from(bytes)}::bytea) as n`,
          );
          expect(row.n).toBe(bytes.length);
          expect(row.b.equals(Buffer.from(bytes))).toBe(true);
        }),
        { numRuns: 30 },
      );
    });

    it('stores any JSON text as PostgreSQL parses it, and refuses what jsonb refuses', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (value) => {
          const text = JSON.stringify(value);
          const row = await one<{ j: unknown }>(sql`select ${text}::jsonb as j`);
          expect(row.j).toEqual(JSON.parse(text));
        }),
        { numRuns: 50 },
      );
      const nul = await database.db.execute(sql`select ${'{"a":"\\u0000"}'}::jsonb`).catch((e: unknown) => e);
      expect(database.classifyError(nul)).toBe('unstorable_character');
      const bad = await database.db.execute(sql`select ${'{"a":'}::jsonb`).catch((e: unknown) => e);
      expect((bad as { cause?: { code?: string } }).cause?.code).toBe('22P02');
    });
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
