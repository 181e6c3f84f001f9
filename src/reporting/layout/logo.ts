/**
 * A logo for the report cover, checked before it is stored: it must be an image pdfkit can
 * embed, or every later report of the tenant would fail to render.
 */
import PDFDocument from 'pdfkit';

export interface LogoSize {
  width: number;
  height: number;
}

/**
 * Embeds `bytes` in a throw-away document (PNG decoding and JPEG header parsing run in full) and
 * answers the image's pixel size; rejects with pdfkit's reason when it cannot.
 */
export async function checkLogo(bytes: Buffer): Promise<LogoSize> {
  const doc = new PDFDocument({ autoFirstPage: true, compress: false });
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
    doc.on('data', () => {});
  });
  // pdfkit's typings leave openImage out; it parses the header (and the size) without drawing
  const image = (doc as unknown as { openImage(src: Buffer): LogoSize }).openImage(bytes);
  doc.image(bytes, 0, 0, { fit: [100, 100] });
  doc.end();
  await done;
  if (!(image.width > 0 && image.height > 0)) throw new Error('the image has no pixels');
  return { width: image.width, height: image.height };
}
