/** `portInRange(port, {from, to})`: a port (an int literal or a JSON number) inside a canonical port range. */
import { num } from './numbers.js';

export function portInRange(port: unknown, range: { from: unknown; to: unknown }): boolean {
  return num(port) >= num(range.from) && num(port) <= num(range.to);
}
