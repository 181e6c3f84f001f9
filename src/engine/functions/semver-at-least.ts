/** `semverAtLeast(version, minimum)`: agent and sensor builds against a minimum. */
import { LRUCache } from 'lru-cache';
import semver from 'semver';

/** Dotted versions compared numerically per segment (`7.22.19908.0` ≥ `7.20`), via semver's coercion. */
export function semverAtLeast(version: string, minimum: string): boolean {
  const key = JSON.stringify([version, minimum]); // unambiguous whatever the strings hold
  let answer = compared.get(key);
  if (answer === undefined) {
    answer = compareVersions(version, minimum);
    compared.set(key, answer);
  }
  return answer;
}

// NOTE: a fleet runs a handful of sensor builds against one minimum: compare each pair once.
const compared = new LRUCache<string, boolean>({ max: 4096 });

function compareVersions(version: string, minimum: string): boolean {
  const a = semver.coerce(version, { loose: true });
  const b = semver.coerce(minimum, { loose: true });
  if (!a || !b) throw new Error(`not a version: ${!a ? version : minimum}`);
  const c = semver.compare(a, b);
  if (c !== 0) return c > 0;
  // semver keeps three segments: break a tie on any further ones (build numbers)
  const rest = (v: string) =>
    v
      .split(/[.-]/)
      .slice(3)
      .map((x) => Number.parseInt(x, 10) || 0);
  const [ra, rb] = [rest(version), rest(minimum)];
  for (let i = 0; i < Math.max(ra.length, rb.length); i++)
    if ((ra[i] ?? 0) !== (rb[i] ?? 0)) return (ra[i] ?? 0) > (rb[i] ?? 0);
  return true;
}
