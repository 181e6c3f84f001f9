/**
 * Waiver globs: wall time of the linear matcher (src/core/glob.ts) on adversarial patterns of the
 * longest length a waiver may have (500 characters) against 1,000-character ids, and on the issue's
 * `?*`×20 then `!` — which froze picomatch's regular expression. Not run by `npm run bench`.
 *
 *   npm run build && node bench/waiver-glob.mjs [--runs 2000]
 */
import { dist, options } from './lib/common.mjs';

const { compileGlob, matchGlob } = await dist('core/glob.js');
const runs = Number(options().runs ?? 2000);
const ID = 1000;
const MAX = 500;
const fill = (unit, tail) => unit.repeat(Math.floor((MAX - tail.length) / unit.length)) + tail;
const cases = [
  ['?*×20 then ! (the issue), 24-char id', `${'?*'.repeat(20)}!`, 'a'.repeat(24)],
  ['?*×20 then !, 1,000-char id', `${'?*'.repeat(20)}!`, 'a'.repeat(ID)],
  ['(?*)×249 then ! (500 chars), 1,000-char id', fill('?*', '!'), 'a'.repeat(ID)],
  ['(*a)×249 then b (500 chars), 1,000-char id', fill('*a', 'b'), 'a'.repeat(ID)],
  ['([a-z]*)×83 then ! (500 chars), 1,000-char id', fill('[a-z]*', '!'), 'a'.repeat(ID)],
  ['(*a?)×166 then ! (500 chars), 1,000-char id of é', fill('*a?', '!'), 'é'.repeat(ID)],
  ['wan-ssh-* (typical), 1,000-char id', 'wan-ssh-*', `wan-ssh-${'x'.repeat(ID - 8)}`],
];

console.log(`| case | µs per match (median of ${runs}) | p99 µs | steps |`);
console.log('| --- | --- | --- | --- |');
for (const [name, pattern, id] of cases) {
  const glob = compileGlob(pattern);
  const counter = { steps: 0 };
  matchGlob(glob, id, counter);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    matchGlob(glob, id);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)].toFixed(1);
  console.log(`| ${name} | ${median} | ${times[Math.floor(times.length * 0.99)].toFixed(0)} | ${counter.steps} |`);
}
