/**
 * Vendor shapes seen in the wild (issue 15 §5): exports saved with a byte-order mark or as UTF-16,
 * Defender machines without onboardingStatus, Duo users without is_enrolled, Entra's empty-string
 * timestamps.
 */
import { adapterFor, SOURCES } from '../../../src/adapters/registry.js';
import { duoAdapter } from '../../../src/adapters/identity/duo.js';
import { defenderAdapter } from '../../../src/adapters/endpoint/defender.js';
import { entraAdapter } from '../../../src/adapters/identity/entra.js';
import { runAdapter, type RawPart } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError } from '../../../src/adapters/types.js';
import type { EndpointDocument, IdentityDocument } from '../../../src/schemas/canonical-types.js';
import { fixture, runOnFixtures } from '../../helpers/adapters.js';

const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);
const utf16le = (b: Buffer) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]);
const utf16be = (b: Buffer) => {
  const le = Buffer.from(b.toString('utf8'), 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};
const ENCODINGS: [string, (b: Buffer) => Buffer][] = [
  ['UTF-8 with a BOM', (b) => Buffer.concat([BOM8, b])],
  ['UTF-16LE with a BOM', utf16le],
  ['UTF-16BE with a BOM', utf16be],
];

/** One export per source with JSON parts (every part re-encoded below). */
const JSON_EXPORTS: Record<string, [string, string][]> = {
  okta: [
    ['users', 'okta/users-page1.json'],
    ['factors', 'okta/factors-page1.json'],
    ['roles', 'okta/roles.json'],
    ['policies', 'okta/policies-sign-on.json'],
  ],
  entra: [
    ['registrations', 'entra/registrations-page1.json'],
    ['policies', 'entra/policies.json'],
    ['users', 'entra/users.json'],
  ],
  duo: [['body', 'duo/users-page1.json']],
  crowdstrike: [
    ['devices', 'crowdstrike/devices-page1.json'],
    ['policies', 'crowdstrike/policies.json'],
  ],
  defender: [
    ['machines', 'defender/machines-page1.json'],
    ['avinfo', 'defender/avinfo.json'],
  ],
  sentinelone: [['body', 'sentinelone/agents-bare.json']],
  nftables: [['body', 'nftables/host.json']],
  'aws-security-groups': [
    ['groups', 'aws-security-groups/groups-page1.json'],
    ['prefixLists', 'aws-security-groups/prefix-lists.json'],
  ],
  ninjaone: [
    ['technicians', 'ninjaone/users.json'],
    ['activities', 'ninjaone/activities.json'],
  ],
  connectwise: [['body', 'connectwise/members.json']],
  'datto-rmm': [['body', 'datto-rmm/users-bare.json']],
  'kaseya-vsa': [['body', 'kaseya-vsa/users.json']],
};

const run = (source: string, parts: RawPart[]) => runAdapter(adapterFor(source)!, parts, { clients: [] });

function inputError(fn: () => unknown): AdapterInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AdapterInputError) return e;
    throw e;
  }
  throw new Error('expected an AdapterInputError');
}

describe('JSON exports with a byte-order mark, and UTF-16 ones, for every JSON source', () => {
  it('covers every source that has a JSON part', () => {
    const json = [...SOURCES].filter(([, a]) => a.parts.some((p) => p.format === 'json')).map(([s]) => s);
    expect(json.sort()).toEqual(Object.keys(JSON_EXPORTS).sort());
  });

  describe.each(Object.entries(JSON_EXPORTS))('%s', (source, files) => {
    const plain = files.map(([name, path]) => ({ name, bytes: fixture(path) }));
    const expected = JSON.parse(JSON.stringify(run(source, plain)));
    it.each(ENCODINGS)('%s reads as the UTF-8 export does', (_name, encode) => {
      const encoded = plain.map((p) => ({ name: p.name, bytes: encode(Buffer.from(p.bytes)) }));
      expect(JSON.parse(JSON.stringify(run(source, encoded)))).toEqual(expected);
    });
  });

  it('the canonical source reads UTF-16 too', () => {
    const doc = Buffer.from(
      JSON.stringify(run('duo', [{ name: 'body', bytes: fixture('duo/users-page1.json') }]).document),
    );
    const result = runAdapter(adapterFor('canonical', 'identity')!, [{ name: 'body', bytes: utf16le(doc) }], {
      clients: [],
    });
    expect(result.document).toEqual(JSON.parse(doc.toString('utf8')));
  });

  it('a PowerShell 5.1 export (UTF-16LE, BOM, CRLF, non-ASCII names) and its UTF-8-BOM twin read alike', () => {
    const a = runOnFixtures(entraAdapter, [['registrations', 'entra/registrations-utf16le-bom.json']]);
    const b = runOnFixtures(entraAdapter, [['registrations', 'entra/registrations-utf8-bom.json']]);
    expect(a).toEqual(b);
    const users = (a.document as IdentityDocument).users;
    expect(users.map((u) => u.displayName)).toEqual(['Zoë Müller', 'Sven Østergaard 💻']);
    expect(users[0]!.origin).toEqual({ part: 'registrations', pointer: '/value/0' });
  });

  it('a syntax error in a UTF-16 export is located in characters after the BOM: line, column and pointer', () => {
    const err = inputError(() =>
      runOnFixtures(entraAdapter, [['registrations', 'entra/registrations-utf16le-malformed.json']]),
    );
    expect(err.status).toBe(400);
    expect(err.problems).toEqual([
      {
        // the comma is missing at the end of line 6: the parser stops at the next key
        message: 'malformed JSON: CommaExpected at line 7, column 13',
        part: 'registrations',
        page: 0,
        pointer: '/value/0/userDisplayName',
        line: 7,
      },
    ]);
  });

  it('bytes that are not UTF-16 after a UTF-16 BOM are a 400 naming the encoding', () => {
    const err = inputError(() =>
      runOnFixtures(entraAdapter, [['registrations', 'entra/registrations-utf16le-truncated.json']]),
    );
    expect(err.status).toBe(400);
    expect(err.problems).toEqual([
      {
        message: 'the part is not valid UTF-16LE (its byte-order mark announces it)',
        part: 'registrations',
        page: 0,
      },
    ]);
  });

  it('the BOM is not a character: an error on the first line counts columns from after it', () => {
    const err = inputError(() => run('duo', [{ name: 'body', bytes: utf16le(Buffer.from('[1 2]')) }]));
    expect(err.problems[0]).toMatchObject({ message: 'malformed JSON: CommaExpected at line 1, column 4', line: 1 });
  });

  it('UTF-16 without a BOM is not guessed: it is invalid JSON (read as UTF-8)', () => {
    const err = inputError(() => run('duo', [{ name: 'body', bytes: Buffer.from('[]', 'utf16le') }]));
    expect(err.status).toBe(400);
    expect(err.problems[0]!.message).toMatch(/^malformed JSON/);
  });
});

