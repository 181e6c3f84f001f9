/** Small images made in code for the logo tests and the report fixtures (no binary files in the repo). */
import { crc32, deflateSync } from 'node:zlib';

/** An 8-bit RGBA PNG of `width` × `height`, each pixel from `pixel(x, y)`. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) Buffer.from(pixel(x, y)).copy(raw, row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, not interlaced
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 1 × 1 baseline JPEG (greyscale). */
export const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/** A made-up MSP's logo: a teal rounded badge with a white chevron, on transparency (240 × 80). */
export function sampleLogo(): Buffer {
  return png(240, 80, (x, y) => {
    const inBadge = x < 80 && (x - 40) ** 2 / 1600 + (y - 40) ** 2 / 1600 <= 1;
    const chevron = Math.abs(y - 40) < 22 && Math.abs(x - 30 - Math.abs(y - 40) * 0.8) < 6;
    const bar = x >= 96 && x < 232 && ((y >= 22 && y < 36) || (y >= 46 && y < 56 && x < 190));
    if (inBadge) return chevron ? [255, 255, 255, 255] : [0, 109, 119, 255];
    if (bar) return [40, 54, 74, 255];
    return [255, 255, 255, 0];
  });
}
