/**
 * The custom functions of the rule language, with their CEL signatures: registered once, in
 * createCelEnvironment. Adding a function means a file here and a line below (and the README's
 * list of functions).
 */
import type { RegisteredFunctionHandler } from '@marcbachmann/cel-js';
import { cidrContains, cidrIsPublic } from './cidr.js';
import { daysSince } from './days-since.js';
import { insufficient } from './insufficient.js';
import { portInRange } from './port-in-range.js';
import { semverAtLeast } from './semver-at-least.js';

export const TIMESTAMP = 'google.protobuf.Timestamp';

export const FUNCTIONS: readonly (readonly [signature: string, implementation: RegisteredFunctionHandler])[] = [
  ['semverAtLeast(string, string): bool', semverAtLeast],
  ['cidrContains(string, string): bool', cidrContains],
  ['cidrIsPublic(string): bool', cidrIsPublic],
  ['portInRange(dyn, map): bool', portInRange],
  ['insufficient(string): bool', insufficient],
  [`daysSince(dyn, ${TIMESTAMP}): double`, daysSince],
];

export { cidrContains, cidrIsPublic } from './cidr.js';
export { daysSince } from './days-since.js';
export { InsufficientEvidence, insufficient } from './insufficient.js';
export { num } from './numbers.js';
export { portInRange } from './port-in-range.js';
export { semverAtLeast } from './semver-at-least.js';