describe('defender: a machine without onboardingStatus', () => {
  const result = runOnFixtures(defenderAdapter, [['machines', 'defender/machines-no-onboarding-status.json']]);
  const endpoints = (result.document as EndpointDocument).endpoints;

  it("Microsoft's List-machines shape (no onboardingStatus, no agentVersion) is managed unknown, not false", () => {
    const e = endpoints[0]!;
    expect(e).toEqual({
      id: '7c1e0a9b3f5d2e4a6b8c0d1e2f3a4b5c6d7e8f90',
      source: 'defender',
      hostname: 'frontdesk-02.riverside.example',
      os: 'Windows11 23H2',
      origin: { part: 'machines', pointer: '/value/0' },
    });
    expect(e).not.toHaveProperty('managed');
  });

  it('one that reports an agent version is onboarded; a documented CanBeOnboarded stays managed false', () => {
    expect(endpoints[1]!.managed).toBe(true);
    expect(endpoints[1]!.agent).toMatchObject({ vendor: 'defender', version: '10.8760.19045.5011', health: 'healthy' });
    expect(endpoints[2]!.managed).toBe(false);
  });

  it('warns for each machine without onboardingStatus, saying what was judged', () => {
    expect(result.warnings.filter((w) => w.code === 'unknown_onboarding_status')).toEqual([
      expect.objectContaining({
        pointer: '/value/0/onboardingStatus',
        message: 'onboardingStatus is missing; whether an agent is installed is unknown (managed left absent)',
      }),
      expect.objectContaining({
        pointer: '/value/1/onboardingStatus',
        message: 'onboardingStatus is missing; judged onboarded (it reports an agent version)',
      }),
    ]);
  });

  it('reads a UTF-16BE export with a BOM', () => {
    const r = runOnFixtures(defenderAdapter, [['machines', 'defender/machines-utf16be-bom.json']]);
    expect((r.document as EndpointDocument).endpoints[0]).toMatchObject({
      hostname: 'réception-01.riverside.example',
      managed: true,
      protection: { mode: 'unknown', signaturesUpToDate: true },
    });
  });
});

describe('duo: users without is_enrolled', () => {
  const result = runOnFixtures(duoAdapter, [['body', 'duo/users-without-is-enrolled.json']]);
  const registered = Object.fromEntries(
    (result.document as IdentityDocument).users.map((u) => [u.username, u.mfa?.registered ?? 'absent']),
  );

  it('registration comes from the active phones, tokens and WebAuthn credentials', () => {
    expect(registered).toEqual({
      ana: true, // an activated Duo Mobile phone (push, sms)
      ben: true, // a hardware token
      cai: true, // a WebAuthn credential
      dee: false, // every device list present and empty
      eli: false, // a phone whose push needs Duo Mobile, never activated
      fay: 'absent', // activation not exported: the phone might be usable
      gus: 'absent', // no device lists at all
      hal: false, // is_enrolled present wins
    });
  });

  it('a UTF-8 export with a BOM reads as the plain one', () => {
    const bom = runOnFixtures(duoAdapter, [['body', 'duo/users-page1-utf8-bom.json']]);
    expect(bom).toEqual(runOnFixtures(duoAdapter, [['body', 'duo/users-page1.json']]));
  });
});

describe('entra: an empty-string timestamp', () => {
  const result = runOnFixtures(entraAdapter, [
    ['registrations', 'entra/registrations-contoso-clinic.json'],
    ['users', 'entra/users-empty-timestamps.json'],
  ]);
  const users = (result.document as IdentityDocument).users;

  it('lastSuccessfulSignInDateTime "" and createdDateTime "" are absent, not null (never)', () => {
    expect(users[0]).not.toHaveProperty('lastLoginAt');
    expect(users[0]).not.toHaveProperty('createdAt');
    expect(users[1]!.lastLoginAt).toBeNull();
    expect(users[1]!.createdAt).toBe('2025-01-10T09:00:00.000Z');
  });

  it('warns once per field with the count of users', () => {
    expect(result.warnings.filter((w) => w.code === 'empty_timestamp')).toEqual([
      {
        code: 'empty_timestamp',
        part: 'users',
        message:
          '1 user(s) have an empty string as signInActivity/lastSuccessfulSignInDateTime: left absent (unknown), not read as "never"',
      },
      {
        code: 'empty_timestamp',
        part: 'users',
        message: '1 user(s) have an empty string as createdDateTime: left absent (unknown), not read as "never"',
      },
    ]);
  });
});
