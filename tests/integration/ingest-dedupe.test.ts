/**
 * The ingest rules around one snapshot: equal to the latest of its (tenant, source, instance) →
 * 200 with the same id (a new multipart boundary is not a new snapshot); labels and
 * X-Collected-At; the raw evidence behind `snapshots:raw`; list filters and pages;
 * ?internetInterfaces= reaching the firewall document; technicians only on an MSP, their vendor
 * org ids mapped through the MSP's clients' externalRefs.
 */
import request from 'supertest';
import { iptablesSaveAdapter } from '../../src/adapters/firewall/iptables-save.js';
import { runAdapter } from '../../src/adapters/run-adapter.js';
import type { Adapter } from '../../src/adapters/types.js';
import type { FirewallDocument, TechniciansDocument } from '../../src/schemas/canonical-types.js';
import { RAW_CHUNK_BYTES } from '../../src/db/snapshots.js';
import { fixture } from '../helpers/adapters.js';
import { createMspWithClient, createTestApp, uniqueSlug, type TenantPair, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';
import { snapshotRows, tenantRows } from '../helpers/rows.js';
import { SLOW_MS } from '../helpers/timeouts.js';

// stores and reads back exports of several megabytes
import.meta.jest.setTimeout(SLOW_MS);

type Part = [name: string, bytes: Buffer];

const asIs = (body: unknown) => body as string;
const binary = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** A multipart/form-data body as curl writes it, with a boundary of our choosing. */
function multipart(boundary: string, parts: Part[], filenames = true): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, bytes] of parts) {
    const file = filenames ? `; filename="${name}-${boundary.slice(-4)}.json"` : '';
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file}\r\nContent-Type: application/json\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const CROWDSTRIKE: Part[] = [
  ['devices', fixture('crowdstrike/devices-page1.json')],
  ['devices', fixture('crowdstrike/devices-page2.json')],
  ['policies', fixture('crowdstrike/policies.json')],
];

