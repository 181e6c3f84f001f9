/**
 * Finding the signature dictionary in the raw bytes: the LAST `/ByteRange` of the file belongs to
 * the newest signature (an incremental update appends after the one it extends). Shared by the
 * signer, which fills in its own placeholder, and the verifier, which trusts nothing it reads.
 */

/** Fixed width, so the real ranges can be written over it without moving a byte. */
export const BYTE_RANGE_PLACEHOLDER = '[0 /********** /********** /**********]';

export interface ByteRangeText {
  /** offset of the `/ByteRange` key */
  key: number;
  /** offsets of the array: `[` … one past `]` */
  start: number;
  end: number;
  text: string;
}

const NAME = '/ByteRange';

/** The array after the last `/ByteRange`; `null` when there is a key but no array after it. */
export function lastByteRange(pdf: Buffer): ByteRangeText | null | undefined {
  const key = pdf.lastIndexOf(NAME);
  if (key < 0) return undefined;
  const after = key + NAME.length;
  const match = /^\s*(\[[^\][]{0,200}\])/.exec(pdf.toString('latin1', after, after + 256));
  if (!match) return null;
  const start = after + match[0].length - match[1]!.length;
  return { key, start, end: start + match[1]!.length, text: match[1]! };
}

/** `[a b c d]` as four integers, or undefined when it is anything else. */
export function parseByteRange(text: string): [number, number, number, number] | undefined {
  const m = /^\[\s*(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})\s*\]$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

/** The array text for `ranges`, padded with spaces to `width` so no offset moves. */
export function formatByteRange(ranges: readonly number[], width: number): string {
  const head = `[${ranges.join(' ')}`;
  if (head.length + 1 > width) throw new Error(`the ByteRange ${head}] does not fit its ${width}-byte placeholder`);
  return head.padEnd(width - 1, ' ') + ']';
}
