/**
 * The clinic of issue 16: Riverside Family Clinic, a client of Harbor IT (an MSP with a logo),
 * with 11 users (Okta: users, factors, roles, policies), 9 endpoints (SentinelOne, two pages)
 * and 17 firewall rules (pfSense: 16 filter rules and the NAT port-forward's associated rule) —
 * the project's own realistic vendor fixtures, ingested through HTTP as a user would, then
 * evaluated against HIPAA, PCI DSS and CIS Controls and reported.
 *
 * The endpoint export was collected two months before the evaluation: it is stale, and the cover
 * and the manifest must say so.
 */
import request from 'supertest';
import { fixture } from './adapters.js';
import { createTestApp, getBytes, uniqueSlug, type TestApp } from './app.js';
import { sampleLogo } from './images.js';

/** The clinic's evaluation and report time (the app's clock is pinned to it). */
export const CLINIC_NOW = new Date('2026-12-01T09:00:00Z');
export const CLINIC_PACKS = ['hipaa-security-rule', 'pci-dss-4.0.1', 'cis-controls-8.1'];

export interface Clinic {
  t: TestApp;
  msp: string;
  client: string;
  token: string;
  report: { id: string; pdf: Buffer };
}

type Ingest = { source: string; tenant: 'msp' | 'client'; collectedAt: string } & (
  | { parts: [string, string][] }
  | { body: string; contentType: string }
);

const EXPORTS: Ingest[] = [
  {
    source: 'okta',
    tenant: 'client',
    collectedAt: '2026-11-20T06:00:00Z',
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
    source: 'sentinelone',
    tenant: 'client',
    collectedAt: '2026-10-01T06:00:00Z',
    parts: [
      ['body', 'sentinelone/agents-page1.json'],
      ['body', 'sentinelone/agents-page2.json'],
    ],
  },
  {
    source: 'pfsense',
    tenant: 'client',
    collectedAt: '2026-11-28T06:00:00Z',
    body: 'pfsense/config.xml',
    contentType: 'application/xml',
  },
  {
    source: 'ninjaone',
    tenant: 'msp',
    collectedAt: '2026-11-30T06:00:00Z',

    body: 'ninjaone/technicians.json',
    contentType: 'application/json',
  },
];

/** A fresh app on the clinic's clock, the MSP (with its logo) and the clinic, their exports ingested, and the clinic's signed report. */
export async function createClinic(): Promise<Clinic> {
  const t = await createTestApp({ now: () => new Date(CLINIC_NOW) });
  const root = await t.token(['*'], 'admin', 'root');
  const msp = uniqueSlug('harbor-it');
  const client = uniqueSlug('riverside-clinic');
  const post = (path: string, body: unknown) =>
    request(t.app)
      .post(path)
      .set('Authorization', `Bearer ${root}`)
      .send(body as object)
      .expect(201);
  await post('/v1/tenants', { slug: msp, name: 'Harbor IT Services', kind: 'msp' });
  await post('/v1/tenants', {
    slug: client,
    name: 'Riverside Family Clinic',
    kind: 'client',
    parent: msp,
    packs: CLINIC_PACKS,
  });
  await request(t.app)
    .put(`/v1/tenants/${msp}/logo`)
    .set('Authorization', `Bearer ${root}`)
    .set('Content-Type', 'image/png')
    .send(sampleLogo())
    .expect(200);
  for (const e of EXPORTS) await ingest(t, root, e.tenant === 'msp' ? msp : client, e);
  const token = await t.token([client], 'officer', 'officer@riverside.example', { name: 'Dana Whitfield' });
  const created = await request(t.app)
    .post(`/v1/tenants/${client}/reports`)
    .set('Authorization', `Bearer ${token}`)
    .send({ packs: CLINIC_PACKS });
  if (created.status !== 201) throw new Error(`report: ${created.status} ${created.text}`);
  const pdf = await getBytes(t.app, `/v1/tenants/${client}/reports/${created.body.id}/pdf`, token);
  if (pdf.status !== 200) throw new Error(`report pdf: ${pdf.status}`);
  return { t, msp, client, token, report: { id: created.body.id, pdf: pdf.body as Buffer } };
}

async function ingest(t: TestApp, token: string, tenant: string, e: Ingest): Promise<void> {
  let req = request(t.app)
    .post(`/v1/tenants/${tenant}/snapshots?source=${e.source}`)
    .set('Authorization', `Bearer ${token}`)
    .set('X-Collected-At', e.collectedAt);
  if ('parts' in e) for (const [name, path] of e.parts) req = req.attach(name, fixture(path), path.split('/').pop());
  // a string body: superagent would serialise a Buffer sent as JSON into {type: 'Buffer', data: […]}
  else req = req.set('Content-Type', e.contentType).send(fixture(e.body).toString('utf8'));
  const res = await req;
  if (res.status !== 201) throw new Error(`ingest ${e.source}: ${res.status} ${res.text}`);
}
