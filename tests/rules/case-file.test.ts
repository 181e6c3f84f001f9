/** The conformance loader refuses a case that could pass on its state alone, or that it cannot read. */
import { CaseFileError, parseCaseFile, parseState, stateLabel } from './case-file.js';

const ITEM = '{ id: u1, source: okta, username: a, status: active }';

function load(body: string) {
  return parseCaseFile(
    `rule: identity.mfa-registered\ncases:\n  - name: one\n    items: [${ITEM}]\n${body}`,
    'x.cases.yaml',
  );
}

function problems(body: string): { pointer: string; message: string }[] {
  try {
    load(body);
  } catch (err) {
    if (err instanceof CaseFileError) return err.problems;
    throw err;
  }
  throw new Error('loaded');
}

describe('conformance case loader', () => {
  it.each(['fail', 'insufficient_evidence', 'waived', 'error', 'fail assumed:status', 'insufficient_evidence stale'])(
    'refuses %s without its reason, naming the file and the entry',
    (state) => {
      expect(problems(`    expect: [pass, "${state}"]`)).toEqual([
        {
          pointer: '/cases/0/expect/1',
          message: `${/^[aeiou]/.test(state) ? 'an' : 'a'} ${state.split(' ')[0]} item needs its reason: write "- ${state}: <what its finding says>"`,
        },
      ]);
      expect(() => load(`    expect: [pass, "${state}"]`)).toThrow(
        /^x\.cases\.yaml: \/cases\/0\/expect\/1 an? \w+ item needs its reason/,
      );
    },
  );

  it('refuses a missing reason in a per-pack expectation too', () => {
    expect(
      problems(
        '    packs: [cis-controls-8.1, pci-dss-4.0.1]\n    expect:\n      cis-controls-8.1: [fail]\n      pci-dss-4.0.1: [pass]',
      ),
    ).toEqual([{ pointer: '/cases/0/expect/cis-controls-8.1/0', message: expect.stringMatching(/needs its reason/) }]);
  });

  it('refuses an empty reason, and a reason on a state that has no finding', () => {
    expect(problems('    expect: [{ fail: " " }, { pass: "fine" }]')).toEqual([
      { pointer: '/cases/0/expect/0', message: 'the reason is empty' },
      { pointer: '/cases/0/expect/1', message: 'a pass item has no finding, so no reason to give' },
    ]);
  });

  it('refuses an unknown state or mark, an unknown key, and expectations that do not match the packs', () => {
    expect(problems('    expect: [passed, "pass assumed"]')).toEqual([
      { pointer: '/cases/0/expect/0', message: expect.stringContaining('"passed" is not one of') },
      { pointer: '/cases/0/expect/1', message: '"assumed" is neither "stale" nor "assumed:<field>,…"' },
    ]);
    expect(problems('    reasons: [x]\n    expect: [pass]')).toEqual([
      { pointer: '/cases/0/reasons', message: 'is not allowed here' },
    ]);
    expect(problems('    packs: [cis-controls-8.1, pci-dss-4.0.1]\n    expect: [pass]')).toEqual([
      { pointer: '/cases/0/expect', message: 'with several packs, expect is a map from pack id to states' },
    ]);
    expect(problems('    packs: [cis-controls-8.1]\n    expect: { pci-dss-4.0.1: [pass] }')).toEqual([
      {
        pointer: '/cases/0/expect',
        message: "a map of expectations names exactly the case's packs (cis-controls-8.1)",
      },
    ]);
    expect(
      problems('    packs: [cis-controls-8.1]\n    packParams: { maxInactiveDays: 1 }\n    expect: [pass]'),
    ).toEqual([{ pointer: '/cases/0/packParams', message: 'only a case without packs has its own pack' }]);
  });

  it('reads states, marks, reasons and waivers with their defaults', () => {
    const file = load(
      [
        '    asOf: "2026-11-01T00:00:00Z"',
        '    waivers: [{ itemMatch: "u*" }]',
        '    expect:',
        '      - "pass assumed:status,mfa.bypass"',
        '      - "fail stale": a is enabled',
        '      - waived: a is enabled',
      ].join('\n'),
    );
    const c = file.cases[0]!;
    expect(c.expect).toEqual({
      conformance: [
        { state: 'pass', assumed: ['status', 'mfa.bypass'], stale: false },
        { state: 'fail', assumed: [], stale: true, reason: 'a is enabled' },
        { state: 'waived', assumed: [], stale: false, reason: 'a is enabled' },
      ],
    });
    expect(c.waivers).toEqual([
      { id: 'w1', itemMatch: 'u*', packId: null, expiresAt: '2027-11-01T00:00:00.000Z', revokedAt: null },
    ]);
    expect(c.collapsed).toEqual([]);
  });

  it('writes back the text it reads', () => {
    for (const text of ['pass', 'fail assumed:status', 'insufficient_evidence stale', 'fail assumed:a,b.c stale']) {
      const parsed = parseState(text);
      expect(typeof parsed === 'string' ? parsed : stateLabel(parsed)).toBe(text);
    }
  });
});
