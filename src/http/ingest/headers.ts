import { validate } from '../../schemas/validator.js';
import { AppError } from '../../core/errors.js';

const LABEL_KEY = /^[a-z0-9][a-z0-9_./-]{0,62}$/i;
const MAX_LABELS = 20;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f]/;

/** `X-Posture-Labels: key=value, key=value` → labels (at most 20; keys and values bounded). */
export function parseLabels(header: string | undefined): Record<string, string> {
  if (header === undefined || header.trim() === '') return {};
  const labels: Record<string, string> = {};
  for (const pair of header.split(',')) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (!LABEL_KEY.test(key) || eq < 0 || value.length === 0 || value.length > 200 || CONTROL.test(value)) {
      throw new AppError(
        'invalid_header',
        'X-Posture-Labels must be key=value pairs separated by commas (keys: letters, digits, _ . / -; values: 1-200 characters)',
        [
          {
            in: 'header',
            pointer: '/X-Posture-Labels',
            message: `cannot read ${JSON.stringify(pair.trim().slice(0, 80))}`,
          },
        ],
      );
    }
    labels[key] = value;
  }
  if (Object.keys(labels).length > MAX_LABELS) {
    throw new AppError('invalid_header', `at most ${MAX_LABELS} labels`, [
      { in: 'header', pointer: '/X-Posture-Labels', message: 'too many labels' },
    ]);
  }
  return labels;
}

const DATE_TIME = { type: 'string', format: 'date-time' } as const;

/** `X-Collected-At`: an RFC 3339 date-time, used when the export carries no time of its own. */
export function parseCollectedAt(header: string | undefined): Date | undefined {
  if (header === undefined) return undefined;
  // ajv-formats' date-time checks the calendar too (no 30 February, no hour 24), which Date does not.
  const d = new Date(header);
  if (validate(DATE_TIME, header.trim()).length > 0 || Number.isNaN(d.getTime())) {
    throw new AppError('invalid_header', 'X-Collected-At must be an RFC 3339 date-time such as 2026-11-26T09:00:00Z', [
      { in: 'header', pointer: '/X-Collected-At', message: 'is not an RFC 3339 date-time' },
    ]);
  }
  return d;
}
