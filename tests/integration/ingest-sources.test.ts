/**
 * Every source, end to end through HTTP, the way a user posts it with curl: multipart/form-data
 * (`curl -F users=@users.json -F users=@users-page2.json …`) for multi-part and multi-page
 * exports, the export as the body (`curl --data-binary @config.xml -H 'Content-Type: …'`) for
 * single-part ones. Each row: 201 with the declared shape, the canonical document stored equal to
 * what runAdapter makes of the same bytes, and the raw evidence served back as received.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import request from 'supertest';
import { adapterFor, itemCount, SOURCES } from '../../src/adapters/registry.js';
import { runAdapter, type RawPart } from '../../src/adapters/run-adapter.js';
import type { AdapterResult, ClientRef } from '../../src/adapters/types.js';
import { splitMultipart } from '../../src/core/multipart.js';
import { SNAPSHOT_KINDS, type SnapshotKind } from '../../src/schemas/canonical.js';
import { fixture } from '../helpers/adapters.js';
import { createMspWithClient, createTestApp, type TenantPair, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

type Part = [name: string, fixturePath: string];

interface Row {
  /** row title */
  name: string;
  source: string;
  kind?: SnapshotKind;
  /** the export as the body, with this Content-Type … */
  body?: { bytes: Buffer; contentType: string };
  /** … or multipart/form-data parts, in order (a repeated name = one part per page) */
  parts?: Part[];
  query?: Record<string, string>;
}

const MEDIA: Record<string, string> = { json: 'application/json', xml: 'application/xml', rules: 'text/plain' };

/** Canonical documents: what the vendor adapters produce, posted back as `source=canonical`. */
function canonicalFrom(source: string, parts: Part[]): Buffer {
  const adapter = adapterFor(source)!;
  const result = runAdapter(
    adapter,
    parts.map(([name, path]) => ({ name, bytes: fixture(path) })),
    { clients: [] },
  );
  return Buffer.from(JSON.stringify(result.document, null, 2));
}

