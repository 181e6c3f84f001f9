/**
 * Reports end to end: render, sign and store through HTTP; the independent checker (pdfsig,
 * qpdf, OpenSSL) and POST /v1/reports/verify both accept it, and both refuse it after one byte
 * changes or when another certificate signs it; the sections are there (pdftotext).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadSigner } from '../../src/reporting/signing-key.js';
import { signPdf } from '../../src/reporting/sign-pdf.js';
import { createMspWithClient, createTestApp, getBytes, uniqueSlug, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';
import { CHECKER } from '../unit/reporting/fixtures.js';
import { SLOW_MS } from '../helpers/timeouts.js';

// renders and signs reports, and checks them with pdfsig, qpdf and OpenSSL
import.meta.jest.setTimeout(SLOW_MS);

const o = (i: number) => ({ part: 'body', pointer: `/technicians/${i}` });

describe('reports', () => {
  let t: TestApp;
  let msp: string;
  let client: string;
  let token: string;
  let dir: string;
  const pdftotext = (pdf: Buffer) => {
    const path = join(dir, `t-${Math.random()}.pdf`);
    writeFileSync(path, pdf);
    const r = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const checker = (pdf: Buffer) => {
    const path = join(dir, `c-${Math.random()}.pdf`);
    const cert = join(dir, 'signer.pem');
    writeFileSync(path, pdf);
    writeFileSync(cert, t.deps.signer.certificatePem);
    return spawnSync('bash', [CHECKER, path, cert], { encoding: 'utf8', env: { ...process.env, REQUIRE_CADES: '1' } });
  };
  const verify = async (pdf: Buffer) => {
    const res = await request(t.app).post('/v1/reports/verify').set('content-type', 'application/pdf').send(pdf);
    expectContract(res, 'post', '/v1/reports/verify');
    return res.body as { valid: boolean; reasons: string[]; reportId: string | null; tenant: string | null };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'posture-reports-'));
    t = await createTestApp();
    ({ msp, client } = await createMspWithClient(t));
    const other = uniqueSlug('other-client');
    const root = await t.token(['*'], 'admin');
    await request(t.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${root}`)
      .send({ slug: other, name: 'Other', kind: 'client', parent: msp })
      .expect(201);
    token = await t.token([msp], 'admin', 'lead@msp');
    const tech = (i: number, id: string, clientAccess: string[] | null, extra: Record<string, unknown> = {}) => ({
      id,
      source: 'canonical',
      name: `Tech ${id}`,
      status: 'active',
      clientAccess,
      origin: o(i),
      mfa: { registered: true },
      privileged: false,
      lastLoginAt: '2026-11-20T00:00:00Z',
      ...extra,
    });
    await request(t.app)
      .post(`/v1/tenants/${msp}/snapshots?source=canonical&kind=technicians`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        technicians: [
          tech(0, 'can-reach', [client]),
          tech(1, 'may-reach', null, { mfa: { registered: false } }),
          tech(2, 'elsewhere', [other]),
          tech(3, 'everyone', ['*'], { privileged: true }),
        ],
      })
      .expect(201);
    await request(t.app)
      .post(`/v1/tenants/${client}/snapshots?source=canonical&kind=identity`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        users: [
          {
            id: 'u1',
            source: 'canonical',
            username: 'dr.smith@example.com',
            status: 'active',
            accountType: 'human',
            authSource: 'local',
            mfa: { registered: false },
            origin: { part: 'body', pointer: '/users/0' },
          },
        ],
      })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The client report every test below reads: made by whichever test asks first, once per file,
   * so that each test also passes alone.
   */
  let clientReport: Promise<{ created: request.Response; pdf: Buffer }> | undefined;
  const theClientReport = () =>
    (clientReport ??= (async () => {
      const created = await request(t.app)
        .post(`/v1/tenants/${client}/reports`)
        .set('Authorization', `Bearer ${token}`)
        .send({ packs: ['hipaa-security-rule', 'cis-controls-8.1'] });
      expectContract(created, 'post', `/v1/tenants/${client}/reports`);
      expect(created.status).toBe(201);
      const pdfRes = await getBytes(t.app, created.body.pdf, token);
      expect(pdfRes.status).toBe(200);
      expect(pdfRes.headers['content-type']).toBe('application/pdf');
      return { created, pdf: pdfRes.body as Buffer };
    })());

  it('renders, signs and stores a client report that standard tools verify', async () => {
    const { created, pdf: clientPdf } = await theClientReport();
    expect(created.body).toMatchObject({
      packs: ['hipaa-security-rule', 'cis-controls-8.1'],
      signerFingerprint: t.deps.signer.fingerprint,
      createdBy: 'lead@msp',
    });
    expect(clientPdf.length).toBe(created.body.size);

    const script = checker(clientPdf);
    expect(script.stdout).toMatch(/PASS: pdfsig: 1\/1 signature\(s\) valid/);
    expect(script.stdout).toMatch(/PASS: sig 1: openssl cms -verify -cades/);
    expect({ status: script.status, out: script.stdout.split('\n').filter((l) => l.startsWith('FAIL')) }).toEqual({
      status: 0,
      out: [],
    });

    expect(await verify(clientPdf)).toMatchObject({
      valid: true,
      reasons: [],
      reportId: created.body.id,
      tenant: client,
    });
  });

  it('has every section, and the MSP technicians who can and may reach this client', async () => {
    const text = pdftotext((await theClientReport()).pdf);
    for (const heading of [
      'Executive summary',
      'Requirements',
      'Findings',
      'Waivers in force',
      'What the exports do not show',
      "Your MSP's technicians",
      'Evidence manifest',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('45 CFR');
    expect(text).toContain('dr.smith@example.com');
    expect(text).toContain('Tech can-reach');
    expect(text).toContain('Tech may-reach');
    expect(text).toContain('Tech everyone');
    expect(text).not.toContain('Tech elsewhere');
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toContain(t.deps.signer.fingerprint.slice(0, 16));
  });

  it('leaves the technicians section out of the MSP report', async () => {
    const created = await request(t.app)
      .post(`/v1/tenants/${msp}/reports`)
      .set('Authorization', `Bearer ${token}`)
      .send({});
    expect(created.status).toBe(201);
    const pdf = (
      await request(t.app)
        .get(created.body.pdf)
        .set('Authorization', `Bearer ${token}`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
    ).body as Buffer;
    expect(pdftotext(pdf)).not.toContain("Your MSP's technicians");
  });

  describe("the MSP's technicians of a client report: export-wide findings, the MSP's evaluation as of the client's, its evidence", () => {
    let msp2: string;
    let client2: string;
    let token2: string;
    let techSnapshot: { id: string; sha256: string };
    let mspAt: { id: string };
    let mspLater: { id: string };
    let raw: string;
    let layout: string;
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const between = (s: string, from: string, to: string) => {
      const start = s.indexOf(from);
      const end = s.indexOf(to, start + from.length);
      if (start < 0 || end < 0) throw new Error(`no "${from}" … "${to}" in the text`);
      return s.slice(start, end);
    };
    const pdftext = (pdf: Buffer, mode: '-raw' | '-layout') => {
      const path = join(dir, `m-${Math.random()}.pdf`);
      writeFileSync(path, pdf);
      const r = spawnSync('pdftotext', [mode, path, '-'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      return r.stdout;
    };

    beforeAll(async () => {
      ({ msp: msp2 } = await createMspWithClient(t));
      client2 = uniqueSlug('lodz');
      const root = await t.token(['*'], 'admin');
      await request(t.app)
        .post('/v1/tenants')
        .set('Authorization', `Bearer ${root}`)
        .send({ slug: client2, name: 'Łódź Klinika', kind: 'client', parent: msp2 })
        .expect(201);
      token2 = await t.token([msp2], 'admin', 'lead@msp2');
      // Characters beyond Windows-1252: the tenant's name, a username, and the arrows of a rule's remediation.
      await request(t.app)
        .post(`/v1/tenants/${client2}/snapshots?source=canonical&kind=identity`)
        .set('Authorization', `Bearer ${token2}`)
        .send({
          users: [
            {
              id: 'u1',
              source: 'canonical',
              username: 'dmitry.иванов',
              status: 'active',
              accountType: 'human',
              authSource: 'local',
              mfa: { registered: false },
              origin: { part: 'body', pointer: '/users/0' },
            },
          ],
        })
        .expect(201);
      await request(t.app)
        .post(`/v1/tenants/${client2}/snapshots?source=canonical&kind=firewall`)
        .set('Authorization', `Bearer ${token2}`)
        .send({
          devices: [
            {
              id: 'fw1',
              source: 'canonical',
              name: 'edge',
              defaultInbound: 'deny',
              internetInterfaces: ['wan'],
              origin: { part: 'body', pointer: '/devices/0' },
            },
          ],
          rules: [
            {
              id: 'r1',
              device: 'fw1',
              enabled: true,
              action: 'deny',
              direction: 'inbound',
              interface: 'wan',
              protocol: 'tcp',
              sources: ['0.0.0.0/0'],
              destinations: ['10.0.0.1/32'],
              ports: [{ from: 23, to: 23 }],
              log: false,
              exposure: 'internet',
              description: 'block telnet',
              origin: { part: 'body', pointer: '/rules/0' },
            },
          ],
        })
        .expect(201);
      // No lastLoginAt anywhere: every technician the dormant rule applies to cannot be judged, for
      // one reason, so the engine reports it once for the export (item null). Gamma is inactive:
      // the dormant rule does not apply to it.
      const tech = (i: number, id: string, clientAccess: string[] | null, extra: Record<string, unknown> = {}) => ({
        id,
        source: 'canonical',
        name: `Tech ${id}`,
        status: 'active',
        clientAccess,
        origin: o(i),
        mfa: { registered: true },
        privileged: false,
        ...extra,
      });
      const ingested = await request(t.app)
        .post(`/v1/tenants/${msp2}/snapshots?source=canonical&kind=technicians`)
        .set('Authorization', `Bearer ${token2}`)
        .send({
          technicians: [
            tech(0, 'alpha', [client2]),
            tech(1, 'beta', null),
            tech(2, 'gamma', [client2], { status: 'inactive' }),
          ],
        })
        .expect(201);
      techSnapshot = ingested.body;
      const evaluate = async (tenant: string, asOf: Date, packs?: string[]) =>
        (
          await request(t.app)
            .post(`/v1/tenants/${tenant}/evaluations`)
            .set('Authorization', `Bearer ${token2}`)
            .send({ asOf: asOf.toISOString(), ...(packs ? { packs } : {}) })
            .expect(201)
        ).body as { id: string };
      const now = Date.now();
      mspAt = await evaluate(msp2, new Date(now + 3_600_000), ['msp-technician-hygiene']);
      const clientEvaluation = await evaluate(client2, new Date(now + 2 * 3_600_000));
      mspLater = await evaluate(msp2, new Date(now + 3 * 3_600_000), ['msp-technician-hygiene']); // the MSP's latest, after the client's asOf
      const created = await request(t.app)
        .post(`/v1/tenants/${client2}/reports`)
        .set('Authorization', `Bearer ${token2}`)
        .send({ evaluationId: clientEvaluation.id })
        .expect(201);
      const pdf = (
        await request(t.app)
          .get(created.body.pdf)
          .set('Authorization', `Bearer ${token2}`)
          .buffer(true)
          .parse((res, cb) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => cb(null, Buffer.concat(chunks)));
          })
      ).body as Buffer;
      const script = checker(pdf);
      expect({ status: script.status, out: script.stdout.split('\n').filter((l) => l.startsWith('FAIL')) }).toEqual({
        status: 0,
        out: [],
      });
      raw = flat(pdftext(pdf, '-raw'));
      layout = pdftext(pdf, '-layout');
    });

    it('lists an export-wide finding under every technician of that export the rule applies to', () => {
      const section = between(raw, "Your MSP's technicians If your MSP", 'Evidence manifest');
      const dormant =
        'Technicians not seen within the inactivity limit are not left active: insufficient evidence, medium (finding about the whole export)';
      const alpha = between(section, 'Tech alpha', 'Tech gamma');
      const gamma = between(section, 'Tech gamma', 'Technicians who may reach');
      const beta = section.slice(section.indexOf('Tech beta'));
      for (const tech of [alpha, beta]) {
        expect(tech).toContain(dormant);
        expect(tech).toContain(
          'all 2 technicians of the canonical export (default) that the rule applies to cannot be checked: the export does not show last sign-in',
        );
        expect(tech).not.toContain('all technician-hygiene checks passed');
      }
      expect(gamma).not.toContain('Technicians not seen within the inactivity limit');
    });

    it('prints characters beyond Windows-1252 as themselves, in embedded fonts', () => {
      expect(layout).toContain('Łódź Klinika');
      expect(raw).toContain('dmitry.иванов');
      expect(flat(layout)).toContain('Status → System Logs → Settings');
      expect(layout).not.toContain('?ódz');
      expect(layout).not.toContain('dmitry.??????');
    });

    it("takes the MSP's latest evaluation at or before the client evaluation's asOf, not its latest", () => {
      const section = between(raw, "Your MSP's technicians If your MSP", 'Evidence manifest');
      expect(section).toContain(mspAt.id);
      expect(raw).not.toContain(mspLater.id);
    });

    it("lists the MSP's technician snapshot and technician-hygiene files in the manifest, as the MSP's", () => {
      const manifest = layout.slice(layout.lastIndexOf('Evidence manifest'));
      const mine = manifest.slice(0, manifest.indexOf("The MSP's evidence"));
      const theirs = manifest.slice(manifest.indexOf("The MSP's evidence"));
      expect(theirs).toContain(`The MSP's evidence: MSP ${msp2} (${msp2})`);
      expect(theirs).toMatch(/MSP's technician snapshots used: 1/);
      expect(theirs).toContain(techSnapshot.sha256);
      expect(theirs).toContain(techSnapshot.id);
      // a long path wraps inside its cell: read the files without whitespace
      const files = raw.slice(raw.lastIndexOf("The MSP's evidence")).replace(/\s+/g, '');
      expect(files).toContain('rules/packs/msp-technician-hygiene.yaml');
      for (const rule of [
        'dormant-disabled',
        'mfa-enabled',
        'no-shared-logins',
        'phishing-resistant-mfa-privileged',
        'scoped-client-access',
        'disabled-hold-no-access',
      ]) {
        expect(files).toContain(`rules/checks/technicians/${rule}.yaml`);
      }
      expect(flat(theirs)).toContain(mspAt.id);
      expect(mine).not.toContain(techSnapshot.sha256);
      expect(mine).not.toContain('msp-technician-hygiene');
    });
  });

  it.each([
    [
      'content',
      (pdf: Buffer) => {
        const i = pdf.indexOf('stream') + 20;
        pdf[i] = pdf[i]! ^ 0x01;
      },
      'digest_mismatch',
    ],
    [
      'ByteRange',
      (pdf: Buffer) => {
        const i = pdf.lastIndexOf('/ByteRange [0 ') + 14;
        pdf[i] = pdf[i] === 0x31 ? 0x32 : 0x31;
      },
      undefined,
    ],
    [
      'signature',
      (pdf: Buffer) => {
        const i = pdf.lastIndexOf('/Contents <') + 11 + 1000;
        pdf[i] = pdf[i] === 0x61 ? 0x62 : 0x61;
      },
      undefined,
    ],
  ] as const)('says invalid after one byte of the %s changes (endpoint and script)', async (_what, flip, reason) => {
    const pdf = Buffer.from((await theClientReport()).pdf);
    flip(pdf);
    const verdict = await verify(pdf);
    expect(verdict.valid).toBe(false);
    if (reason) expect(verdict.reasons).toContain(reason);
    expect(verdict.reasons.length).toBeGreaterThan(0);
    expect(checker(pdf).status).not.toBe(0);
  });

  it('refuses bytes appended after the signed range', async () => {
    const verdict = await verify(Buffer.concat([(await theClientReport()).pdf, Buffer.from('\n% appended\n')]));
    expect(verdict).toMatchObject({ valid: false });
    expect(verdict.reasons).toContain('not_covering_whole_file');
  });

  it('refuses a PDF re-signed with a certificate this service never used', async () => {
    const foreign = loadSigner({ mode: 'self-signed' }, join(dir, 'foreign'), new Date());
    const resigned = resign((await theClientReport()).pdf, foreign);
    const verdict = await verify(resigned);
    expect(verdict).toMatchObject({ valid: false, reportId: null });
    expect(verdict.reasons).toContain('unknown_signer');
    expect(checker(resigned).status).not.toBe(0);
  });

  it('says "not issued by this service" for a valid signature on bytes it never stored', async () => {
    const edited = Buffer.from((await theClientReport()).pdf);
    const at = edited.indexOf('/Producer (') + 11; // an edit in the document information, re-signed
    edited[at] = edited[at] === 0x58 ? 0x59 : 0x58;
    const verdict = await verify(resign(edited, t.deps.signer));
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toEqual(['not_issued_by_this_service']);
  });

  it('refuses a report of packs its evaluation did not evaluate, and a non-PDF body to verify', async () => {
    const e = await request(t.app)
      .post(`/v1/tenants/${client}/evaluations`)
      .set('Authorization', `Bearer ${token}`)
      .send({ packs: ['cis-controls-8.1'] });
    const res = await request(t.app)
      .post(`/v1/tenants/${client}/reports`)
      .set('Authorization', `Bearer ${token}`)
      .send({ evaluationId: e.body.id, packs: ['pci-dss-4.0.1'] });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].pointer).toBe('/packs/0');
    expect(
      (await request(t.app).post('/v1/reports/verify').set('content-type', 'text/plain').send('hello')).status,
    ).toBe(415);
    expect((await verify(Buffer.from('%PDF-1.7\nnot really\n'))).reasons).toEqual(['no_signature']);
  });
});

/** Zero the signature and ByteRange of a signed PDF, then sign it again with another signer. */
function resign(pdf: Buffer, signer: ReturnType<typeof loadSigner>): Buffer {
  const copy = Buffer.from(pdf);
  const br = copy.lastIndexOf('/ByteRange [');
  const end = copy.indexOf(']', br);
  copy.write(`/ByteRange [0 /********** /********** /**********`.padEnd(end - br, ' '), br, 'latin1');
  const start = copy.lastIndexOf('/Contents <') + 11;
  const close = copy.indexOf('>', start);
  copy.fill('0', start, close);
  return signPdf(copy, signer);
}