describe('ingest: dedupe, labels, raw evidence, lists, firewall interfaces, technicians', () => {
  let t: TestApp;
  let root: string;

  beforeAll(async () => {
    t = await createTestApp();
    root = await t.token(['*'], 'admin', 'root');
  });
  afterAll(() => t.close());

  /** Snapshot rows, raw parts and snapshot.create audit entries of one tenant. (Every ingest, a 200
   *  too, also runs an evaluation and audits that: those rows are not counted here.) */
  const counts = async (slug: string) => snapshotRows(await tenantRows(t.owner, slug));

  /** Everything a 4xx must leave untouched: every audit entry and evaluation too. */
  const allRows = (slug: string) => tenantRows(t.owner, slug);

  interface Send {
    token?: string;
    contentType?: string;
    body?: Buffer;
    /** supertest .attach parts (it picks a fresh boundary each time) */
    attach?: Part[];
    headers?: Record<string, string>;
  }

  async function ingest(tenant: string, query: string, s: Send): Promise<request.Response> {
    const path = `/v1/tenants/${tenant}/snapshots?${query}`;
    let req = request(t.app)
      .post(path)
      .set('Authorization', `Bearer ${s.token ?? root}`);
    for (const [k, v] of Object.entries(s.headers ?? {})) req = req.set(k, v);
    let res: request.Response;
    if (s.attach) {
      for (const [name, bytes] of s.attach)
        req = req.attach(name, bytes, { filename: `${name}.json`, contentType: 'application/json' });
      res = await req;
    } else {
      res = await req
        .set('Content-Type', s.contentType ?? 'application/json')
        .serialize(asIs)
        .send(s.body ?? Buffer.alloc(0));
    }
    expectContract(res, 'post', path);
    return res;
  }

  const get = async (path: string, token = root) => {
    const res = await request(t.app).get(path).set('Authorization', `Bearer ${token}`);
    expectContract(res, 'get', path);
    return res;
  };

  const raw = (tenant: string, id: string, token = root) =>
    request(t.app)
      .get(`/v1/tenants/${tenant}/snapshots/${id}/raw`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(binary as never);

  describe('equal to the latest → 200 with the same id', () => {
    it('the same bytes again: 200, the same id and answer (confirmed now), nothing new stored or audited', async () => {
      const { client } = await createMspWithClient(t);
      const body = fixture('duo/users-page1.json');
      const first = await ingest(client, 'source=duo', { body });
      expect(first.status).toBe(201);
      const before = await counts(client);
      const again = await ingest(client, 'source=duo', { body });
      expect(again.status).toBe(200);
      const { evaluation: _e1, ...firstAnswer } = first.body;
      const { evaluation: _e2, ...againAnswer } = again.body;
      // the re-post confirms the export: lastConfirmedAt is its receipt (the export carries no time)
      expect(againAnswer).toEqual({ ...firstAnswer, lastConfirmedAt: expect.any(String) });
      expect(Date.parse(again.body.lastConfirmedAt)).toBeGreaterThanOrEqual(Date.parse(first.body.receivedAt));
      expect(again.headers.location).toBe(first.headers.location);
      expect(await counts(client)).toEqual(before);
      expect((await get(`/v1/tenants/${client}/snapshots`)).body.items).toHaveLength(1);
    });

    it('the same parts with a new boundary (and new file names): 200, the same id', async () => {
      const { client } = await createMspWithClient(t);
      const first = await ingest(client, 'source=crowdstrike', {
        contentType: 'multipart/form-data; boundary=----curl1111',
        body: multipart('----curl1111', CROWDSTRIKE),
      });
      expect(first.status).toBe(201);
      const before = await counts(client);
      const second = await ingest(client, 'source=crowdstrike', {
        contentType: 'multipart/form-data; boundary=XyZ-other-2222',
        body: multipart('XyZ-other-2222', CROWDSTRIKE, false),
      });
      expect({ status: second.status, id: second.body.id, sha256: second.body.sha256 }).toEqual({
        status: 200,
        id: first.body.id,
        sha256: first.body.sha256,
      });
      // supertest picks yet another boundary
      const third = await ingest(client, 'source=crowdstrike', { attach: CROWDSTRIKE });
      expect({ status: third.status, id: third.body.id }).toEqual({ status: 200, id: first.body.id });
      expect(await counts(client)).toEqual(before);
    });

    it('a changed export: 201 and a new id; the first again is new too (it is no longer the latest)', async () => {
      const { client } = await createMspWithClient(t);
      const a = await ingest(client, 'source=crowdstrike', { attach: CROWDSTRIKE });
      const changedParts: Part[] = [
        ...CROWDSTRIKE.slice(0, 2),
        ['policies', fixture('crowdstrike/policies-bare.json')],
      ];
      const b = await ingest(client, 'source=crowdstrike', { attach: changedParts });
      expect(b.status).toBe(201);
      expect(b.body.id).not.toBe(a.body.id);
      expect(b.body.sha256).not.toBe(a.body.sha256);
      // one more page is a different export as well
      const c = await ingest(client, 'source=crowdstrike', {
        attach: [...changedParts, ['devices', fixture('crowdstrike/devices-bare.json')]],
      });
      expect(c.status).toBe(201);
      const aAgain = await ingest(client, 'source=crowdstrike', { attach: CROWDSTRIKE });
      expect(aAgain.status).toBe(201);
      expect(new Set([a.body.id, b.body.id, c.body.id, aAgain.body.id]).size).toBe(4);
      expect((await counts(client)).snapshots).toBe(4);
    });

    it('one changed byte of a single-part body is a new snapshot', async () => {
      const { client } = await createMspWithClient(t);
      const body = fixture('iptables-save/host.rules');
      const a = await ingest(client, 'source=iptables-save', { contentType: 'text/plain', body });
      const b = await ingest(client, 'source=iptables-save', {
        contentType: 'text/plain',
        body: Buffer.concat([body, Buffer.from('\n')]),
      });
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).not.toBe(a.body.id);
    });

    it('the same export under another ?instance=: 201; back under the first: 200', async () => {
      const { client } = await createMspWithClient(t);
      const body = fixture('pfsense/config.xml');
      const fromExport = await ingest(client, 'source=pfsense', { contentType: 'application/xml', body });
      expect(fromExport.body.instance).toBe('fw01'); // the hostname in config.xml
      const branch = await ingest(client, 'source=pfsense&instance=branch-office', {
        contentType: 'application/xml',
        body,
      });
      expect({ status: branch.status, instance: branch.body.instance }).toEqual({
        status: 201,
        instance: 'branch-office',
      });
      expect(branch.body.id).not.toBe(fromExport.body.id);
      const again = await ingest(client, 'source=pfsense&instance=fw01', { contentType: 'application/xml', body });
      expect({ status: again.status, id: again.body.id }).toEqual({ status: 200, id: fromExport.body.id });
    });

    it("the same export to another tenant is that tenant's first snapshot: 201", async () => {
      const a = await createMspWithClient(t);
      const b = await createMspWithClient(t);
      const body = fixture('sentinelone/agents-bare.json');
      const first = await ingest(a.client, 'source=sentinelone', { body });
      const other = await ingest(b.client, 'source=sentinelone', { body });
      expect([first.status, other.status]).toEqual([201, 201]);
      expect(other.body.id).not.toBe(first.body.id);
      expect(other.body.sha256).toBe(first.body.sha256);
    });

    it('identical posts at the same time: one 201, the rest 200 with its id', async () => {
      const { msp } = await createMspWithClient(t);
      const body = fixture('connectwise/members.json');
      const all = await Promise.all(Array.from({ length: 5 }, () => ingest(msp, 'source=connectwise', { body })));
      expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
      expect((await counts(msp)).snapshots).toBe(1);
    });
  });

  describe('labels and X-Collected-At', () => {
    it('stores the labels and the collection time, shows them in GET one and the list', async () => {
      const { client } = await createMspWithClient(t);
      const res = await ingest(client, 'source=duo', {
        body: fixture('duo/users-bare.json'),
        headers: {
          'X-Posture-Labels': 'env=prod, team = platform,ci.run/id=build-42',
          'X-Collected-At': '2026-11-26T10:00:00+01:00',
        },
      });
      expect(res.status).toBe(201);
      const one = await get(`/v1/tenants/${client}/snapshots/${res.body.id}`);
      expect(one.body.labels).toEqual({ env: 'prod', team: 'platform', 'ci.run/id': 'build-42' });
      expect(one.body.collectedAt).toBe('2026-11-26T09:00:00.000Z');
      const list = await get(`/v1/tenants/${client}/snapshots`);
      expect(list.body.items[0]).toMatchObject({
        id: res.body.id,
        labels: one.body.labels,
        collectedAt: '2026-11-26T09:00:00.000Z',
      });
    });

    it('without the headers: no labels, and the receipt time is the collection time (the export has none)', async () => {
      const { client } = await createMspWithClient(t);
      const res = await ingest(client, 'source=duo', { body: fixture('duo/users-bare.json') });
      const one = await get(`/v1/tenants/${client}/snapshots/${res.body.id}`);
      expect(one.body).toMatchObject({
        labels: {},
        collectedAt: res.body.receivedAt,
        collectedAtSource: 'received',
        configChangedAt: null,
        lastConfirmedAt: null,
      });
    });

    it("the export's own stamp comes before X-Collected-At (DESIGN.md), which then says so in a warning; pfSense's revision time is when the config changed, not a collection time", async () => {
      const { client } = await createMspWithClient(t);
      const stamped = await ingest(client, 'source=iptables-save', {
        contentType: 'text/plain',
        body: fixture('iptables-save/host.rules'),
      });
      expect(stamped.body).toMatchObject({ collectedAt: '2024-03-05T10:00:00.000Z', collectedAtSource: 'export' });
      expect(stamped.body.warnings).toContainEqual(expect.objectContaining({ code: 'collected_at_without_zone' }));
      const headed = await ingest(client, 'source=iptables-save&instance=gw2', {
        contentType: 'text/plain',
        body: fixture('iptables-save/host.rules'),
        headers: { 'X-Collected-At': '2026-11-01T00:00:00Z' },
      });
      expect(headed.body).toMatchObject({ collectedAt: '2024-03-05T10:00:00.000Z', collectedAtSource: 'export' });
      expect(headed.body.warnings).toContainEqual(
        expect.objectContaining({
          code: 'collected_at_header_ignored',
          message: expect.stringContaining('2026-11-01'),
        }),
      );
      // an export without a stamp of its own takes the header
      const nft = await ingest(client, 'source=nftables&instance=gw3', {
        contentType: 'application/json',
        body: fixture('nftables/host.json'),
        headers: { 'X-Collected-At': '2026-11-01T00:00:00Z' },
      });
      expect(nft.body).toMatchObject({ collectedAt: '2026-11-01T00:00:00.000Z', collectedAtSource: 'header' });
      const pf = await ingest(client, 'source=pfsense', {
        contentType: 'application/xml',
        body: fixture('pfsense/config.xml'),
      });
      const one = await get(`/v1/tenants/${client}/snapshots/${pf.body.id}`);
      expect(one.body).toMatchObject({
        collectedAt: pf.body.receivedAt,
        collectedAtSource: 'received',
        configChangedAt: '2024-11-26T05:46:40.000Z',
      });
    });

    it('a bad header → 400 and nothing stored', async () => {
      const { client } = await createMspWithClient(t);
      const before = await allRows(client);
      const labels = await ingest(client, 'source=duo', {
        body: fixture('duo/users-bare.json'),
        headers: { 'X-Posture-Labels': 'env prod' },
      });
      expect({ status: labels.status, code: labels.body.code, pointer: labels.body.errors[0].pointer }).toEqual({
        status: 400,
        code: 'invalid_header',
        pointer: '/X-Posture-Labels',
      });
      const at = await ingest(client, 'source=duo', {
        body: fixture('duo/users-bare.json'),
        headers: { 'X-Collected-At': 'last tuesday' },
      });
      expect({ status: at.status, code: at.body.code, pointer: at.body.errors[0].pointer }).toEqual({
        status: 400,
        code: 'invalid_header',
        pointer: '/X-Collected-At',
      });
      expect(await allRows(client)).toEqual(before);
    });
  });

  describe('warnings[] in the answer', () => {
    it('are returned on ingest, kept on the snapshot, and point into the export', async () => {
      const { client } = await createMspWithClient(t);
      const res = await ingest(client, 'source=sentinelone', { body: fixture('sentinelone/agents-page1.json') });
      expect(res.status).toBe(201);
      expect(res.body.warnings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'incomplete_export', message: expect.any(String) }),
          expect.objectContaining({
            code: 'agent_decommissioned',
            part: 'body',
            pointer: expect.stringMatching(/^\/data\/\d+/),
          }),
        ]),
      );
      const one = await get(`/v1/tenants/${client}/snapshots/${res.body.id}`);
      expect(one.body.warnings).toEqual(res.body.warnings);
    });

    it('a clean export answers an empty list', async () => {
      const { client } = await createMspWithClient(t);
      const doc = {
        users: [
          {
            id: 'u1',
            source: 'canonical',
            username: 'a@example.com',
            status: 'active',
            accountType: 'human',
            authSource: 'local',
            origin: { part: 'body', pointer: '/users/0' },
          },
        ],
      };
      const res = await ingest(client, 'source=canonical&kind=identity', { body: Buffer.from(JSON.stringify(doc)) });
      expect(res.body.warnings).toEqual([]);
    });
  });

  describe('raw evidence needs snapshots:raw', () => {
    let pair: TenantPair;
    let multipartId: string;
    let xmlId: string;
    const boundary = '------------------------d74496d66958873e';
    const body = multipart(boundary, CROWDSTRIKE);

    beforeAll(async () => {
      pair = await createMspWithClient(t);
      multipartId = (
        await ingest(pair.client, 'source=crowdstrike', {
          contentType: `multipart/form-data; boundary=${boundary}`,
          body,
        })
      ).body.id;
      xmlId = (
        await ingest(pair.client, 'source=pfsense', {
          contentType: 'application/xml',
          body: fixture('pfsense/config.xml'),
        })
      ).body.id;
    });

    it('admin: the multipart body byte for byte, with its boundary', async () => {
      const res = await raw(pair.client, multipartId);
      expect(res.status).toBe(200);
      expect((res.body as Buffer).equals(body)).toBe(true);
      expect(res.headers['content-type']).toBe(`multipart/form-data; boundary=${boundary}`);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('admin: config.xml (password hashes and all) as received', async () => {
      const res = await raw(pair.client, xmlId);
      expect(res.status).toBe(200);
      expect((res.body as Buffer).equals(fixture('pfsense/config.xml'))).toBe(true);
      expect(res.headers['content-type']).toBe('application/xml');
    });

    it(`admin: a body over ${RAW_CHUNK_BYTES} bytes, stored in chunks, comes back whole and in order`, async () => {
      // JSON allows whitespace between tokens: the fixture padded past two chunk boundaries,
      // with a distinct byte pattern per chunk so that a chunk out of order would show.
      const padding = Buffer.alloc(2 * RAW_CHUNK_BYTES + 123, 0x20);
      for (let i = 0; i < padding.length; i += 4096) padding[i] = [0x0a, 0x09, 0x0d][Math.floor(i / RAW_CHUNK_BYTES)]!;
      const big = Buffer.concat([fixture('duo/users-page1.json'), padding]);
      const before = await counts(pair.client);
      const posted = await ingest(pair.client, 'source=duo&instance=padded', { body: big });
      expect(posted.status).toBe(201);
      expect(posted.body.itemCount).toBe(4); // the page's four users: the padding is whitespace
      expect((await counts(pair.client)).parts - before.parts).toBe(Math.ceil(big.length / RAW_CHUNK_BYTES));
      const res = await raw(pair.client, posted.body.id);
      expect(res.status).toBe(200);
      expect((res.body as Buffer).length).toBe(big.length);
      expect((res.body as Buffer).equals(big)).toBe(true);
    });

    // BUG (src/http/mount.ts send(), `res.type(reply.contentType)`): express's res.type/res.set
    // append "; charset=utf-8" to text/* and JSON media types, so the raw download does not
    // answer the Content-Type the export was received with (the contract: "as received").
    it('the Content-Type exactly as received: no charset added to JSON or text', async () => {
      const json = await ingest(pair.client, 'source=duo', {
        contentType: 'application/json',
        body: fixture('duo/users-bare.json'),
      });
      const text = await ingest(pair.client, 'source=iptables-save', {
        contentType: 'text/plain',
        body: fixture('iptables-save/host.rules'),
      });
      expect((await raw(pair.client, json.body.id)).headers['content-type']).toBe('application/json');
      expect((await raw(pair.client, text.body.id)).headers['content-type']).toBe('text/plain');
    });

    it.each(['officer', 'auditor', 'ci'] as const)('%s: 403 (exports hold secrets)', async (role) => {
      const token = await t.token([pair.client], role);
      const res = await raw(pair.client, xmlId, token);
      expect({ status: res.status }).toEqual({ status: 403 });
      expect(JSON.parse((res.body as Buffer).toString('utf8')).code).toBe('forbidden');
      expect((res.body as Buffer).toString('utf8')).not.toContain('<pfsense>');
    });

    it('officer: can still read the snapshot and its canonical document', async () => {
      const token = await t.token([pair.client], 'officer');
      const res = await get(`/v1/tenants/${pair.client}/snapshots/${xmlId}`, token);
      expect(res.status).toBe(200);
      expect(res.body.normalized.devices).toHaveLength(1);
    });

    it('an unknown id: 404', async () => {
      const res = await raw(pair.client, '01900000-0000-7000-8000-000000000000');
      expect(res.status).toBe(404);
    });
  });

  describe('list: filters and pages', () => {
    let client: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      ({ client } = await createMspWithClient(t));
      const post = async (key: string, query: string, s: Send) => {
        const res = await ingest(client, query, s);
        expect(res.status).toBe(201);
        ids[key] = res.body.id;
      };
      await post('duoA', 'source=duo&instance=a', { body: fixture('duo/users-page1.json') });
      await post('duoB', 'source=duo&instance=b', { body: fixture('duo/users-page2.json') });
      await post('s1', 'source=sentinelone&instance=a', { body: fixture('sentinelone/agents-bare.json') });
      await post('pf', 'source=pfsense', { contentType: 'application/xml', body: fixture('pfsense/config.xml') });
      await post('nft', 'source=nftables&instance=a', { body: fixture('nftables/host.json') });
      await post('duoA2', 'source=duo&instance=a', { body: fixture('duo/users-bare.json') });
    });

    const list = async (q: string) => {
      const res = await get(`/v1/tenants/${client}/snapshots${q}`);
      expect(res.status).toBe(200);
      return res.body as {
        items: { id: string; source: string; kind: string; instance: string }[];
        nextCursor: string | null;
      };
    };

    it('everything, newest first, without the documents', async () => {
      const all = await list('');
      expect(all.items.map((s) => s.id)).toEqual([ids.duoA2, ids.nft, ids.pf, ids.s1, ids.duoB, ids.duoA]);
      expect(all.nextCursor).toBeNull();
      for (const item of all.items) expect(item).not.toHaveProperty('normalized');
    });

    it.each([
      ['?source=duo', ['duoA2', 'duoB', 'duoA']],
      ['?kind=firewall', ['nft', 'pf']],
      ['?kind=endpoint', ['s1']],
      ['?instance=a', ['duoA2', 'nft', 's1', 'duoA']],
      ['?instance=fw01', ['pf']],
      ['?source=duo&instance=a', ['duoA2', 'duoA']],
      ['?kind=firewall&instance=a', ['nft']],
      ['?source=okta', []],
      ['?kind=technicians', []],
    ])('%s', async (q, keys) => {
      expect((await list(q)).items.map((s) => s.id)).toEqual(keys.map((k) => ids[k]));
    });

    it('pages with limit and cursor', async () => {
      const p1 = await list('?limit=4');
      expect(p1.items.map((s) => s.id)).toEqual([ids.duoA2, ids.nft, ids.pf, ids.s1]);
      expect(p1.nextCursor).toBe(ids.s1);
      const p2 = await list(`?limit=4&cursor=${p1.nextCursor}`);
      expect(p2.items.map((s) => s.id)).toEqual([ids.duoB, ids.duoA]);
      expect(p2.nextCursor).toBeNull();
      const exact = await list('?limit=6');
      expect(exact.nextCursor).toBeNull();
      const filtered = await list(`?source=duo&limit=1&cursor=${ids.duoA2}`);
      expect(filtered.items.map((s) => s.id)).toEqual([ids.duoB]);
      expect(filtered.nextCursor).toBe(ids.duoB);
    });

    it.each(['?limit=0', '?limit=1001', '?limit=x', '?cursor=not-a-uuid', '?colour=red', '?kind=router'])(
      '%s → 400',
      async (q) => {
        const res = await get(`/v1/tenants/${client}/snapshots${q}`);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'invalid_query' });
      },
    );
  });

  describe('?internetInterfaces= reaches the firewall document', () => {
    it('iptables-save: the device lists the interfaces and rules on them are internet-exposed', async () => {
      const { client } = await createMspWithClient(t);
      const body = fixture('iptables-save/host.rules');
      const res = await ingest(client, 'source=iptables-save&internetInterfaces=eth0', {
        contentType: 'text/plain',
        body,
      });
      expect(res.status).toBe(201);
      const doc = (await get(`/v1/tenants/${client}/snapshots/${res.body.id}`)).body.normalized as FirewallDocument;
      expect(doc.devices[0]!.internetInterfaces).toEqual(['eth0']);
      const expected = runAdapter(iptablesSaveAdapter as unknown as Adapter, [{ name: 'body', bytes: body }], {
        clients: [],
        internetInterfaces: ['eth0'],
      });
      expect(doc).toEqual(JSON.parse(JSON.stringify(expected.document)));
      const rdp = doc.rules.find((r) => r.direction === 'forward' && r.ports.some((p) => p.from === 3389));
      expect(rdp?.exposure).toBe('internet');

      expect(rdp).not.toHaveProperty('assumed');

      // the same export without the parameter, as another instance: the interfaces are inferred
      // from its NAT rules (MASQUERADE out of eth0), said in a warning, and exposures say so
      const plain = await ingest(client, 'source=iptables-save&instance=no-interfaces', {
        contentType: 'text/plain',
        body,
      });
      expect(plain.status).toBe(201);
      expect(plain.body.warnings).toContainEqual(expect.objectContaining({ code: 'internet_interfaces_inferred' }));
      const inferred = (await get(`/v1/tenants/${client}/snapshots/${plain.body.id}`)).body
        .normalized as FirewallDocument;
      expect(inferred.devices[0]).toMatchObject({ internetInterfaces: ['eth0'], internetInterfacesFrom: 'nat-rules' });
      const exposed = inferred.rules.filter((r) => r.exposure === 'internet');
      expect(exposed.length).toBeGreaterThan(0);
      for (const r of exposed) expect(r.assumed).toEqual(['internetInterfaces']);
    });

    it('the same bytes with other interfaces are a new snapshot, not a repeat', async () => {
      const { client } = await createMspWithClient(t);
      const body = fixture('iptables-save/host.rules');
      const first = await ingest(client, 'source=iptables-save', { contentType: 'text/plain', body });
      const again = await ingest(client, 'source=iptables-save', { contentType: 'text/plain', body });
      expect([first.status, again.status, again.body.id]).toEqual([201, 200, first.body.id]);
      const withWan = await ingest(client, 'source=iptables-save&internetInterfaces=eth0', {
        contentType: 'text/plain',
        body,
      });
      expect(withWan.status).toBe(201);
      expect(withWan.body.id).not.toBe(first.body.id);
      expect(withWan.body.sha256).toBe(first.body.sha256);
    });

    it('several interfaces, in order', async () => {
      const { client } = await createMspWithClient(t);
      const res = await ingest(client, 'source=nftables&internetInterfaces=eth0,ppp0', {
        body: fixture('nftables/host.json'),
      });
      const doc = (await get(`/v1/tenants/${client}/snapshots/${res.body.id}`)).body.normalized as FirewallDocument;
      expect(doc.devices[0]!.internetInterfaces).toEqual(['eth0', 'ppp0']);
    });

    it('pfSense says which interface is the WAN: the export wins', async () => {
      const { client } = await createMspWithClient(t);
      const res = await ingest(client, 'source=pfsense&internetInterfaces=lan0', {
        contentType: 'application/xml',
        body: fixture('pfsense/config.xml'),
      });
      const doc = (await get(`/v1/tenants/${client}/snapshots/${res.body.id}`)).body.normalized as FirewallDocument;
      // the export says which interfaces face the internet: the query is not needed, and not taken
      expect(doc.devices[0]!.internetInterfaces).toEqual(['wan', 'opt2']);
    });
  });

  describe('technicians belong to an MSP', () => {
    it('posted to a client tenant → 422 and nothing stored', async () => {
      const { client } = await createMspWithClient(t);
      const before = await allRows(client);
      for (const [query, send] of [
        ['source=ninjaone', { attach: [['technicians', fixture('ninjaone/users.json')]] as Part[] }],
        ['source=kaseya-vsa', { body: fixture('kaseya-vsa/users.json') }],
        ['source=canonical&kind=technicians', { body: Buffer.from('{"technicians": []}') }],
      ] as const) {
        const res = await ingest(client, query, send);
        expect({ query, status: res.status, code: res.body.code }).toEqual({
          query,
          status: 422,
          code: 'validation_failed',
        });
        expect(res.body.errors[0]).toMatchObject({ in: 'path', pointer: '/tenant' });
      }
      expect(await allRows(client)).toEqual(before);
    });

    it("vendor org ids map to the MSP's clients through their externalRefs; unmapped ones are warnings", async () => {
      const msp = uniqueSlug('msp');
      const acme = uniqueSlug('acme');
      const northwind = uniqueSlug('northwind');
      const mk = (body: object) =>
        request(t.app).post('/v1/tenants').set('Authorization', `Bearer ${root}`).send(body).expect(201);
      await mk({ slug: msp, name: 'MSP', kind: 'msp' });
      await mk({ slug: acme, name: 'Acme', kind: 'client', parent: msp, externalRefs: { 'kaseya-vsa': '101' } });
      await mk({
        slug: northwind,
        name: 'Northwind',
        kind: 'client',
        parent: msp,
        externalRefs: { 'kaseya-vsa': '102', ninjaone: '12' },
      });
      // another MSP's client claims scope 2: it must not show up on this MSP's technicians
      const stranger = await createMspWithClient(t, { 'kaseya-vsa': '2' });

      const token = await t.token([msp], 'ci', 'ci@msp');
      const res = await ingest(msp, 'source=kaseya-vsa', {
        token,
        contentType: 'multipart/form-data; boundary=kaseya',
        body: multipart('kaseya', [
          ['body', fixture('kaseya-vsa/users.json')],
          ['body', fixture('kaseya-vsa/users-page2.json')],
        ]),
      });
      expect(res.status).toBe(201);
      const doc = (await get(`/v1/tenants/${msp}/snapshots/${res.body.id}`)).body.normalized as TechniciansDocument;
      const access = Object.fromEntries(doc.technicians.map((x) => [x.id, x.clientAccess]));
      expect(access).toMatchObject({
        '71234567890123': [acme, northwind], // scopes 101, 102
        '71234567890124': null, // scope 2 maps to no client of this MSP: "may reach"
        '71234567890125': [acme], // 101 and the unmapped 999
        '71234567890126': [], // no scopes
        '71234567890127': [northwind],
      });
      expect(JSON.stringify(doc)).not.toContain(stranger.client);
      expect(res.body.warnings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: 'unmapped_client',
            part: 'body',
            page: 0,
            pointer: '/Result/1/AdminScopeIds/0',
            message: expect.stringContaining('"2"'),
          }),
          expect.objectContaining({
            code: 'unmapped_client',
            part: 'body',
            page: 0,
            pointer: '/Result/2/AdminScopeIds/1',
            message: expect.stringContaining('"999"'),
          }),
        ]),
      );
      expect(res.body.warnings.filter((w: { code: string }) => w.code === 'unmapped_client')).toHaveLength(2);
    });

    it('a canonical technicians snapshot may name the MSP\'s clients and "*"', async () => {
      const { msp, client } = await createMspWithClient(t);
      const doc = {
        technicians: [
          {
            id: 't1',
            source: 'canonical',
            name: 'Alice',
            status: 'active',
            clientAccess: [client],
            origin: { part: 'body', pointer: '/technicians/0' },
          },
          {
            id: 't2',
            source: 'canonical',
            name: 'Bob',
            status: 'active',
            clientAccess: ['*'],
            origin: { part: 'body', pointer: '/technicians/1' },
          },
          {
            id: 't3',
            source: 'canonical',
            name: 'Carol',
            status: 'active',
            clientAccess: null,
            origin: { part: 'body', pointer: '/technicians/2' },
          },
        ],
      };
      const res = await ingest(msp, 'source=canonical&kind=technicians', { body: Buffer.from(JSON.stringify(doc)) });
      expect(res.status).toBe(201);
      expect((await get(`/v1/tenants/${msp}/snapshots/${res.body.id}`)).body.normalized).toEqual(doc);
    });
  });
});
