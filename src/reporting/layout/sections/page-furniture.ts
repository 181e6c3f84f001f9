/**
 * The final pass over every buffered page: a running header (all but the cover) and a footer
 * with the report id and "Page x of y". Both sit in the margins and are drawn without line
 * wrapping, so they can never push content onto a new page.
 */
import { fitLine } from '../blocks.js';
import type { RenderContext } from '../context.js';
import { FONT, INK, PAGE, SIZE } from '../theme.js';
import { formatDate, safeText } from '../text.js';

/** Draws header and footer on every page; call once, after the last section. */
export function drawPageFurniture(ctx: RenderContext): void {
  const { doc } = ctx;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    if (i > start) header(ctx);
    footer(ctx, i - start + 1, count);
  }
}

function header(ctx: RenderContext): void {
  const { doc, data } = ctx;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const right = `as of ${formatDate(data.evaluation.asOf)}`;
  doc.font(FONT.regular).fontSize(SIZE.small).fillColor(INK.muted);
  const rightWidth = doc.widthOfString(right);
  doc.text(
    fitLine(doc, `Posture compliance report · ${data.tenant.name}`, width - rightWidth - 12),
    left,
    PAGE.headerY,
    { lineBreak: false },
  );
  doc.text(right, left + width - rightWidth, PAGE.headerY, { lineBreak: false });
  const y = PAGE.headerY + 11;
  doc
    .save()
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(0.4)
    .stroke(INK.rule)
    .restore();
}

function footer(ctx: RenderContext, page: number, pages: number): void {
  const { doc, data } = ctx;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const y = doc.page.height - PAGE.footerOffset;
  const label = `Page ${page} of ${pages}`;
  doc.font(FONT.regular).fontSize(SIZE.small).fillColor(INK.muted);
  const labelWidth = doc.widthOfString(label);
  doc.text(
    fitLine(doc, safeText(`Report ${data.reportId} · evaluation ${data.evaluation.id}`), width - labelWidth - 12),
    left,
    y,
    { lineBreak: false },
  );
  doc.text(label, left + width - labelWidth, y, { lineBreak: false });
}
