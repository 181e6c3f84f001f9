/**
 * JUnit XML: byte-for-byte what the first (quadratic) implementation wrote for the same input,
 * captured in tests/fixtures/junit before it was made linear; and 40,000 failing items on one
 * rule complete with every test case and the right counts (no timing: a count that a quadratic
 * version would take half a minute to reach).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJunit } from '../../../src/reporting/junit.js';
import { readJunit } from '../../helpers/ci-formats.js';
import { junitInput } from './junit-input.js';

const EXPECTED = join(import.meta.dirname, '..', '..', 'fixtures', 'junit', 'expected-205.xml');

describe('buildJunit', () => {
  it('writes the same bytes as before for the same input (every state, escaping, the "… and N more" line)', () => {
    expect(buildJunit(junitInput(205))).toBe(readFileSync(EXPECTED, 'utf8'));
  });

  it('lists 40,000 failing items on one rule as one test case with the first 200 and a count', async () => {
    const input = junitInput(40_000);
    const xml = buildJunit(input);
    const junit = await readJunit(xml);
    const cases = junit.testsuite.flatMap((s) => s.testcase ?? []);
    expect(cases).toHaveLength(input.rules.length);
    const failing = cases.find((c) => c.classname === 'pack-a' && c.name.startsWith('rule.fail:'))!;
    expect(failing.failure![0]!.message).toBe('40000 item(s) fail');
    const listed = failing.failure![0]!.inner!.split('\n');
    expect(listed).toHaveLength(201);
    expect(listed[200]).toBe('… and 39800 more');
    expect(junit.failures).toBe(4);
  });
});
