/**
 * Every list is `{items, nextCursor}`, newest first. Ids are UUIDv7 (time-ordered), so a cursor
 * is the last id of the page and the next page is "ids below it". Clients treat it as opaque.
 */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows were fetched with `limit + 1`: the extra row only says that another page exists. */
export function pageOf<R, T>(rows: R[], limit: number, idOf: (row: R) => string, toDto: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  return { items: items.map(toDto), nextCursor: rows.length > limit ? idOf(items[items.length - 1]!) : null };
}
