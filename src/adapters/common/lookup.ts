/**
 * A lookup table keyed by vendor text. Built without a prototype, so a hostile value such as
 * `__proto__` or `constructor` finds nothing instead of Object.prototype's members.
 */
export function lookup<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
