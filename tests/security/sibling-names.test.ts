/**
 * A client's report and API answers name no other client: the MSP's technician findings list
 * every client a technician reaches, and a client's "Your MSP's technicians" section shows only
 * that client and a count of the others — for every technician rule whose message can name them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp, uniqueSlug } from '../helpers/app.js';

const binary = (res: request.Test) =>
  res.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe("a client's view of its MSP's technicians", () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'posture-siblings-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names only the viewing client, whatever rule fails', async () => {
    const root = await t.token(['*'], 'admin', 'root');
    const msp = uniqueSlug('msp');
    const post = (body: object) => request(t.app).post('/v1/tenants').set('Authorization', `Bearer ${root}`).send(body);
    await post({ slug: msp, name: 'Northwind MSP', kind: 'msp' }).expect(201);
    const viewer = uniqueSlug('viewer');
    const siblings = [1, 2, 3].map((i) => ({ slug: uniqueSlug(`sibling${i}`), name: `Sibling Dental ${i} Ltd` }));
    await post({ slug: viewer, name: 'Viewer Clinic', kind: 'client', parent: msp }).expect(201);
    for (const s of siblings) await post({ ...s, kind: 'client', parent: msp }).expect(201);
    const all = [viewer, ...siblings.map((s) => s.slug)];
    const lead = await t.token([msp], 'admin', 'lead@msp');
    // one technician per way a technician rule can fail, each reaching every client by name
    const tech = (id: string, extra: Record<string, unknown>) => ({
      id,
      source: 'canonical',
      name: `Tech ${id}`,
      email: `${id}@msp.example`,
      status: 'active',
      clientAccess: all,
      privileged: false,
      shared: false,
      roles: ['technician'],
      lastLoginAt: '2026-11-20T00:00:00Z',
      mfa: { registered: true, factors: [{ type: 'webauthn', status: 'active', phishingResistant: true }] },
      origin: { part: 'body', pointer: `/technicians/${id}` },
      ...extra,
    });
    await request(t.app)
      .post(`/v1/tenants/${msp}/snapshots?source=canonical&kind=technicians`)
      .set('Authorization', `Bearer ${lead}`)
      .send({
        technicians: [
          tech('disabled', { status: 'suspended' }),
          tech('nomfa', { mfa: { registered: false, factors: [] } }),
          tech('shared', { shared: true }),
          tech('dormant', { lastLoginAt: '2024-01-01T00:00:00Z' }),
          tech('privileged', {
            privileged: true,
            mfa: { registered: true, factors: [{ type: 'sms', status: 'active', phishingResistant: false }] },
          }),
          tech('everyone', { clientAccess: ['*'] }),
        ],
      })
      .expect(201);
    // the MSP's own findings do list the siblings: the test would prove nothing otherwise
    const mspEval = await request(t.app)
      .post(`/v1/tenants/${msp}/evaluations`)
      .set('Authorization', `Bearer ${lead}`)
      .send({});
    const mspFindings = await request(t.app)
      .get(`/v1/tenants/${msp}/evaluations/${mspEval.body.id}/findings?pack=msp-technician-hygiene&limit=1000`)
      .set('Authorization', `Bearer ${lead}`);
    expect(JSON.stringify(mspFindings.body)).toContain(siblings[0]!.slug);

    const officer = await t.token([viewer], 'admin', 'officer@viewer');
    const report = await request(t.app)
      .post(`/v1/tenants/${viewer}/reports`)
      .set('Authorization', `Bearer ${officer}`)
      .send({});
    expect(report.status).toBe(201);
    const pdf = (await binary(request(t.app).get(report.body.pdf).set('Authorization', `Bearer ${officer}`)))
      .body as Buffer;
    const path = join(dir, 'viewer.pdf');
    writeFileSync(path, pdf);
    const text = spawnSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    expect(text).toContain("Your MSP's technicians");
    expect(text).toContain('Tech disabled');
    expect(text).toMatch(new RegExp(`${viewer} and 3 other clients`));
    const answers = [
      JSON.stringify(report.body),
      JSON.stringify(
        (await request(t.app).get(`/v1/tenants/${viewer}/evaluations`).set('Authorization', `Bearer ${officer}`)).body,
      ),
      JSON.stringify((await request(t.app).get('/v1/tenants').set('Authorization', `Bearer ${officer}`)).body),
    ];
    for (const s of siblings) {
      for (const needle of [s.slug, s.name]) {
        expect(text).not.toContain(needle);
        for (const a of answers) expect(a).not.toContain(needle);
      }
    }
  });
});
