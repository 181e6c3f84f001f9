/**
 * The state-per-family chart, drawn with vector paths (no image): one horizontal bar per
 * requirement family, split into the states of its requirements in the STATES order, with the
 * count of requirements at its end, under a legend of the seven states.
 */
import type { PackResult } from '../../core/results.js';
import type { RequirementState } from '../../core/vocabulary.js';
import { ensureSpace, fitLine, frame } from './blocks.js';
import { FONT, INK, SIZE, STATE_COLOR, STATE_LABEL, STATES } from './theme.js';

type Doc = PDFKit.PDFDocument;

export interface FamilyBar {
  family: string;
  counts: Record<RequirementState, number>;
  total: number;
}

const LABEL_WIDTH = 170;
const COUNT_WIDTH = 34;
const BAR_HEIGHT = 11;
const ROW_HEIGHT = 17;

/** One bar per family of `pack`, in the order the families first appear. */
export function familyBars(pack: PackResult): FamilyBar[] {
  const bars = new Map<string, FamilyBar>();
  for (const req of pack.requirements) {
    let bar = bars.get(req.family);
    if (!bar) bars.set(req.family, (bar = { family: req.family, counts: zeroCounts(), total: 0 }));
    bar.counts[req.state]++;
    bar.total++;
  }
  return [...bars.values()];
}

function zeroCounts(): Record<RequirementState, number> {
  return Object.fromEntries(STATES.map((s) => [s, 0])) as Record<RequirementState, number>;
}

/** The legend: a swatch and a label per state, wrapping across the width. */
export function drawLegend(doc: Doc): void {
  const { left, width } = frame(doc);
  ensureSpace(doc, 30);
  let x = left;
  let y = doc.y;
  doc.font(FONT.regular).fontSize(SIZE.small);
  for (const state of STATES) {
    const w = 12 + doc.widthOfString(STATE_LABEL[state]) + 12;
    if (x + w > left + width) [x, y] = [left, y + 12];
    doc
      .save()
      .rect(x, y + 1, 8, 8)
      .fill(STATE_COLOR[state])
      .restore();
    doc
      .font(FONT.regular)
      .fontSize(SIZE.small)
      .fillColor(INK.text)
      .text(STATE_LABEL[state], x + 11, y + 1.5, { lineBreak: false });
    x += w;
  }
  doc.y = y + 16;
}

/** The bars, one row each, breaking pages between rows when needed. */
export function drawFamilyBars(doc: Doc, bars: readonly FamilyBar[]): void {
  for (const bar of bars) {
    ensureSpace(doc, ROW_HEIGHT);
    drawBar(doc, bar, doc.y);
    doc.y += ROW_HEIGHT;
  }
  doc.y += 4;
}

function drawBar(doc: Doc, bar: FamilyBar, y: number): void {
  const { left, width } = frame(doc);
  const barX = left + LABEL_WIDTH;
  const barWidth = width - LABEL_WIDTH - COUNT_WIDTH;
  doc.font(FONT.regular).fontSize(SIZE.table).fillColor(INK.text);
  doc.text(fitLine(doc, bar.family, LABEL_WIDTH - 8), left, y + 2, { lineBreak: false });
  let x = barX;
  for (const state of STATES) {
    const n = bar.counts[state];
    if (n === 0) continue;
    const w = (n / bar.total) * barWidth;
    doc.save().rect(x, y, w, BAR_HEIGHT).fill(STATE_COLOR[state]).restore();
    if (w >= 12) segmentLabel(doc, String(n), x, w, y);
    x += w;
  }
  doc.save().rect(barX, y, barWidth, BAR_HEIGHT).lineWidth(0.4).stroke(INK.rule).restore();
  doc.font(FONT.regular).fontSize(SIZE.table).fillColor(INK.muted);
  doc.text(String(bar.total), barX + barWidth + 6, y + 2, { lineBreak: false });
}

function segmentLabel(doc: Doc, text: string, x: number, w: number, y: number): void {
  doc.font(FONT.bold).fontSize(SIZE.small).fillColor('#FFFFFF');
  doc.text(text, x + (w - doc.widthOfString(text)) / 2, y + 2.5, { lineBreak: false });
}
