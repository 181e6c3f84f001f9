import { buildClientMap, mapClientIds } from '../../../src/adapters/technicians/client-map.js';
import { kaseyaVsaAdapter } from '../../../src/adapters/technicians/kaseya-vsa.js';
import { AdapterInputError, type ClientRef, type Warning } from '../../../src/adapters/types.js';
import type { Technician } from '../../../src/schemas/canonical-types.js';
import { runOnFixtures } from '../../helpers/adapters.js';

const PAGE1: [string, string] = ['body', 'kaseya-vsa/users.json'];
const PAGE2: [string, string] = ['body', 'kaseya-vsa/users-page2.json'];
const RESOLVED: [string, string] = ['body', 'kaseya-vsa/users-resolved.json'];

const clients: ClientRef[] = [
  { slug: 'acme-dental', externalRefs: { 'kaseya-vsa': '101', ninjaone: '12' } },
  { slug: 'northwind-law', externalRefs: { 'kaseya-vsa': ' 102 ' } },
  { slug: 'contoso-clinic', externalRefs: { ninjaone: '13' } },
];

function run(parts: [string, string][] = [PAGE1, PAGE2]) {
  return runOnFixtures(kaseyaVsaAdapter, parts, { clients });
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

describe('kaseya-vsa adapter', () => {
  it('normalises a user field by field: status unknown, no mfa, no last login, scopes mapped to clients', () => {
    expect(tech('71234567890123')).toEqual({
      id: '71234567890123',
      source: 'kaseya-vsa',
      name: 'Jordan Doe',
      email: 'jordan.doe@msp.example.com',
      status: 'unknown',
      shared: false,
      roles: ['57', '58'],
      clientAccess: ['acme-dental', 'northwind-law'],
      origin: { part: 'body', page: 0, pointer: '/Result/0' },
    });
  });

  it('never writes mfa, lastLoginAt or a status other than unknown', () => {
    for (const t of run().document.technicians) {
      expect(t).not.toHaveProperty('mfa');
      expect(t).not.toHaveProperty('lastLoginAt');
      expect(t.status).toBe('unknown');
    }
  });

  it('a scope no client maps is a warning pointing at the scope id; all unmapped → null ("may reach"), not []', () => {
    const result = run();
    const admin = result.document.technicians.find((t) => t.id === '71234567890124')!;
    expect(admin).toMatchObject({ name: 'administrator', shared: true, roles: ['2'], clientAccess: null });
    expect(admin).not.toHaveProperty('privileged'); // AdminType is an undocumented id
    expect(result.warnings).toContainEqual({
      code: 'unmapped_client',
      message: expect.stringContaining('"2"'),
      part: 'body',
      page: 0,
      pointer: '/Result/1/AdminScopeIds/0',
    });
  });

  it('a partly mapped scope list keeps the mapped clients and warns about the rest', () => {
    const result = run();
    expect(result.document.technicians.find((t) => t.id === '71234567890125')!.clientAccess).toEqual(['acme-dental']);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        code: 'unmapped_client',
        pointer: '/Result/2/AdminScopeIds/1',
        message: expect.stringContaining('"999"'),
      }),
    );
    expect(result.warnings.filter((w) => w.code === 'unmapped_client')).toHaveLength(2);
  });

  it('no scopes → [] (reaches no client); no roles → []; blank email → null', () => {
    expect(tech('71234567890126')).toMatchObject({ clientAccess: [], roles: [], email: null });
  });

  it('string ids are read like numbers; absent scope and role ids → clientAccess null, roles absent', () => {
    expect(tech('71234567890127')).toMatchObject({
      clientAccess: ['northwind-law'],
      roles: ['57'],
      origin: { page: 1, pointer: '/Result/0' },
    });
    const dquinn = tech('71234567890128');
    expect(dquinn.clientAccess).toBeNull();
    expect(dquinn).not.toHaveProperty('roles');
  });

  it('resolved names (Get-VSAUser -ResolveIDs): the Master role is privileged, the Master scope reaches every client', () => {
    const result = run([RESOLVED]);
    expect(result.document.technicians[0]).toEqual({
      id: '71234567890124',
      source: 'kaseya-vsa',
      name: 'administrator',
      email: 'vsa-admin@msp.example.com',
      status: 'unknown',
      shared: true,
      privileged: true,
      roles: ['Master'],
      clientAccess: ['*'],
      origin: { part: 'body', pointer: '/0' },
    });
    expect(result.document.technicians[1]).toMatchObject({
      roles: ['Technicians', 'Service Desk'],
      clientAccess: ['acme-dental', 'northwind-law'],
    });
    expect(result.document.technicians[1]).not.toHaveProperty('privileged');
    expect(result.warnings).toEqual([]);
  });

  it('warns when fewer users arrive than TotalRecords reports', () => {
    expect(run([PAGE1]).warnings).toContainEqual({
      code: 'incomplete_export',
      message: expect.stringContaining('4 of the 6'),
      part: 'body',
    });
    expect(run([PAGE1, PAGE2]).warnings.map((w) => w.code)).not.toContain('incomplete_export');
  });

  describe('bad input', () => {
    it('an error answer (ResponseCode ≠ 0, Status ≠ OK) is a 422 naming the VSA error', () => {
      const err = inputError(() => run([PAGE1, ['body', 'kaseya-vsa/error.json']]));
      expect(err.status).toBe(422);
      expect(err.problems).toEqual([
        {
          message: expect.stringMatching(/ResponseCode 403.*Access denied/),
          part: 'body',
          page: 1,
          pointer: '/ResponseCode',
        },
      ]);
    });

    it('schema violations are a 422 pointing at the field', () => {
      const err = inputError(() => run([['body', 'kaseya-vsa/bad-user.json']]));
      expect(err.status).toBe(422);
      expect(err.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ part: 'body', pointer: '/Result/0/AdminScopeIds/1' }),
          expect.objectContaining({ part: 'body', pointer: '/Result/1/UserId' }),
        ]),
      );
    });

    it('an object that is not the VSA envelope is a 422', () => {
      const err = inputError(() => run([['body', 'kaseya-vsa/not-users.json']]));
      expect(err.status).toBe(422);
      expect(err.problems[0]).toMatchObject({ part: 'body' });
    });
  });
});

describe('client-map', () => {
  const site = { source: 'kaseya-vsa', noun: 'scope', at: { part: 'body', pointer: '/Result/0/AdminScopeIds' } };

  it('gives a vendor id claimed by two clients to both (over-report, never hide)', () => {
    const map = buildClientMap(
      [
        { slug: 'acme-dental', externalRefs: { 'kaseya-vsa': '101' } },
        { slug: 'acme-labs', externalRefs: { 'kaseya-vsa': '101' } },
        { slug: 'blank-ref', externalRefs: { 'kaseya-vsa': '  ' } },
      ],
      'kaseya-vsa',
    );
    const warnings: Warning[] = [];
    expect(mapClientIds([101, '101'], map, site, warnings)).toEqual(['acme-dental', 'acme-labs']);
    expect(warnings).toEqual([]);
    expect(map.has('')).toBe(false);
  });

  it('reports ids of no usable type as unmapped, at their index', () => {
    const warnings: Warning[] = [];
    expect(mapClientIds([null], buildClientMap([], 'kaseya-vsa'), site, warnings)).toEqual([]);
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'unmapped_client', part: 'body', pointer: '/Result/0/AdminScopeIds/0' }),
    ]);
  });
});