const ROWS: Row[] = [
  // identity
  {
    name: 'okta: users, factors, roles and policies, two pages each of users, factors and policies',
    source: 'okta',
    parts: [
      ['users', 'okta/users-page1.json'],
      ['users', 'okta/users-page2.json'],
      ['factors', 'okta/factors-page1.json'],
      ['factors', 'okta/factors-page2.json'],
      ['roles', 'okta/roles.json'],
      ['policies', 'okta/policies-sign-on.json'],
      ['policies', 'okta/policies-access.json'],
    ],
  },
  {
    name: 'okta: the required parts only',
    source: 'okta',
    parts: [
      ['users', 'okta/users-page1.json'],
      ['factors', 'okta/factors-page1.json'],
    ],
  },
  {
    name: 'entra: registrations (two pages), policies, users',
    source: 'entra',
    parts: [
      ['registrations', 'entra/registrations-page1.json'],
      ['registrations', 'entra/registrations-page2.json'],
      ['policies', 'entra/policies.json'],
      ['users', 'entra/users.json'],
    ],
  },
  {
    name: 'entra: registrations as the body (bare array)',
    source: 'entra',
    body: { bytes: fixture('entra/registrations-bare.json'), contentType: 'application/json' },
  },
  {
    name: 'duo: one page as the body',
    source: 'duo',
    body: { bytes: fixture('duo/users-page1.json'), contentType: 'application/json' },
  },
  {
    name: 'duo: two pages as a repeated body part',
    source: 'duo',
    parts: [
      ['body', 'duo/users-page1.json'],
      ['body', 'duo/users-page2.json'],
    ],
  },
  // endpoint
  {
    name: 'crowdstrike: devices (two pages) and policies (envelope and bare)',
    source: 'crowdstrike',
    parts: [
      ['devices', 'crowdstrike/devices-page1.json'],
      ['devices', 'crowdstrike/devices-page2.json'],
      ['policies', 'crowdstrike/policies.json'],
      ['policies', 'crowdstrike/policies-bare.json'],
    ],
  },
  {
    name: 'defender: machines (two pages) and avinfo',
    source: 'defender',
    parts: [
      ['machines', 'defender/machines-page1.json'],
      ['machines', 'defender/machines-page2.json'],
      ['avinfo', 'defender/avinfo.json'],
      ['avinfo', 'defender/avinfo-bare.json'],
    ],
  },
  {
    name: 'defender: machines only, as the body',
    source: 'defender',
    body: { bytes: fixture('defender/machines-bare.json'), contentType: 'application/json' },
  },
  {
    name: 'sentinelone: one page as the body',
    source: 'sentinelone',
    body: { bytes: fixture('sentinelone/agents-bare.json'), contentType: 'application/json' },
  },
  {
    name: 'sentinelone: two pages as a repeated body part',
    source: 'sentinelone',
    parts: [
      ['body', 'sentinelone/agents-page1.json'],
      ['body', 'sentinelone/agents-page2.json'],
    ],
  },
  // firewall
  {
    name: 'iptables-save: text body',
    source: 'iptables-save',
    body: { bytes: fixture('iptables-save/host.rules'), contentType: 'text/plain' },
    query: { internetInterfaces: 'ppp+' },
  },
  {
    name: 'iptables-save: iptables and ip6tables output',
    source: 'iptables-save',
    body: { bytes: fixture('iptables-save/dual-stack.rules'), contentType: 'text/plain; charset=utf-8' },
  },
  {
    name: 'nftables: nft -j list ruleset',
    source: 'nftables',
    body: { bytes: fixture('nftables/host.json'), contentType: 'application/json' },
  },
  {
    name: 'pfsense: config.xml',
    source: 'pfsense',
    body: { bytes: fixture('pfsense/config.xml'), contentType: 'application/xml' },
  },
  {
    name: 'opnsense: config.xml',
    source: 'opnsense',
    body: { bytes: fixture('opnsense/config.xml'), contentType: 'text/xml' },
  },
  {
    name: 'aws-security-groups: groups (two pages) and prefix lists',
    source: 'aws-security-groups',
    parts: [
      ['groups', 'aws-security-groups/groups-page1.json'],
      ['groups', 'aws-security-groups/groups-page2.json'],
      ['prefixLists', 'aws-security-groups/prefix-lists.json'],
    ],
  },
  {
    name: 'aws-security-groups: describe-security-groups output as the body',
    source: 'aws-security-groups',
    body: { bytes: fixture('aws-security-groups/groups.json'), contentType: 'application/json' },
  },
  // technicians (posted to the MSP)
  {
    name: 'ninjaone: technicians (two pages) and activities (two pages)',
    source: 'ninjaone',
    parts: [
      ['technicians', 'ninjaone/users.json'],
      ['technicians', 'ninjaone/users-page2.json'],
      ['activities', 'ninjaone/activities.json'],
      ['activities', 'ninjaone/activities-bare.json'],
    ],
  },
  {
    name: 'ninjaone: /v2/user/technicians as the body',
    source: 'ninjaone',
    body: { bytes: fixture('ninjaone/technicians.json'), contentType: 'application/json' },
  },
  {
    name: 'connectwise: members as the body',
    source: 'connectwise',
    body: { bytes: fixture('connectwise/members.json'), contentType: 'application/json' },
  },
  {
    name: 'connectwise: two pages as a repeated body part',
    source: 'connectwise',
    parts: [
      ['body', 'connectwise/members.json'],
      ['body', 'connectwise/members-page2.json'],
    ],
  },
  {
    name: 'datto-rmm: users as the body',
    source: 'datto-rmm',
    body: { bytes: fixture('datto-rmm/users-bare.json'), contentType: 'application/json' },
  },
  {
    name: 'datto-rmm: two pages as a repeated body part',
    source: 'datto-rmm',
    parts: [
      ['body', 'datto-rmm/users-page1.json'],
      ['body', 'datto-rmm/users-page2.json'],
    ],
  },
  {
    name: 'kaseya-vsa: users as the body',
    source: 'kaseya-vsa',
    body: { bytes: fixture('kaseya-vsa/users-resolved.json'), contentType: 'application/json' },
  },
  {
    name: 'kaseya-vsa: two pages as a repeated body part',
    source: 'kaseya-vsa',
    parts: [
      ['body', 'kaseya-vsa/users.json'],
      ['body', 'kaseya-vsa/users-page2.json'],
    ],
  },
  // canonical
  {
    name: 'canonical identity',
    source: 'canonical',
    kind: 'identity',
    body: {
      bytes: canonicalFrom('okta', [
        ['users', 'okta/users-page1.json'],
        ['factors', 'okta/factors-page1.json'],
      ]),
      contentType: 'application/json',
    },
  },
  {
    name: 'canonical endpoint',
    source: 'canonical',
    kind: 'endpoint',
    body: {
      bytes: canonicalFrom('sentinelone', [['body', 'sentinelone/agents-bare.json']]),
      contentType: 'application/json',
    },
  },
  {
    name: 'canonical firewall',
    source: 'canonical',
    kind: 'firewall',
    body: {
      bytes: canonicalFrom('pfsense', [['body', 'pfsense/config.xml']]),
      contentType: 'application/json; charset=utf-8',
    },
  },
  {
    name: 'canonical technicians',
    source: 'canonical',
    kind: 'technicians',
    body: {
      bytes: canonicalFrom('ninjaone', [['technicians', 'ninjaone/users.json']]),
      contentType: 'application/json',
    },
  },
];

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function rawPartsOf(row: Row): RawPart[] {
  if (row.body) return [{ name: adapterFor(row.source, row.kind)!.bodyPart, bytes: row.body.bytes }];
  return row.parts!.map(([name, path]) => ({ name, bytes: fixture(path) }));
}

