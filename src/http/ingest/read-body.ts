import type { Request } from 'express';
import { AppError } from '../errors.js';

/**
 * The raw request body, up to `limit` bytes. A declared Content-Length over the limit is refused
 * before reading; a stream that grows past it is cut off. Either way: 413 and nothing stored.
 */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.unpipe?.();
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `the export is larger than the ${limit} bytes this service accepts (POSTURE_MAX_SNAPSHOT_BYTES)`);
}
