/** SARIF checked against the official 2.1.0 schema (bundled by @microsoft/jest-sarif); JUnit read by a JUnit reader. */
import jestSarif from '@microsoft/jest-sarif';
import { parse as parseJunit } from 'junit2json';

expect.extend(jestSarif as unknown as Parameters<typeof expect.extend>[0]);

export function expectValidSarif(log: unknown): void {
  (expect(log) as unknown as { toBeValidSarifLog(): void }).toBeValidSarifLog();
}

export interface JunitSuite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  testcase?: {
    name: string;
    classname: string;
    failure?: { message: string; inner?: string }[];
    skipped?: { message: string }[];
    error?: unknown[];
  }[];
}

export async function readJunit(xml: string): Promise<{ tests: number; failures: number; testsuite: JunitSuite[] }> {
  return (await parseJunit(xml)) as unknown as { tests: number; failures: number; testsuite: JunitSuite[] };
}
