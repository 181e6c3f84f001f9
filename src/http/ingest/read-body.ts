import type { Request } from 'express';
import { AppError } from '../../core/errors.js';
import { bodyEncoding, readDecodedBody } from './decode-body.js';

/** Bodies up to this size are collected in chunks and concatenated; past it, see readBody. */
const COLLECT_BYTES = 1 << 20;

/**
 * The request body, up to `limit` bytes. A declared Content-Length over the limit is refused
 * before reading; a stream that grows past it is cut off. Either way: 413 and nothing stored.
 * A gzip, deflate or br Content-Encoding is decoded, and the limit applies to the decoded bytes
 * (decode-body.ts); another encoding is a 415.
 *
 * NOTE: a large body with a Content-Length (what curl and every HTTP client send for a file) is
 * copied into one buffer of that size once its first MiB has arrived, so a 50 MB export never
 * exists twice (the chunks and their concatenation). Waiting for that first MiB means a client
 * that declares 50 MB and sends nothing makes the server reserve nothing. Small and chunked
 * bodies are collected and concatenated.
 */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const encoding = bodyEncoding(req);
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  if (encoding !== 'identity') return readDecodedBody(req, encoding, limit, () => tooLarge(limit));
  const sized = Number.isSafeInteger(declared) && declared >= 0;
  let chunks: Buffer[] = [];
  let into: Buffer | undefined;
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    // Node's HTTP parser never delivers more than the declared length; the check is for chunked bodies.
    if (size + chunk.length > (sized ? declared : limit)) {
      req.unpipe?.();
      req.resume();
      throw tooLarge(limit);
    }
    if (into) chunk.copy(into, size);
    else chunks.push(chunk);
    size += chunk.length;
    if (!into && sized && declared > COLLECT_BYTES && size >= COLLECT_BYTES) {
      into = Buffer.allocUnsafe(declared);
      let at = 0;
      for (const c of chunks) at += c.copy(into, at);
      chunks = [];
    }
  }
  // an aborted request ends the loop with an error, so `size` is the declared length here
  return into ? into.subarray(0, size) : Buffer.concat(chunks, size);
}

function tooLarge(limit: number): AppError {
  return new AppError(
    'payload_too_large',
    `the export is larger than the ${limit} bytes this service accepts (POSTURE_MAX_SNAPSHOT_BYTES)`,
  );
}
