import { dattoRmmAdapter } from '../../../src/adapters/technicians/datto-rmm.js';
import { AdapterInputError } from '../../../src/adapters/types.js';
import type { Technician } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const PAGE1: [string, string] = ['body', 'datto-rmm/users-page1.json'];
const PAGE2: [string, string] = ['body', 'datto-rmm/users-page2.json'];
const BARE: [string, string] = ['body', 'datto-rmm/users-bare.json'];

function run(parts: [string, string][] = [PAGE1, PAGE2]) {
  return runOnFixtures(dattoRmmAdapter, parts);
}

function tech(id: string, parts?: [string, string][]): Technician {
  const found = run(parts).document.technicians.find((t) => t.id === id);
  if (!found) throw new Error(`no user ${id}`);
  return found;
}

function inputError(fn: () => unknown): AdapterInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AdapterInputError) return e;
    throw e;
  }
  throw new Error('expected an AdapterInputError');
}

describe('datto-rmm adapter', () => {
  it('normalises a user field by field: no MFA, role or scope fields, so mfa and privileged are absent', () => {
    expect(tech('jsmith')).toEqual({
      id: 'jsmith',
      source: 'datto-rmm',
      name: 'Jordan Smith',
      email: 'jordan.smith@msp.example.com',
      status: 'active',
      shared: false,
      clientAccess: null,
      lastLoginAt: '2025-01-10T09:15:22.000Z',
      origin: { part: 'body', page: 0, pointer: '/users/0' },
    });
  });

  it('never writes mfa or privileged, for any user', () => {
    for (const t of run().document.technicians) {
      expect(t).not.toHaveProperty('mfa');
      expect(t).not.toHaveProperty('privileged');
      expect(t).not.toHaveProperty('roles');
    }
  });

  it('disabled → inactive; lastAccess as epoch milliseconds (number)', () => {
    expect(tech('mlopez')).toMatchObject({ status: 'inactive', lastLoginAt: '2024-11-26T05:46:40.123Z' });
  });

  it('lastAccess null → null (never logged in); a role-named username is shared', () => {
    expect(tech('support')).toMatchObject({ lastLoginAt: null, shared: true });
  });

  it('lastAccess as a string of epoch milliseconds; status "Invited" → pending', () => {
    expect(tech('kpatel')).toMatchObject({ status: 'pending', lastLoginAt: '2025-01-15T00:13:20.000Z' });
  });

  it('an unrecognised status → unknown; an unreadable lastAccess is left out with a warning', () => {
    const result = run();
    const t = result.document.technicians.find((x) => x.id === 'rwong')!;
    expect(t.status).toBe('unknown');
    expect(t).not.toHaveProperty('lastLoginAt');
    expect(result.warnings).toEqual([
      {
        code: 'unreadable_time',
        message: expect.stringContaining('rwong'),
        part: 'body',
        page: 1,
        pointer: '/users/1/lastAccess',
      },
    ]);
  });

  it('accepts a bare array: ISO with a +0000 offset; no disabled/status → unknown; email null kept', () => {
    expect(tech('staylor', [BARE])).toMatchObject({
      status: 'unknown',
      lastLoginAt: '2025-01-12T18:30:00.123Z',
      origin: { part: 'body', pointer: '/0' },
    });
    const tueda = tech('tueda', [BARE]);
    expect(tueda).toMatchObject({ status: 'active', email: null });
    expect(tueda).not.toHaveProperty('lastLoginAt');
  });

  it('warns when fewer users arrive than pageDetails.totalCount reports', () => {
    expect(run([PAGE1]).warnings).toEqual([
      { code: 'incomplete_export', message: expect.stringContaining('3 of the 5'), part: 'body' },
    ]);
    expect(run([PAGE1, PAGE2]).warnings.map((w) => w.code)).not.toContain('incomplete_export');
  });

  describe('bad input', () => {
    it('a user without username or with a non-boolean disabled is a 422 pointing at it', () => {
      const err = inputError(() => run([['body', 'datto-rmm/bad-user.json']]));
      expect(err.status).toBe(422);
      expect(err.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ part: 'body', pointer: '/users/1/username' }),
          expect.objectContaining({ part: 'body', pointer: '/users/1/disabled' }),
        ]),
      );
    });

    it('malformed JSON is a 400 with its line and pointer', () => {
      const err = inputError(() => run([['body', 'datto-rmm/malformed.json']]));
      expect(err.status).toBe(400);
      expect(err.problems[0]).toMatchObject({ part: 'body', line: 4 });
    });
  });
});
