/**
 * Content-Encoding of an ingest body: gzip, deflate and br are decoded as they stream in, so the
 * export is the decoded bytes (DESIGN: hashes and limits apply to them). The limit is enforced on
 * the decoded bytes as they are produced — a gzip bomb is stopped at the limit, not inflated — and
 * on the encoded bytes read. A body that does not decode is a 400; any other encoding a 415.
 */
import type { Request } from 'express';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';
import { AppError } from '../../core/errors.js';

export type BodyEncoding = 'identity' | 'gzip' | 'deflate' | 'br';

/** The body's encoding from Content-Encoding; 415 for one this service does not decode (lists included). */
export function bodyEncoding(req: Pick<Request, 'headers'>): BodyEncoding {
  const value = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate' || value === 'br') return value;
  throw new AppError(
    'unsupported_media_type',
    `Content-Encoding ${JSON.stringify(value.slice(0, 40))} is not accepted: send the export as is, or gzip, deflate or br`,
  );
}

/**
 * The decoded body, at most `limit` bytes of it: past that, 413 and the decoder is stopped (the
 * rest of the request is drained unread). `tooLarge` makes the 413.
 */
export async function readDecodedBody(
  req: Request,
  encoding: Exclude<BodyEncoding, 'identity'>,
  limit: number,
  tooLarge: () => AppError,
): Promise<Buffer> {
  const decoder: Gunzip =
    encoding === 'gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : createBrotliDecompress();
  let encoded = 0;
  const stop = (err: Error) => {
    req.unpipe(decoder);
    req.resume();
    decoder.destroy(err);
  };
  req.on('data', (chunk: Buffer) => {
    encoded += chunk.length;
    if (encoded > limit) stop(tooLarge());
  });
  req.on('error', (err) => decoder.destroy(err));
  req.pipe(decoder);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of decoder as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (err) {
    if (!decoder.destroyed) stop(err as Error);
    if (err instanceof AppError || !isDecodeError(err)) throw err;
    throw new AppError('bad_request', `the ${encoding}-encoded body cannot be decoded (${(err as Error).message})`);
  }
  return Buffer.concat(chunks, size);
}

/** zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR, brotli's ERR__…) as opposed to the request's. */
function isDecodeError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__'));
}
