/**
 * Vendor shapes seen in the wild, through HTTP (issue 15 §5): exports saved as UTF-16 or with a
 * byte-order mark (as a body and as a multipart part), hashed and stored as received; Okta's
 * `policies` part evidencing MFA enforcement, and the finding naming the policies that do not count.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { adapterFor } from '../../src/adapters/registry.js';
import { runAdapter } from '../../src/adapters/run-adapter.js';
import { fixture } from '../helpers/adapters.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const asIs = (body: unknown) => body as string;
const binary = (
  res: NodeJS.ReadableStream & { setEncoding(e: string): void },
  cb: (err: Error | null, body: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const utf16le = (b: Buffer) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]);

interface FindingRow {
  ruleId: string;
  status: string;
  item: { id: string } | null;
  message: string;
  evidence: Record<string, unknown>;
}

describe('ingest: vendor shapes seen in the wild', () => {
  let t: TestApp;
  let client: string;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ client } = await createMspWithClient(t));
    token = await t.token([client], 'admin', 'ci@pipeline');
  });
  afterAll(() => t.close());

  const postBody = (source: string, bytes: Buffer, instance: string) =>
    request(t.app)
      .post(`/v1/tenants/${client}/snapshots?source=${source}&instance=${instance}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .serialize(asIs)
      .send(bytes);

  const snapshot = async (id: string) => {
    const path = `/v1/tenants/${client}/snapshots/${id}`;
    const res = await request(t.app).get(path).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.body as { normalized: unknown; sha256: string };
  };

  const raw = async (id: string) =>
    (
      await request(t.app)
        .get(`/v1/tenants/${client}/snapshots/${id}/raw`)
        .set('Authorization', `Bearer ${token}`)
        .buffer(true)
        .parse(binary as never)
    ).body as Buffer;

  const findings = async (evaluationId: string, rule: string) => {
    const path = `/v1/tenants/${client}/evaluations/${evaluationId}/findings?limit=1000&rule=${rule}`;
    const res = await request(t.app).get(path).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expectContract(res, 'get', path);
    return res.body.items as FindingRow[];
  };

  it('a PowerShell 5.1 Graph export (UTF-16LE with a BOM) as the body: 201, read as its UTF-8 twin, hashed and kept as received', async () => {
    const bytes = fixture('entra', 'registrations-utf16le-bom.json');
    const res = await postBody('entra', bytes, 'powershell');
    expect(res.status).toBe(201);
    expectContract(res, 'post', `/v1/tenants/${client}/snapshots`);
    expect(res.body.sha256).toBe(sha256(bytes));
    expect(res.body.itemCount).toBe(2);
    const twin = runAdapter(
      adapterFor('entra')!,
      [{ name: 'registrations', bytes: fixture('entra', 'registrations-utf8-bom.json') }],
      { clients: [] },
    );
    const stored = await snapshot(res.body.id);
    expect(stored.normalized).toEqual(JSON.parse(JSON.stringify(twin.document)));
    expect((stored.normalized as { users: { displayName: string }[] }).users[0]!.displayName).toBe('Zoë Müller');
    expect((await raw(res.body.id)).equals(bytes)).toBe(true);
  });

  it('UTF-8 with a BOM and UTF-16BE with a BOM are read too (Duo, Defender)', async () => {
    const duo = await postBody('duo', fixture('duo', 'users-page1-utf8-bom.json'), 'bom');
    expect(duo.status).toBe(201);
    const plain = runAdapter(adapterFor('duo')!, [{ name: 'body', bytes: fixture('duo', 'users-page1.json') }], {
      clients: [],
    });
    expect((await snapshot(duo.body.id)).normalized).toEqual(JSON.parse(JSON.stringify(plain.document)));
    const mde = await postBody('defender', fixture('defender', 'machines-utf16be-bom.json'), 'be');
    expect(mde.status).toBe(201);
    expect((await snapshot(mde.body.id)).normalized).toMatchObject({
      endpoints: [{ hostname: 'réception-01.riverside.example', managed: true }],
    });
  });

  it('a malformed UTF-16 export is a 400 with the line and JSON Pointer counted after the BOM; bytes that are not UTF-16 name the encoding', async () => {
    const bad = await postBody('entra', fixture('entra', 'registrations-utf16le-malformed.json'), 'bad');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({
        pointer: '/value/0/userDisplayName',
        message: expect.stringMatching(/line 7, column 13/),
      }),
    ]);
    const cut = await postBody('entra', fixture('entra', 'registrations-utf16le-truncated.json'), 'cut');
    expect(cut.status).toBe(400);
    expect(JSON.stringify(cut.body)).toContain('not valid UTF-16LE');
  });

  it('a UTF-16 part in a multipart export is read; the hash is over the part bytes as received', async () => {
    const policies = utf16le(fixture('okta', 'policies-mfa-everyone.json'));
    const res = await request(t.app)
      .post(`/v1/tenants/${client}/snapshots?source=okta&instance=utf16-part`)
      .set('Authorization', `Bearer ${token}`)
      .attach('users', fixture('okta', 'users-page1.json'), { filename: 'users.json', contentType: 'application/json' })
      .attach('factors', fixture('okta', 'factors-page1.json'), { filename: 'f.json', contentType: 'application/json' })
      .attach('policies', policies, { filename: 'policies.json', contentType: 'application/json' });
    expect(res.status).toBe(201);
    const pairs = [
      ['users', fixture('okta', 'users-page1.json')],
      ['factors', fixture('okta', 'factors-page1.json')],
      ['policies', policies],
    ] as const;
    expect(res.body.sha256).toBe(
      sha256(
        Buffer.from(
          pairs
            .map(([n, b]) => `${n}\u0000${sha256(b)}\n`)
            .sort()
            .join(''),
        ),
      ),
    );
    const stored = (await snapshot(res.body.id)).normalized as { policies: { name: string }[] };
    expect(stored.policies.map((p) => p.name)).toEqual([
      'Default Policy / Require MFA everywhere',
      'Default Policy / Default Rule',
    ]);
  });

  describe('Okta policies evidence MFA enforcement', () => {
    const postOkta = (policiesFile: string | undefined, instance: string) => {
      let req = request(t.app)
        .post(`/v1/tenants/${client}/snapshots?source=okta&instance=${instance}`)
        .set('Authorization', `Bearer ${token}`)
        .attach('users', fixture('okta', 'users-page1.json'), { filename: 'u.json', contentType: 'application/json' })
        .attach('factors', fixture('okta', 'factors-page1.json'), {
          filename: 'f.json',
          contentType: 'application/json',
        });
      if (policiesFile)
        req = req.attach('policies', fixture('okta', policiesFile), {
          filename: 'p.json',
          contentType: 'application/json',
        });
      return req;
    };

    it('without the part the rule is insufficient evidence for the Okta export', async () => {
      const res = await postOkta(undefined, 'no-policies');
      expect(res.status).toBe(201);
      const rows = (await findings(res.body.evaluation.id, 'identity.mfa-enforced')).filter(
        (f) => (f as unknown as { snapshotId: string }).snapshotId === res.body.id,
      );
      // one finding for the whole export: it has no policies
      expect(rows.length).toBeGreaterThan(0); // one per pack that uses the rule
      expect(new Set(rows.map((f) => JSON.stringify([f.status, f.item])))).toEqual(
        new Set([JSON.stringify(['insufficient_evidence', null])]),
      );
    });

    it('an ACTIVE global session rule requiring MFA for everyone passes every judged user', async () => {
      const res = await postOkta('policies-mfa-everyone.json', 'mfa-everyone');
      expect(res.status).toBe(201);
      const snapshotId = res.body.id;
      const rows = (await findings(res.body.evaluation.id, 'identity.mfa-enforced')).filter(
        (f) => (f as unknown as { snapshotId: string }).snapshotId === snapshotId,
      );
      // no finding at all for this export: every judged user passes (the same export without the
      // part is insufficient evidence, above)
      expect(rows).toEqual([]);
    });

    it('an INACTIVE MFA rule and one limited to off-network sign-ins fail, and the finding names both with why', async () => {
      const res = await postOkta('policies-mfa-inactive.json', 'mfa-inactive');
      expect(res.status).toBe(201);
      const snapshotId = res.body.id;
      const rows = (await findings(res.body.evaluation.id, 'identity.mfa-enforced')).filter(
        (f) => (f as unknown as { snapshotId: string }).snapshotId === snapshotId,
      );
      const alice = rows.find((f) => f.item?.id === '00u1alice0000000001')!;
      expect(alice.status).toBe('fail');
      expect(alice.message).toBe(
        'alice.nguyen@example.com is not covered by an enforced MFA policy that applies to all users and all their sign-ins and does not exclude them; these policies would cover them but do not count: Default Policy / Require MFA everywhere (disabled), Default Policy / MFA off the office network (limited to locations)',
      );
      expect((alice.evidence.details as { policies: unknown[] }).policies).toEqual([
        {
          id: '00opolicydefault001/0pr1mfaall00000004',
          name: 'Default Policy / Require MFA everywhere',
          why: 'disabled',
        },
        {
          id: '00opolicydefault001/0pr1mfaoffsite0006',
          name: 'Default Policy / MFA off the office network',
          why: 'limited to locations',
        },
      ]);
    });
  });
});
