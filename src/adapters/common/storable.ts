/**
 * PostgreSQL's jsonb cannot hold U+0000 nor an unpaired surrogate; an export can (a `\u0000`
 * escape, a NUL byte in a comment, `&#xD800;` in XML). Such characters become U+FFFD in the
 * canonical document — the raw bytes keep the original — and the count becomes a warning.
 */
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/** Replace in place; returns how many strings changed. */
export function makeStorable(value: unknown): number {
  let changed = 0;
  const fix = (s: string): string => {
    if (!s.includes('\u0000') && (s as WellFormed).isWellFormed()) return s;
    changed++;
    return (s.replaceAll('\u0000', '\uFFFD') as WellFormed).toWellFormed();
  };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'string') walk(v[i]);
        else {
          const f = fix(v[i] as string);
          if (f !== v[i]) v[i] = f;
        }
      }
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // write only what changes: adapters share frozen constants (e.g. factor descriptions)
      for (const k of Object.keys(o)) {
        // an undefined member is what JSON drops: remove it, so the document in memory and the
        // one read back from the database are the same to the rules
        if (o[k] === undefined) Reflect.deleteProperty(o, k);
        else if (typeof o[k] !== 'string') walk(o[k]);
        else {
          const f = fix(o[k] as string);
          if (f !== o[k]) o[k] = f;
        }
      }
    }
  };
  walk(value);
  return changed;
}

/** One string, made storable. */
export function storableText(s: string): string {
  return (s.replaceAll('\u0000', '\uFFFD') as WellFormed).toWellFormed();
}
