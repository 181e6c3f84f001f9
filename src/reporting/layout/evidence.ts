/**
 * A finding's evidence (the fields the rule read) as compact `dotted.key = value` lines. Keys
 * that name contact details or secrets are withheld whatever the rule read: a report is handed
 * to third parties, and it needs neither (DESIGN: no secrets, no needless personal data).
 */

/** Keys never printed: phone numbers and the like, and anything secret-looking. */
const WITHHELD_KEY =
  /phone|mobile|msisdn|fax|^sms|password|passwd|secret|token|api[-_]?key|private[-_]?key|credential/i;

export interface EvidenceLimits {
  /** lines printed at most; the rest are summarised in one line */
  maxLines: number;
  /** characters of one value at most */
  maxValue: number;
}

export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = { maxLines: 10, maxValue: 96 };

interface Walk {
  lines: string[];
  withheld: number;
  limits: EvidenceLimits;
}

/** The printable lines of `evidence`, withheld keys replaced by one count line. */
export function evidenceLines(
  evidence: Record<string, unknown>,
  limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
): string[] {
  const walk: Walk = { lines: [], withheld: 0, limits };
  visit(walk, '', evidence);
  const shown = walk.lines.slice(0, limits.maxLines);
  const hidden = walk.lines.length - shown.length;
  if (hidden > 0) shown.push(`… ${hidden} more field${hidden === 1 ? '' : 's'} not shown`);
  if (walk.withheld > 0)
    shown.push(`(${walk.withheld} field${walk.withheld === 1 ? '' : 's'} withheld: contact details or secrets)`);
  return shown;
}

/** Walks at most a few hundred leaves: evidence is small, this only guards against a runaway. */
function visit(walk: Walk, path: string, value: unknown): void {
  if (walk.lines.length > walk.limits.maxLines * 20) return;
  if (Array.isArray(value) && value.some(isComposite)) {
    value.forEach((v, i) => visit(walk, join(path, String(i)), v));
  } else if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, v] of Object.entries(value)) {
      if (WITHHELD_KEY.test(key)) walk.withheld++;
      else visit(walk, join(path, key), v);
    }
  } else {
    walk.lines.push(`${path || '(value)'} = ${clip(scalar(value), walk.limits.maxValue)}`);
  }
}

function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(scalar).join(', ')}]`;
  if (isPlainObject(value)) return '{}';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return String(value);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function isComposite(v: unknown): boolean {
  return Array.isArray(v) || isPlainObject(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
