/**
 * Issue 14, defect 1: a waiver glob like `?*` repeated then `!` made picomatch's regular expression
 * backtrack catastrophically on a short id, freezing the event loop for every tenant. The engine
 * now matches in linear time: an evaluation with such waivers costs what one without them costs.
 * (Step-count bounds over random and adversarial patterns: tests/unit/core/glob.property.test.ts.)
 */
import { compileGlob, type GlobCounter, matchGlob } from '../../src/core/glob.js';
import { evaluate, type WaiverInput } from '../../src/engine/evaluate.js';
import { catalog } from '../helpers/app.js';

const asOf = new Date('2026-11-01T00:00:00Z');
const user = (id: string) => ({
  id,
  source: 'canonical',
  username: id,
  status: 'active',
  accountType: 'human',
  authSource: 'local',
  mfa: { registered: false },
  lastLoginAt: '2026-10-30T00:00:00Z',
  origin: { part: 'body', pointer: '/users/0' },
});
const waiver = (itemMatch: string): WaiverInput => ({
  id: 'w-adversarial',
  ruleId: 'identity.mfa-registered',
  packId: null,
  itemMatch,
  expiresAt: new Date('2027-01-01T00:00:00Z'),
  revokedAt: null,
});

function timedEvaluation(ids: string[], waivers: WaiverInput[]) {
  const started = performance.now();
  const out = evaluate({
    catalog: catalog(),
    packIds: ['hipaa-security-rule', 'pci-dss-4.0.1', 'cis-controls-8.1'],
    snapshots: [
      { id: 's1', kind: 'identity', source: 'canonical', instance: 'default', document: { users: ids.map(user) } },
    ],
    waivers,
    asOf,
  });
  return { ms: performance.now() - started, out };
}

describe('adversarial waiver globs cannot freeze an evaluation', () => {
  beforeAll(() => {
    timedEvaluation(['warm-up'], []); // compile the rules once
  });

  it('?*×12 then ! against 30-character ids (seconds per id with picomatch) adds no measurable time', () => {
    const ids = ['a'.repeat(30), 'b'.repeat(30), `${'c'.repeat(29)}!`];
    const plain = timedEvaluation(ids, []);
    const waived = timedEvaluation(ids, [waiver(`${'?*'.repeat(12)}!`)]);
    expect(waived.ms).toBeLessThan(plain.ms + 1000);
    const statuses = waived.out.findings
      .filter((f) => f.ruleId === 'identity.mfa-registered')
      .map((f) => [f.item?.id.at(-1), f.status]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['a', 'fail'],
        ['b', 'fail'],
        ['!', 'waived'],
      ]),
    );
  });

  it('?*×20 then ! (the issue’s pattern) against 24- and 1,000-character ids finishes within a step bound', () => {
    const glob = compileGlob(`${'?*'.repeat(20)}!`);
    for (const n of [24, 1000]) {
      const counter: GlobCounter = { steps: 0 };
      expect(matchGlob(glob, 'a'.repeat(n), counter)).toBe(false);
      expect(counter.steps).toBeLessThanOrEqual(3 * (n + 1) * (glob.source.length + 1));
    }
    const ids = ['a'.repeat(24), 'a'.repeat(1000), `${'a'.repeat(999)}!`];
    const { out } = timedEvaluation(ids, [waiver(`${'?*'.repeat(20)}!`)]);
    expect(out.findings.filter((f) => f.status === 'waived').map((f) => f.item?.id.length)).toContain(1000);
  });
});
