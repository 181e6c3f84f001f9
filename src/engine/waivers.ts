import { compileGlob, GlobSyntaxError, matchGlob } from '../core/glob.js';

export interface WaiverInput {
  id: string;
  ruleId: string;
  packId: string | null;
  /** an exact item id, or a glob in the grammar of `core/glob-parse.ts` (`*` matches anything, `/` included) */
  itemMatch: string;
  expiresAt: Date;
  revokedAt: Date | null;
  /** when it was granted (approved): an evaluation as of an earlier time does not see it (absent: always granted) */
  createdAt?: Date;
}

export interface WaiverIndex {
  /** the waiver in force for this pack, rule and item, if any */
  find(packId: string, ruleId: string, itemId: string): WaiverInput | undefined;
}

/**
 * Waivers in force at `asOf`: granted by then, not expired, not revoked by then, and with an
 * `itemMatch` the glob grammar reads. A waiver stored before the grammar was enforced whose
 * pattern it cannot read is never applied (the API and the report show it as invalid). Matching
 * is linear in the item id (see core/glob.ts): no pattern can stall an evaluation.
 */
export function indexWaivers(waivers: readonly WaiverInput[], asOf: Date): WaiverIndex {
  const byRule = new Map<string, { w: WaiverInput; match: (s: string) => boolean }[]>();
  for (const w of waivers) {
    if (
      (w.createdAt !== undefined && w.createdAt > asOf) ||
      w.expiresAt <= asOf ||
      (w.revokedAt !== null && w.revokedAt <= asOf)
    )
      continue;
    const match = matcherOf(w.itemMatch);
    if (!match) continue;
    const list = byRule.get(w.ruleId) ?? [];
    list.push({ w, match });
    byRule.set(w.ruleId, list);
  }
  return {
    find: (packId, ruleId, itemId) =>
      byRule.get(ruleId)?.find(({ w, match }) => (w.packId === null || w.packId === packId) && match(itemId))?.w,
  };
}

/** The item matcher of a pattern (the exact id, or the glob), or undefined outside the grammar. */
function matcherOf(itemMatch: string): ((s: string) => boolean) | undefined {
  try {
    const glob = compileGlob(itemMatch);
    return (s) => s === itemMatch || matchGlob(glob, s);
  } catch (err) {
    if (err instanceof GlobSyntaxError) return undefined;
    throw err;
  }
}
