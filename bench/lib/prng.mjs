/**
 * A small seeded PRNG for the bench data generator: mulberry32 (32-bit state, period 2^32, fast
 * and good enough for picking realistic values — not for anything cryptographic). Each source
 * gets its own stream derived from (seed, source name), so generating one source never shifts
 * another: `--only crowdstrike` writes the same bytes as a full run.
 */

/** mulberry32: returns a function giving floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string: mixes a stream name into the seed. */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const HEX = '0123456789abcdef';

/** A random source with the helpers the generators use. */
export function createRandom(seed, stream) {
  const next = mulberry32((seed ^ fnv1a(stream)) >>> 0);
  const r = {
    next,
    /** integer in [lo, hi] */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** [[value, weight], …] → a value, with probability weight / Σ weights */
    weighted: (pairs) => {
      let total = 0;
      for (const [, w] of pairs) total += w;
      let x = next() * total;
      for (const [v, w] of pairs) {
        x -= w;
        if (x < 0) return v;
      }
      return pairs[pairs.length - 1][0];
    },
    hex: (n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += HEX[Math.floor(next() * 16)];
      return s;
    },
    digits: (n) => {
      let s = String(1 + Math.floor(next() * 9));
      for (let i = 1; i < n; i++) s += String(Math.floor(next() * 10));
      return s;
    },
    uuid: () => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[Math.floor(next() * 4)]}${r.hex(3)}-${r.hex(12)}`,
    ipv4: (prefix) => `${prefix}.${r.int(1, 254)}`,
    mac: (sep = ':') => Array.from({ length: 6 }, () => r.hex(2)).join(sep),
  };
  return r;
}

const DAY = 86_400_000;

/**
 * Times relative to the anchor (the generator's "now"): `ago(days)` → ISO string. Fractions of
 * a second vary in precision per vendor (the callers format them).
 */
export function clock(anchorMs) {
  return {
    anchorMs,
    /** Date `days` (fractional) before the anchor */
    before: (days) => new Date(anchorMs - days * DAY),
    iso: (days) => new Date(anchorMs - days * DAY).toISOString(),
    /** ISO with `digits` fractional digits (Falcon: 9, Graph: 7, S1: 6, Okta: 3, none: 0) */
    isoFrac: (days, digits, rnd) => {
      const d = new Date(anchorMs - days * DAY).toISOString().slice(0, 19);
      if (digits === 0) return `${d}Z`;
      let frac = '';
      for (let i = 0; i < digits; i++) frac += String(rnd.int(0, 9));
      return `${d}.${frac}Z`;
    },
    epochSeconds: (days) => Math.floor((anchorMs - days * DAY) / 1000),
  };
}

/**
 * Writes a JSON document made of a head, records and a tail in batches, so that a 200 MB export
 * never has to be one string. Stops after `count` records, or before the document would exceed
 * `maxBytes`. `serialize` turns a record into its JSON text (default JSON.stringify).
 * Returns { bytes, records }.
 */
export function writeJsonRecords(
  fd,
  writeSync,
  head,
  { count = Infinity, maxBytes = Infinity, serialize = JSON.stringify },
  record,
  tail,
  batch = 2000,
) {
  let bytes = Buffer.byteLength(head) + Buffer.byteLength(tail);
  writeSync(fd, head);
  let chunk = [];
  let records = 0;
  for (let i = 0; i < count; i++) {
    const text = (i > 0 ? ',' : '') + serialize(record(i));
    const size = Buffer.byteLength(text);
    if (bytes + size > maxBytes) break;
    bytes += size;
    records++;
    chunk.push(text);
    if (chunk.length === batch) {
      writeSync(fd, chunk.join(''));
      chunk = [];
    }
  }
  if (chunk.length > 0) writeSync(fd, chunk.join(''));
  writeSync(fd, tail);
  return { bytes, records };
}
