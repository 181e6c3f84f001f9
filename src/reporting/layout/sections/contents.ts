/**
 * The table of contents, at the top of page 2 above the executive summary: its room is reserved
 * before the sections are drawn and filled in at the end, once every section's page is known;
 * each entry links to its section.
 */
import { frame, style } from '../blocks.js';
import { currentPage, type RenderContext } from '../context.js';
import { FONT, INK, SIZE } from '../theme.js';
import { safeText } from '../text.js';

/** Lines the contents hold at most (one per section). */
const ENTRIES = 11;
const LINE = SIZE.h3 * 1.7;

export interface ContentsPlace {
  page: number;
  y: number;
}

/** Starts a page with room for the contents at its top (the executive summary follows below). */
export function reserveContents(ctx: RenderContext): ContentsPlace {
  const { doc } = ctx;
  doc.addPage();
  const place = { page: currentPage(doc), y: doc.y };
  doc.y += SIZE.h1 * 1.3 + 8 + ENTRIES * LINE;
  return place;
}

/** Fills the reserved room with the sections started since. */
export function renderContents(ctx: RenderContext, place: ContentsPlace): void {
  const { doc } = ctx;
  if (ctx.sections.length > ENTRIES)
    throw new Error(`the contents hold ${ENTRIES} sections, not ${ctx.sections.length}`);
  doc.switchToPage(place.page);
  const { left, width } = frame(doc);
  style(doc, { font: FONT.bold, size: SIZE.h1, color: INK.accent }).text('Contents', left, place.y, { width });
  doc.y = place.y + SIZE.h1 * 1.3 + 8;
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
    doc.y = y + LINE;
  }
}
