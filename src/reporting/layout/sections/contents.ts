/**
 * Page 2: the table of contents. It is reserved as an empty page before the sections are drawn
 * and filled in at the end, once every section's page is known; each entry links to its section.
 */
import { frame, style } from '../blocks.js';
import { currentPage, type RenderContext } from '../context.js';
import { FONT, INK, SIZE } from '../theme.js';
import { safeText } from '../text.js';

/** Adds the empty contents page and returns its index. */
export function reserveContents(ctx: RenderContext): number {
  ctx.doc.addPage();
  return currentPage(ctx.doc);
}

/** Fills the reserved page with the sections started since. */
export function renderContents(ctx: RenderContext, page: number): void {
  const { doc } = ctx;
  doc.switchToPage(page);
  const { left, width, top } = frame(doc);
  style(doc, { font: FONT.bold, size: SIZE.h1, color: INK.accent }).text('Contents', left, top, { width });
  doc.y += 12;
  for (const section of ctx.sections) {
    const y = doc.y;
    const number = String(section.page + 1);
    style(doc, { size: SIZE.h3 });
    const numberWidth = doc.widthOfString(number);
    const titleWidth = doc.widthOfString(safeText(section.title));
    doc.text(safeText(section.title), left, y, { lineBreak: false, goTo: section.dest });
    doc
      .save()
      .moveTo(left + titleWidth + 6, y + SIZE.h3 - 2)
      .lineTo(left + width - numberWidth - 6, y + SIZE.h3 - 2)
      .dash(1, { space: 2 })
      .lineWidth(0.5)
      .stroke(INK.rule)
      .undash()
      .restore();
    doc.text(number, left + width - numberWidth, y, { lineBreak: false, goTo: section.dest });
    doc.y = y + SIZE.h3 * 2;
  }
}
