import { compileGlob, globProblem, matchGlob } from '../../../src/core/glob.js';

const matches = (pattern: string, id: string) => matchGlob(compileGlob(pattern), id);

describe('waiver globs: the grammar', () => {
  it.each([
    ['*', 'anything/at.all', true],
    ['*', '', true],
    ['wan-*', 'wan-ssh', true],
    ['wan-*', 'lan-ssh', false],
    ['a*b', 'a/x.y/b', true],
    ['*.example.com', 'host.sub.example.com', true],
    ['.*', '.hidden', true],
    ['?', 'é', true],
    ['?', '😀', true],
    ['?', 'ab', false],
    ['u-??', 'u-12', true],
    ['u-??', 'u-1', false],
    ['[abc]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[!a-c]x', 'dx', true],
    ['[!a-c]x', 'ax', false],
    ['[a-]', '-', true],
    ['[\\]]', ']', true],
    ['[*?]', '*', true],
    ['[*?]', 'a', false],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['a\\?b', 'a?b', true],
    ['\\!x', '!x', true],
    ['\\{a,b\\}', '{a,b}', true],
    ['x!', 'x!', true],
    ['a}b', 'a}b', true],
    ['(a|b)', '(a|b)', true],
    ['a+b', 'a+b', true],
    ['**', 'a/b/c', true],
    ['?*'.repeat(20) + '!', 'a'.repeat(24), false],
    ['?*'.repeat(20) + '!', `${'a'.repeat(23)}!`, true],
  ])('%j on %j → %s', (pattern, id, expected) => {
    expect(matches(pattern, id)).toBe(expected);
  });

  it.each([
    ['!wan-*', /leading ! \(negation\)/],
    ['{a,b}', /braces/],
    ['x{1,2}', /braces/],
    ['@(a|b)', /extglobs/],
    ['!(a)', /leading !/],
    ['x!(a)', /extglobs/],
    ['+(a)', /extglobs/],
    ['*(a)', /extglobs/],
    ['?(a)', /extglobs/],
    ['[[:alpha:]]', /POSIX classes/],
    ['[[=a=]]', /POSIX classes/],
    ['[abc', /unclosed \[/],
    ['a[', /unclosed \[/],
    ['[]', /empty character class/],
    ['[^a]', /\[!…\]/],
    ['[z-a]', /backwards/],
    ['abc\\', /trailing \\/],
  ])('refuses %j, naming what is unsupported', (pattern, message) => {
    expect(globProblem(pattern)).toMatch(message);
    expect(() => compileGlob(pattern)).toThrow(message);
  });

  it('accepts what the grammar reads', () => {
    for (const p of ['*', 'wan-ssh-*', 'u-[0-9][0-9]', '[!x]*', '\\[literal\\]', 'a?c', 'Łódź-*']) {
      expect(globProblem(p)).toBeUndefined();
    }
  });

  it('matches across more than one 32-bit word of states', () => {
    const long = `${'ab?'.repeat(30)}*z`;
    expect(matches(long, `${'abX'.repeat(30)}-----z`)).toBe(true);
    expect(matches(long, `${'abX'.repeat(29)}aXX-----z`)).toBe(false);
  });
});
