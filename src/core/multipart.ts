import busboy from 'busboy';
import { AppError } from './errors.js';

/** One part of a multipart body, as received (a name may repeat: one part per page). */
export interface RawPart {
  name: string;
  bytes: Uint8Array;
  /** a file part's filename and declared Content-Type (absent for plain fields) */
  filename?: string;
  contentType?: string;
}

const MAX_PARTS = 1000;

/**
 * Split a multipart/form-data body (already read, so the raw bytes stay as received) into its
 * parts, in order. File parts (`curl -F users=@users.json`) and plain fields (`-F users=<file`)
 * both count; a name may repeat, one part per page.
 */
export function splitMultipart(body: Buffer, contentType: string): Promise<RawPart[]> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: { 'content-type': contentType },
        limits: { parts: MAX_PARTS, fieldSize: body.length + 1, fileSize: body.length + 1, fieldNameSize: 200 },
        defParamCharset: 'utf8',
      });
    } catch {
      reject(new AppError('malformed_multipart', 'the multipart/form-data Content-Type has no usable boundary'));
      return;
    }
    const parts: { name: string; chunks: Buffer[]; filename?: string; contentType?: string }[] = [];
    bb.on('file', (name, stream, info) => {
      const part = { name, chunks: [] as Buffer[], filename: info.filename, contentType: info.mimeType };
      parts.push(part);
      stream.on('data', (d: Buffer) => part.chunks.push(d));
      stream.on('error', (err: Error) =>
        reject(new AppError('malformed_multipart', `the multipart body cannot be read: ${err.message}`)),
      );
    });
    bb.on('field', (name, value) => parts.push({ name, chunks: [Buffer.from(value, 'utf8')] }));
    bb.on('partsLimit', () => reject(new AppError('malformed_multipart', `more than ${MAX_PARTS} parts`)));
    bb.on('error', (err: Error) =>
      reject(new AppError('malformed_multipart', `the multipart body cannot be read: ${err.message}`)),
    );
    bb.on('close', () => {
      if (parts.length === 0) reject(new AppError('malformed_multipart', 'the multipart body has no parts'));
      else
        resolve(
          parts.map((p) => ({
            name: p.name,
            bytes: Buffer.concat(p.chunks),
            ...(p.filename === undefined ? {} : { filename: p.filename }),
            ...(p.contentType === undefined ? {} : { contentType: p.contentType }),
          })),
        );
    });
    bb.end(body);
  });
}
