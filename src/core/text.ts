/**
 * The bytes of an export → its text. JSON exports arrive as UTF-8, UTF-8 with a byte-order mark,
 * or UTF-16 with one (Windows PowerShell 5.1's `Out-File`/`>` and `Set-Content -Encoding Unicode`
 * write UTF-16LE with a BOM, the usual way Graph exports are saved there). The BOM decides; without
 * one the text is UTF-8: UTF-16 without a BOM is not guessed (a heuristic could misread a UTF-8
 * export, and no exporter we know writes it). The BOM is not part of the text, so line, column and
 * JSON Pointer of a parse error count from the first character after it (columns in characters,
 * not bytes). Hashes are taken over the bytes as received, never over this text.
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export class TextDecodeError extends Error {
  constructor(readonly encoding: TextEncoding) {
    super(`not valid ${encoding === 'utf-8' ? 'UTF-8' : encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'}`);
    this.name = 'TextDecodeError';
  }
}

/** The encoding a byte-order mark announces; UTF-8 when there is none. */
export function encodingOf(bytes: Uint8Array): TextEncoding {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

const DECODERS: Record<TextEncoding, { decode(input: Uint8Array): string }> = {
  // ignoreBOM false: the decoder drops the BOM of its own encoding
  'utf-8': new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }),
  'utf-16le': new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false }),
  'utf-16be': new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false }),
};

/** Decode by BOM (see above); throws TextDecodeError on bytes that are not valid in that encoding. */
export function decodeWithBom(bytes: Uint8Array): string {
  const encoding = encodingOf(bytes);
  try {
    return DECODERS[encoding].decode(bytes);
  } catch {
    throw new TextDecodeError(encoding);
  }
}

/** As decodeWithBom, but never throws: invalid sequences become U+FFFD (for locating lines, not for judging). */
export function decodeLenient(bytes: Uint8Array): string {
  return new TextDecoder(encodingOf(bytes), { fatal: false, ignoreBOM: false }).decode(bytes);
}
