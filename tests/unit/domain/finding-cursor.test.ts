/** A findings cursor round-trips for its sort and is refused, pointing at ?cursor, otherwise. */
import { AppError } from '../../../src/core/errors.js';
import { decodeFindingCursor, encodeFindingCursor } from '../../../src/domain/finding-cursor.js';

const fp = 'c'.repeat(64);

describe('findings cursor', () => {
  it('round-trips the sort key of each sort', () => {
    expect(
      decodeFindingCursor(encodeFindingCursor('severity', [1, 'identity.mfa-registered', fp]), 'severity'),
    ).toEqual([1, 'identity.mfa-registered', fp]);
    const key = ['2026-11-01T12:00:00.000Z', 0, 'identity.mfa-registered', fp];
    expect(decodeFindingCursor(encodeFindingCursor('-firstSeen', key), '-firstSeen')).toEqual(key);
  });

  const refused = (cursor: string, sort: 'severity' | 'firstSeen' | '-firstSeen') => {
    try {
      decodeFindingCursor(cursor, sort);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid_cursor');
      expect((err as AppError).errors[0]).toMatchObject({ pointer: '/cursor', in: 'query' });
      return true;
    }
    return false;
  };
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it('refuses a cursor of another sort, of the wrong shape, or not JSON', () => {
    expect(refused(encodeFindingCursor('severity', [1, 'r', fp]), 'firstSeen')).toBe(true);
    expect(refused(encodeFindingCursor('firstSeen', ['2026-11-01T12:00:00.000Z', 1, 'r', fp]), '-firstSeen')).toBe(
      true,
    );
    expect(refused(encode(['severity', 9, 'r', fp]), 'severity')).toBe(true);
    expect(refused(encode(['severity', 1, 'r', 'not-a-fingerprint']), 'severity')).toBe(true);
    expect(refused(encode(['severity', 1, 'r']), 'severity')).toBe(true);
    expect(refused(encode(['firstSeen', 'yesterday', 1, 'r', fp]), 'firstSeen')).toBe(true);
    expect(refused(encode({ sort: 'severity' }), 'severity')).toBe(true);
    expect(refused('0195a0d0-0000-7000-8000-000000000002', 'severity')).toBe(true);
    expect(refused(encode(['severity', 1, 'r', fp]), 'severity')).toBe(false);
  });
});
