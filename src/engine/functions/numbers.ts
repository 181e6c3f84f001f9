/** CEL ints arrive as bigint and JSON numbers as doubles: one number type for arithmetic across both. */
export function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}
