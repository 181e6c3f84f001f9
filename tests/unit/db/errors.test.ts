import { classifyDatabaseError } from '../../../src/db/errors.js';

/** An error as drizzle throws it: its own message, the driver's error as the cause. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1\nparams: '), { cause });
const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('classifyDatabaseError', () => {
  it.each([
    ['a unique violation', withCode('23505'), 'unique_violation'],
    ['a NUL in jsonb', withCode('22P05'), 'unstorable_character'],
    ['statement_timeout', withCode('57014', 'canceling statement due to statement timeout'), 'unavailable'],
    ['idle in transaction time-out', withCode('25P03'), 'unavailable'],
    ['the server shutting down', withCode('57P01'), 'unavailable'],
    ['cannot connect now (recovery)', withCode('57P03'), 'unavailable'],
    ['too many connections', withCode('53300'), 'unavailable'],
    ['a connection exception', withCode('08006'), 'unavailable'],
    ['a refused connection', withCode('ECONNREFUSED'), 'unavailable'],
    ['a reset connection', withCode('ECONNRESET'), 'unavailable'],
    ['pg query_timeout', new Error('Query read timeout'), 'unavailable'],
    ['pg-pool connect wait', new Error('timeout exceeded when trying to connect'), 'unavailable'],
    ['pg connect time-out', new Error('Connection terminated due to connection timeout'), 'unavailable'],
    ['a connection lost under a query', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['an ended pool', new Error('Cannot use a pool after calling end on the pool'), 'unavailable'],
    ['a closed PGlite', new Error('PGlite is closed'), 'unavailable'],
    ['the readiness ping', new Error('the database did not answer within 1500 ms'), 'unavailable'],
    ['refused on every address', new AggregateError([withCode('ECONNREFUSED')], ''), 'unavailable'],
  ])('%s → %s, bare or wrapped by drizzle', (_name, err, fault) => {
    expect(classifyDatabaseError(err)).toBe(fault);
    expect(classifyDatabaseError(wrapped(err))).toBe(fault);
  });

  it.each([
    ['a syntax error', withCode('42601')],
    ['a full disk (an operator must act)', withCode('53100')],
    ['a foreign key violation', withCode('23503')],
    ['a programming error', new TypeError('x is not a function')],
    ['nothing', undefined],
  ])('%s → nothing known', (_name, err) => {
    expect(classifyDatabaseError(err)).toBeUndefined();
    expect(classifyDatabaseError(wrapped(err))).toBeUndefined();
  });
});
