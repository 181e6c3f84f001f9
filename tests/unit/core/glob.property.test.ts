/**
 * The matcher against a reference (the same grammar as a JavaScript regular expression, fine for
 * short inputs) and the linearity bound: steps ≤ 3·(n + 1)·(p + 1) for an id of n code points and
 * a pattern of p characters, over random and adversarial patterns of the longest length a waiver
 * may have (500) against 1,000-character ids.
 */
import fc from 'fast-check';
import { compileGlob, type GlobCounter, globProblem, matchGlob } from '../../../src/core/glob.js';

const MAX_PATTERN = 500;
const ID_LENGTH = 1000;

const atom = fc.oneof(
  fc.constantFrom('a', 'b', '/', '.', '-', '!', '(', ')', '+', '@', '}', 'é'),
  fc.constant('*'),
  fc.constant('?'),
  fc.constantFrom('[ab]', '[!a]', '[a-c]', '[!.-/]', '\\*', '\\?', '\\[', '\\!', '\\{'),
);
/** Patterns in the grammar; a leading `!` is escaped, `(` after `@!+*?` too (those would be extglobs). */
const pattern = (minAtoms: number, maxAtoms: number) =>
  fc.array(atom, { minLength: minAtoms, maxLength: maxAtoms }).map((atoms) => {
    let p = atoms.join('').replace(/([@!+*?])\(/g, '$1\\(');
    if (p.startsWith('!')) p = `\\${p}`;
    return p;
  });
/** A random pattern of exactly the maximum length: whole atoms up to it, then `?`s. */
const longest = pattern(MAX_PATTERN / 2, MAX_PATTERN).map((p) => {
  let cut = p;
  while (cut.length > MAX_PATTERN) cut = cut.slice(0, cut.length - 1);
  while (globProblem(cut) !== undefined) cut = cut.slice(0, -1);
  return cut.padEnd(MAX_PATTERN, '?');
});
const id = (maxLength: number) =>
  fc.array(fc.constantFrom('a', 'b', '/', '.', '-', '!', '*', 'é', 'x'), { maxLength }).map((c) => c.join(''));

/** The same grammar as a regular expression over code points (for checking, not for production). */
function reference(p: string): RegExp {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') out += escapeRe(p[++i]!);
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      const body = p.slice(i + 1, end);
      out += body.startsWith('!') ? `[^${classRe(body.slice(1))}]` : `[${classRe(body)}]`;
      i = end;
    } else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`, 'su');
}
/** Class bodies here are single characters and `x-y` ranges of plain characters. */
const classRe = (body: string) => body.replace(/[^-]/gu, (c) => escapeRe(c));
const escapeRe = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

describe('waiver glob matching', () => {
  it('agrees with a regular-expression reference on short inputs', () => {
    fc.assert(
      fc.property(pattern(1, 8), id(12), (p, s) => {
        expect(matchGlob(compileGlob(p), s)).toBe(reference(p).test(s));
      }),
      { numRuns: 2000 },
    );
  });

  const bounded = (p: string, s: string) => {
    const counter: GlobCounter = { steps: 0 };
    matchGlob(compileGlob(p), s, counter);
    const n = [...s].length;
    expect(counter.steps).toBeLessThanOrEqual(3 * (n + 1) * (p.length + 1));
    return counter.steps;
  };

  it('is linear: random patterns of the maximum length against 1,000-character ids', () => {
    fc.assert(
      fc.property(longest, id(ID_LENGTH), (p, s) => {
        expect(p.length).toBe(MAX_PATTERN);
        bounded(p, s.padEnd(ID_LENGTH, 'a'));
      }),
      { numRuns: 200 },
    );
  });

  const adversarial: [string, string][] = [
    ['?*', '!'],
    ['*a', 'b'],
    ['a*', '!'],
    ['*?', '!'],
    ['*[!b]', 'b'],
    ['[a-z]*', '\\*!'],
    ['*a?', '!'],
  ];
  it.each(adversarial)('is linear: (%j)×k then %j at the maximum length, against 1,000-character ids', (unit, tail) => {
    const p = unit.repeat(Math.floor((MAX_PATTERN - tail.length) / unit.length)) + tail;
    expect(p.length).toBeLessThanOrEqual(MAX_PATTERN);
    fc.assert(
      fc.property(fc.constantFrom('a', 'b', '!', '/', 'é'), fc.nat(ID_LENGTH), (c, cut) => {
        const s = 'a'.repeat(cut) + c.repeat(ID_LENGTH - cut);
        bounded(p, s);
      }),
      { numRuns: 50 },
    );
  });

  it('the issue’s pattern, ?* twenty times then !, stays within the bound on 24 and 1,000 characters', () => {
    const p = `${'?*'.repeat(20)}!`;
    expect(bounded(p, 'a'.repeat(24))).toBeLessThanOrEqual(3 * 25 * 42);
    bounded(p, 'a'.repeat(ID_LENGTH));
  });
});
