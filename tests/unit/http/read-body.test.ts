import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import { readBody } from '../../../src/http/ingest/read-body.js';

/** A request stream delivering `body` in pieces of `piece` bytes, with or without a Content-Length. */
function requestOf(body: Buffer, piece: number, contentLength: number | undefined): Request {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; at += piece) pieces.push(body.subarray(at, at + piece));
  const stream = Readable.from(pieces, { objectMode: false }) as Readable & { headers: Record<string, string> };
  stream.headers = contentLength === undefined ? {} : { 'content-length': String(contentLength) };
  return stream as unknown as Request;
}

const MiB = 1 << 20;

describe('readBody', () => {
  it.each([
    ['small, with a Content-Length', 1000, true],
    ['over a MiB, with a Content-Length (copied into one buffer of that size)', 3 * MiB + 17, true],
    ['exactly a MiB, with a Content-Length', MiB, true],
    ['small, chunked', 1000, false],
    ['over a MiB, chunked', 3 * MiB + 17, false],
  ])('returns the bytes sent: %s', async (_what, size, sized) => {
    const body = randomBytes(size);
    const got = await readBody(requestOf(body, 64 * 1024 + 3, sized ? size : undefined), 10 * MiB);
    expect(got.length).toBe(size);
    expect(Buffer.compare(got, body)).toBe(0);
  });

  it('returns an empty buffer for an empty body', async () => {
    expect((await readBody(requestOf(Buffer.alloc(0), 1, 0), MiB)).length).toBe(0);
  });

  it('refuses a declared Content-Length over the limit before reading, and a chunked body that grows past it', async () => {
    await expect(readBody(requestOf(randomBytes(10), 10, 2 * MiB), MiB)).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    await expect(readBody(requestOf(randomBytes(MiB + 1), 64 * 1024, undefined), MiB)).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });
});