function kindOf(row: Row): SnapshotKind {
  return adapterFor(row.source, row.kind)!.kind as SnapshotKind;
}

const asIs = (body: unknown) => body as string;

const binary = (
  res: NodeJS.ReadableStream & { setEncoding(e: string): void },
  cb: (err: Error | null, body: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('ingest: every source through HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('has a row for every source in the registry and every canonical kind', () => {
    const missing = [...SOURCES.keys()].filter((s) => !ROWS.some((r) => r.source === s));
    expect(missing).toEqual([]);
    const kinds = SNAPSHOT_KINDS.filter((k) => !ROWS.some((r) => r.source === 'canonical' && r.kind === k));
    expect(kinds).toEqual([]);
    // every multi-part source is posted as multipart at least once, every source with pages as a multi-page export
    for (const [source, adapter] of SOURCES) {
      if (adapter.parts.length > 1)
        expect({ source, multipart: ROWS.some((r) => r.source === source && r.parts) }).toEqual({
          source,
          multipart: true,
        });
    }
  });

  describe.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    let tenants: TenantPair;
    let tenant: string;
    let clients: ClientRef[];
    let admin: string;
    let posted: request.Response;
    let expected: AdapterResult;
    const kind = kindOf(row);
    const query = new URLSearchParams({
      source: row.source,
      ...(row.kind ? { kind: row.kind } : {}),
      ...row.query,
    }).toString();

    beforeAll(async () => {
      const refs = { 'kaseya-vsa': '101', ninjaone: '12' };
      tenants = await createMspWithClient(t, refs);
      clients = [{ slug: tenants.client, externalRefs: refs }];
      // technician exports describe the MSP's own staff; everything else belongs to a client
      tenant = kind === 'technicians' ? tenants.msp : tenants.client;
      admin = await t.token([tenant], 'admin', 'ci@pipeline');
      const internetInterfaces = row.query?.internetInterfaces?.split(',');
      expected = runAdapter(adapterFor(row.source, row.kind)!, rawPartsOf(row), {
        clients: kind === 'technicians' ? clients : [],
        ...(internetInterfaces ? { internetInterfaces } : {}),
      });
      const path = `/v1/tenants/${tenant}/snapshots?${query}`;
      let req = request(t.app).post(path).set('Authorization', `Bearer ${admin}`);
      if (row.body) {
        // the bytes as they are: superagent would JSON.stringify a Buffer sent as application/json
        req = req.set('Content-Type', row.body.contentType).serialize(asIs).send(row.body.bytes);
      } else {
        for (const [name, file] of row.parts!)
          req = req.attach(name, fixture(file), {
            filename: basename(file),
            contentType: MEDIA[file.split('.').pop()!]!,
          });
      }
      posted = await req;
    });

    it('answers 201 with the declared shape, item count, instance and warnings', () => {
      expect({ status: posted.status, body: posted.status === 201 ? 'ok' : posted.body }).toEqual({
        status: 201,
        body: 'ok',
      });
      expectContract(posted, 'post', `/v1/tenants/${tenant}/snapshots`);
      expect(posted.headers.location).toBe(`/v1/tenants/${tenant}/snapshots/${posted.body.id}`);
      expect(posted.body).toMatchObject({
        kind,
        source: row.source,
        instance: expected.instance ?? 'default',
        itemCount: itemCount(kind, expected.document),
      });
      expect(posted.body.itemCount).toBeGreaterThan(0);
      expect(Array.isArray(posted.body.warnings)).toBe(true);
      expect(posted.body.warnings).toEqual(JSON.parse(JSON.stringify(expected.warnings)));
    });

    it('hashes the body, or for multipart the sorted (part name, part SHA-256) pairs', () => {
      const parts = rawPartsOf(row);
      const want = row.body
        ? sha256(row.body.bytes)
        : sha256(
            parts
              .map((p) => `${p.name}\u0000${sha256(p.bytes)}\n`)
              .sort()
              .join(''),
          );
      expect(posted.body.sha256).toBe(want);
    });

    it('stores the canonical document runAdapter makes of the same bytes, with the parts and who sent them', async () => {
      const path = `/v1/tenants/${tenant}/snapshots/${posted.body.id}`;
      const res = await request(t.app).get(path).set('Authorization', `Bearer ${admin}`);
      expect(res.status).toBe(200);
      expectContract(res, 'get', path);
      expect(res.body.normalized).toEqual(JSON.parse(JSON.stringify(expected.document)));
      const pages = new Map<string, number>();
      expect(res.body).toMatchObject({
        id: posted.body.id,
        kind,
        source: row.source,
        instance: posted.body.instance,
        sha256: posted.body.sha256,
        itemCount: posted.body.itemCount,
        receivedAt: posted.body.receivedAt,
        submittedBy: 'ci@pipeline',
        labels: {},
        warnings: posted.body.warnings,
        // the export's own stamp (iptables-save `# Generated … on`), else the receipt time
        collectedAt:
          expected.collectedAt === undefined ? posted.body.receivedAt : new Date(expected.collectedAt).toISOString(),
        collectedAtSource: expected.collectedAt === undefined ? 'received' : 'export',
        configChangedAt:
          expected.configChangedAt === undefined ? null : new Date(expected.configChangedAt).toISOString(),
        lastConfirmedAt: null,
        parts: rawPartsOf(row).map((p) => {
          const page = pages.get(p.name) ?? 0;
          pages.set(p.name, page + 1);
          return { name: p.name, page, size: p.bytes.length, sha256: sha256(p.bytes) };
        }),
      });
      if (row.body) expect(res.body.contentType).toBe(row.body.contentType);
      else expect(res.body.contentType).toMatch(/^multipart\/form-data; boundary=/);
    });

    it('serves the raw export back as received (admin)', async () => {
      const res = await request(t.app)
        .get(`/v1/tenants/${tenant}/snapshots/${posted.body.id}/raw`)
        .set('Authorization', `Bearer ${admin}`)
        .buffer(true)
        .parse(binary as never);
      expect(res.status).toBe(200);
      const body = res.body as Buffer;
      if (row.body) {
        expect(sha256(body)).toBe(sha256(row.body.bytes));
        expect(body.equals(row.body.bytes)).toBe(true);
      } else {
        // the multipart body supertest wrote, byte for byte: it splits into exactly the parts posted
        expect(res.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
        const parts = await splitMultipart(body, res.headers['content-type']!);
        expect(parts.map((p) => [p.name, sha256(p.bytes)])).toEqual(
          rawPartsOf(row).map((p) => [p.name, sha256(p.bytes)]),
        );
      }
    });

    if (row.body) {
      it('serves the raw export with the media type it was sent with', async () => {
        const res = await request(t.app)
          .get(`/v1/tenants/${tenant}/snapshots/${posted.body.id}/raw`)
          .set('Authorization', `Bearer ${admin}`)
          .buffer(true)
          .parse(binary as never);
        // exact equality (no charset added) is checked once in ingest-dedupe.test.ts; here: the same media type and parameters
        expect(res.headers['content-type']!.replace(/; charset=utf-8$/i, '')).toBe(
          row.body!.contentType.replace(/; charset=utf-8$/i, ''),
        );
      });
    }
  });
});
