/**
 * Vendor time values → ISO-8601 UTC strings (`Date#toISOString`). Vendors mix epoch seconds
 * (Duo, NinjaOne as doubles), epoch milliseconds, ISO with nanoseconds (Falcon) and ISO without a
 * zone (Duo phones: UTC). Anything unreadable → undefined, so the caller can leave the field absent.
 */
export type EpochUnit = 's' | 'ms';

const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
// Only ISO-8601 reaches Date: anything else (e.g. "5/1/2024 2:22 PM") would be read in the
// machine's local zone, and the same export would mean different instants on different hosts.
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const FRACTION = /\.(\d{3})\d+/;

export function toIsoTime(value: unknown, epochUnit: EpochUnit = 's'): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    const ms = epochUnit === 's' ? value * 1000 : value;
    return validDate(new Date(Math.round(ms)));
  }
  if (typeof value !== 'string') return undefined;
  let s = value.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return toIsoTime(Number(s), epochUnit);
  if (!ISO.test(s)) return undefined;
  s = s.replace(' ', 'T').replace(FRACTION, '.$1'); // nanoseconds: Date keeps milliseconds
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += 'T00:00:00Z';
  if (ISO_NO_ZONE.test(s)) s += 'Z';
  return validDate(new Date(s));
}

function validDate(d: Date): string | undefined {
  const t = d.getTime();
  return Number.isNaN(t) || d.getUTCFullYear() > 9999 ? undefined : d.toISOString();
}
