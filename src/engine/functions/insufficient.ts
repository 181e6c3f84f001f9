/** `insufficient(why)`: the rule says the item cannot be judged, and why; judge() makes it insufficient evidence. */

/** Thrown by `insufficient('why')`: the item cannot be judged, for the reason given. */
export class InsufficientEvidence extends Error {
  readonly code = 'insufficient_evidence';
  constructor(readonly summary: string) {
    super(summary);
  }
}

export function insufficient(why: string): never {
  throw new InsufficientEvidence(why);
}
