import type { Request } from 'express';
import { AppError } from '../errors.js';

/**
 * The raw request body, up to `limit` bytes. A declared Content-Length over the limit is refused
 * before reading; a stream that grows past it is cut off. Either way: 413 and nothing stored.
 *
 * NOTE: with a Content-Length (what curl and every HTTP client send for a file) the chunks are
 * copied into one buffer of that size as they arrive, so a 50 MB export never exists twice
 * (the chunks and their concatenation) — a chunked body is still collected and concatenated.
 */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const sized = Number.isSafeInteger(declared) && declared >= 0;
  const into = sized ? Buffer.allocUnsafe(declared) : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    // Node's HTTP parser never delivers more than the declared length; the check is for chunked bodies.
    if (size + chunk.length > (into ? declared : limit)) {
      req.unpipe?.();
      req.resume();
      throw tooLarge(limit);
    }
    if (into) chunk.copy(into, size);
    else chunks.push(chunk);
    size += chunk.length;
  }
  return into ? into.subarray(0, size) : Buffer.concat(chunks, size);
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `the export is larger than the ${limit} bytes this service accepts (POSTURE_MAX_SNAPSHOT_BYTES)`);
}
