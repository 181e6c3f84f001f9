/** `daysSince(time, asOf)`: the age of a time (RFC 3339 text or a timestamp) in days, as of `asOf`. */
const DAY_MS = 86_400_000;

export function daysSince(t: unknown, asOf: Date): number {
  return (asOf.getTime() - toMs(t)) / DAY_MS;
}

function toMs(t: unknown): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`not a time: ${String(t)}`);
  return ms;
}
