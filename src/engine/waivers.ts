import picomatch from 'picomatch';

export interface WaiverInput {
  id: string;
  ruleId: string;
  packId: string | null;
  /** an exact item id, or a glob (`*` matches anything, `/` included) */
  itemMatch: string;
  expiresAt: Date;
  revokedAt: Date | null;
  /** when it was granted: an evaluation as of an earlier time does not see it (absent: always granted) */
  createdAt?: Date;
}

export interface WaiverIndex {
  /** the waiver in force for this pack, rule and item, if any */
  find(packId: string, ruleId: string, itemId: string): WaiverInput | undefined;
}

/** Waivers in force at `asOf`: granted by then, not expired, not revoked by then. */
export function indexWaivers(waivers: readonly WaiverInput[], asOf: Date): WaiverIndex {
  const byRule = new Map<string, { w: WaiverInput; match: (s: string) => boolean }[]>();
  for (const w of waivers) {
    if (
      (w.createdAt !== undefined && w.createdAt > asOf) ||
      w.expiresAt <= asOf ||
      (w.revokedAt !== null && w.revokedAt <= asOf)
    )
      continue;
    const match = picomatch(w.itemMatch, { bash: true, dot: true, nobrace: true, noextglob: true });
    const list = byRule.get(w.ruleId) ?? [];
    list.push({ w, match: (s) => s === w.itemMatch || match(s) });
    byRule.set(w.ruleId, list);
  }
  return {
    find: (packId, ruleId, itemId) =>
      byRule.get(ruleId)?.find(({ w, match }) => (w.packId === null || w.packId === packId) && match(itemId))?.w,
  };
}
