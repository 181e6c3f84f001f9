import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Request } from 'express';
import { readBody } from '../../../src/http/ingest/read-body.js';

/** A request stream delivering `body` in pieces of `piece` bytes, with or without a Content-Length. */
function requestOf(body: Buffer, piece: number, contentLength: number | undefined, encoding?: string): Request {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; at += piece) pieces.push(body.subarray(at, at + piece));
  const stream = Readable.from(pieces, { objectMode: false }) as Readable & { headers: Record<string, string> };
  stream.headers = contentLength === undefined ? {} : { 'content-length': String(contentLength) };
  if (encoding) stream.headers['content-encoding'] = encoding;
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

describe('readBody: Content-Encoding', () => {
  const json = Buffer.from(JSON.stringify({ users: Array.from({ length: 2000 }, (_, i) => ({ id: `u${i}` })) }));

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('decodes %s: the export is the decoded bytes', async (encoding, encode) => {
    const body = encode(json);
    const got = await readBody(requestOf(body, 1000, body.length, encoding), MiB);
    expect(Buffer.compare(got, json)).toBe(0);
  });

  it('identity (or none) leaves the bytes as sent', async () => {
    const got = await readBody(requestOf(json, 1000, json.length, 'identity'), MiB);
    expect(Buffer.compare(got, json)).toBe(0);
  });

  it('refuses other encodings, and lists of them, with 415', async () => {
    for (const encoding of ['compress', 'zstd', 'gzip, br']) {
      await expect(readBody(requestOf(json, 1000, json.length, encoding), MiB)).rejects.toMatchObject({
        code: 'unsupported_media_type',
      });
    }
  });

  it('a corrupt or truncated gzip body is a 400', async () => {
    const gz = gzipSync(json);
    const corrupt = Buffer.from(gz);
    corrupt.fill(0x41, 20, 60);
    await expect(readBody(requestOf(corrupt, 100, corrupt.length, 'gzip'), MiB)).rejects.toMatchObject({
      code: 'bad_request',
    });
    const truncated = gz.subarray(0, gz.length - 30);
    await expect(readBody(requestOf(truncated, 100, truncated.length, 'gzip'), MiB)).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('a body that decodes past the limit is a 413, the limit applying to the decoded bytes', async () => {
    const big = gzipSync(Buffer.alloc(2 * MiB, 0x20));
    expect(big.length).toBeLessThan(MiB);
    await expect(readBody(requestOf(big, 4096, big.length, 'gzip'), MiB)).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });
});
