import fc from 'fast-check';
import { decodeLenient, decodeWithBom, encodingOf, TextDecodeError } from '../../../src/core/text.js';

const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};
const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);
const BOM16LE = Buffer.from([0xff, 0xfe]);
const BOM16BE = Buffer.from([0xfe, 0xff]);

describe('decodeWithBom: the byte-order mark decides, its absence means UTF-8', () => {
  const text = '{"name":"Zoë Øster 💻"}\r\n';

  it.each([
    ['UTF-8 without a BOM', Buffer.from(text, 'utf8'), 'utf-8'],
    ['UTF-8 with a BOM', Buffer.concat([BOM8, Buffer.from(text, 'utf8')]), 'utf-8'],
    [
      'UTF-16LE with a BOM (Windows PowerShell 5.1)',
      Buffer.concat([BOM16LE, Buffer.from(text, 'utf16le')]),
      'utf-16le',
    ],
    ['UTF-16BE with a BOM', Buffer.concat([BOM16BE, utf16be(text)]), 'utf-16be'],
  ])('%s', (_name, bytes, encoding) => {
    expect(encodingOf(bytes)).toBe(encoding);
    expect(decodeWithBom(bytes)).toBe(text);
  });

  it('does not guess UTF-16 without a BOM: it is read as UTF-8 (NULs and all)', () => {
    const bytes = Buffer.from('[]', 'utf16le');
    expect(encodingOf(bytes)).toBe('utf-8');
    expect(decodeWithBom(bytes)).toBe('[\u0000]\u0000');
  });

  it('refuses bytes that are not valid in the announced encoding, naming it', () => {
    const cases: [Buffer, string][] = [
      [Buffer.from([0x5b, 0xc3, 0x28, 0x5d]), 'not valid UTF-8'],
      [Buffer.concat([BOM16LE, Buffer.from('[1]', 'utf16le').subarray(0, 5)]), 'not valid UTF-16LE'],
      [Buffer.concat([BOM16BE, Buffer.from([0xd8, 0x00, 0x00, 0x5d])]), 'not valid UTF-16BE'],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeWithBom(bytes)).toThrow(TextDecodeError);
      expect(() => decodeWithBom(bytes)).toThrow(message);
    }
  });

  it('round-trips any text in every encoding (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeWithBom(Buffer.concat([BOM16LE, Buffer.from(s, 'utf16le')]))).toBe(s);
        expect(decodeWithBom(Buffer.concat([BOM16BE, utf16be(s)]))).toBe(s);
        expect(decodeWithBom(Buffer.concat([BOM8, Buffer.from(s, 'utf8')]))).toBe(s);
      }),
      { numRuns: 200 },
    );
  });

  it('decodeLenient reads the same encodings and never throws', () => {
    expect(decodeLenient(Buffer.concat([BOM16LE, Buffer.from('{"a":1}', 'utf16le')]))).toBe('{"a":1}');
    expect(decodeLenient(Buffer.from([0x5b, 0xff, 0x5d]))).toBe('[\ufffd]');
  });
});
