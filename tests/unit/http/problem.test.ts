import { DrizzleQueryError } from 'drizzle-orm';
import { AppError } from '../../../src/core/errors.js';
import { safeError, safeErrorSerializer } from '../../../src/http/middleware/log-safe-error.js';
import { classifyDatabaseError } from '../../../src/db/errors.js';
import { statusOf } from '../../../src/http/errors.js';
import { toAppError as mapError } from '../../../src/http/middleware/problem.js';

/** The middleware's mapping with the database layer's classifier, as app.ts wires it. */
const toAppError = (err: unknown, req?: Parameters<typeof mapError>[1]) => {
  const e = mapError(err, req, classifyDatabaseError);
  return e && Object.assign(e, { status: statusOf(e.code) });
};

/** A driver error as pg and PGlite throw them (PGlite adds the query and its parameters). */
function driverError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    code,
    severity: 'ERROR',
    detail: 'Key (slug)=(SECRET-IN-DETAIL) already exists.',
    ...extra,
  });
}

const SECRET = '-----BEGIN PRIVATE KEY-----SECRET-IN-PARAMS';

describe('safeError (what of an error reaches the log)', () => {
  const wrapped = () =>
    new DrizzleQueryError(
      'insert into "snapshot_parts" ("bytes") values ($1)',
      [Buffer.from(SECRET)],
      driverError('53100', 'could not extend file', { query: 'insert …', params: [SECRET] }),
    );

  it('keeps the SQL text and the database code and message of a DrizzleQueryError, never its parameters', () => {
    const logged = JSON.stringify(safeErrorSerializer(wrapped()));
    expect(logged).not.toContain('SECRET');
    expect(logged).not.toContain('params');
    expect(logged).toContain('insert into \\"snapshot_parts\\" (\\"bytes\\") values ($1)');
    expect(logged).toContain('could not extend file');
    expect(safeErrorSerializer(wrapped())).toMatchObject({
      code: '53100',
      sql: 'insert into "snapshot_parts" ("bytes") values ($1)',
    });
  });

  it('cleans a database error anywhere in a cause chain, and leaves other errors as they are', () => {
    const outer = new Error('rendering failed', { cause: wrapped() });
    expect(JSON.stringify(safeErrorSerializer(outer))).not.toContain('SECRET');
    expect((safeError(outer) as Error).message).toBe('rendering failed');
    const plain = new TypeError('x is undefined');
    expect(safeError(plain)).toBe(plain);
    expect(safeError('text')).toBe('text');
  });
});

describe('toAppError', () => {
  it('maps a unique violation to 409 when drizzle wraps it (the SQLSTATE is on the cause)', () => {
    const err = new DrizzleQueryError(
      'insert into "tenants" …',
      ['x'],
      driverError('23505', 'duplicate key value violates unique constraint'),
    );
    expect(toAppError(err)).toMatchObject({ code: 'conflict', status: 409 });
    expect(toAppError(driverError('23505', 'duplicate key'))).toMatchObject({ code: 'conflict' });
  });

  it('maps http-errors meant for the client to the matching 4xx, and nothing else', () => {
    expect(toAppError(Object.assign(new Error('incorrect header check'), { status: 400, expose: true }))).toMatchObject(
      { code: 'bad_request', status: 400 },
    );
    expect(toAppError(Object.assign(new Error('Not Found'), { statusCode: 404, expose: true }))).toMatchObject({
      code: 'not_found',
      status: 404,
    });
    expect(toAppError(Object.assign(new Error('Range Not Satisfiable'), { status: 416, expose: true }))).toMatchObject({
      status: 400,
    });
    expect(toAppError(Object.assign(new Error('secret internals'), { status: 500, expose: false }))).toBeUndefined();
    expect(toAppError(Object.assign(new Error('no expose'), { status: 400 }))).toBeUndefined();
  });

  it('maps bad percent-encoding in the path to 400', () => {
    expect(toAppError(new URIError('URI malformed'))).toMatchObject({ code: 'bad_request' });
  });

  it('maps a NUL refused by PostgreSQL to a 422 pointing at it, in the body, the query or the path', () => {
    const nul = new DrizzleQueryError(
      'update …',
      ['x\u0000y'],
      driverError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'),
    );
    const body = Buffer.from(JSON.stringify({ name: 'ok', externalRefs: { 'a/b': 'x\u0000y' } }));
    expect(toAppError(nul, { path: '/v1/tenants/t', query: {}, body })).toMatchObject({
      code: 'validation_failed',
      errors: [{ pointer: '/externalRefs/a~1b' }],
    });
    expect(
      toAppError(nul, { path: '/v1/tenants/t/snapshots', query: { instance: 'a\u0000' }, body: undefined }),
    ).toMatchObject({
      code: 'invalid_query',
      errors: [{ pointer: '/instance', in: 'query' }],
    });
    expect(toAppError(nul, { path: '/v1/tenants/a%00b', query: {}, body: undefined })).toMatchObject({
      code: 'tenant_not_found',
    });
    expect(toAppError(driverError('22P05', 'unsupported Unicode escape sequence'), undefined)).toBeInstanceOf(AppError);
  });
});
