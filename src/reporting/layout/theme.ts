/**
 * The report's look in one place: page geometry, fonts (Unicode TrueType fonts embedded as
 * subsets, see fonts.ts), sizes and the colours of states and severities, which the chart, the
 * chips in the tables and the legend all share.
 */
import type { RequirementState } from '../../core/vocabulary.js';
import type { FindingStatus, Severity } from '../../core/vocabulary.js';

export type { FindingStatus, Severity } from '../../core/vocabulary.js';
export { SEVERITIES } from '../../core/vocabulary.js';

export const PAGE = {
  size: 'A4' as const,
  margins: { top: 60, bottom: 60, left: 50, right: 50 },
  /** the running header and footer sit in the margins */
  headerY: 28,
  footerOffset: 38,
};

/** The names the report's fonts are registered under (fonts.ts maps them to their files). */
export const FONT = {
  regular: 'Sans',
  bold: 'Sans-Bold',
  italic: 'Sans-Oblique',
  mono: 'Mono',
} as const;
export type FontName = (typeof FONT)[keyof typeof FONT];

export const SIZE = {
  title: 24,
  h1: 16,
  h2: 12,
  h3: 10,
  body: 9,
  table: 8,
  small: 7,
  mono: 7,
};

export const INK = {
  text: '#1A1A1A',
  muted: '#5F6368',
  rule: '#C8CCD0',
  band: '#EEF1F4',
  header: '#DDE3EA',
  accent: '#1F3A5F',
  calloutFill: '#FFF4E5',
  calloutBorder: '#EF6C00',
};

/** Order used by the chart, its legend and the state counts: good to bad, then dropped-out. */
export const STATES: readonly RequirementState[] = [
  'pass',
  'attested',
  'waived',
  'manual',
  'insufficient_evidence',
  'fail',
  'error',
  'not_applicable',
];

export const STATE_COLOR: Record<RequirementState, string> = {
  pass: '#2E7D32',
  attested: '#00796B',
  waived: '#1565C0',
  manual: '#6A1B9A',
  insufficient_evidence: '#EF6C00',
  fail: '#C62828',
  error: '#AD1457',
  not_applicable: '#9E9E9E',
};

export const STATE_LABEL: Record<RequirementState, string> = {
  pass: 'pass',
  attested: 'attested',
  waived: 'waived',
  manual: 'manual',
  insufficient_evidence: 'insufficient evidence',
  fail: 'fail',
  error: 'error',
  not_applicable: 'not applicable',
};

export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#7B1010',
  high: '#D84315',
  medium: '#F9A825',
  low: '#1E88E5',
  info: '#78909C',
};

/** Finding statuses, worst first: the order findings are listed in within a rule. */
export const FINDING_ORDER: readonly FindingStatus[] = ['fail', 'error', 'insufficient_evidence', 'waived'];

/** A chip: a small filled rounded rectangle with a label, in one of the palettes above. */
export interface ChipStyle {
  label: string;
  fill: string;
  ink: string;
}

export function stateChip(state: RequirementState): ChipStyle {
  return { label: STATE_LABEL[state], fill: STATE_COLOR[state], ink: '#FFFFFF' };
}

export function severityChip(severity: Severity): ChipStyle {
  return { label: severity, fill: SEVERITY_COLOR[severity], ink: severity === 'medium' ? '#1A1A1A' : '#FFFFFF' };
}
