/**
 * Small readers shared by the identity adapters. They keep the canonical distinction between an
 * absent field (the export does not say → `undefined`) and a present `null` (known none).
 */
import { toIsoTime, type EpochUnit } from '../common/time.js';
import { defined, isObject } from '../common/objects.js';

export { defined, isObject };

/** `undefined` → absent, `null` → null (known never), a readable time → ISO, anything else → absent. */
export function timeField(value: unknown, unit: EpochUnit = 's'): string | null | undefined {
  if (value === null) return null;
  return toIsoTime(value, unit);
}

/** A string field: absent stays absent, `null` and blank strings are "known none". */
export function textField(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
