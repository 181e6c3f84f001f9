import { v7 } from 'uuid';

/** UUIDv7: time-ordered, so "newest first" is "id descending" and cursors are just ids. */
export const newId = (): string => v7();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);
