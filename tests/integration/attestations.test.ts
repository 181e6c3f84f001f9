/**
 * Attestations through HTTP: an officer takes a clinic's HIPAA pack from 0% "with attestations"
 * to a score that counts the manual requirements attested, with evidence files (multipart); the
 * signed report names who attested what with which files. list / get / revoke, scopes, refusals
 * (a requirement a rule judges, a date beyond a year, a file over 10 MiB), and expiry.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { createMspWithClient, createTestApp, getBytes, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

const PACK = 'hipaa-security-rule';
/** manual requirements with no supporting check, and one with supporting checks */
const REVIEW = '164.308(a)(1)(ii)(D)';
const PASSWORDS = '164.308(a)(5)(ii)(D)';
const RISK = '164.308(a)(1)(ii)(B)';
/** judged from configuration only */
const DORMANT = '164.308(a)(3)(ii)(C)';
const DAY = 86_400_000;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const TEXT = Buffer.from('Q1 audit log review: 212 events reviewed, 0 unexplained.\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Figure {
  value: number | null;
  numerator: number;
  denominator: number;
}
interface PackResultDto {
  id: string;
  scores: { verified: Figure; withAttestations: Figure; withWaivers: Figure; states: Record<string, number> };
  requirements: { id: string; state: string; attestationId?: string | null }[];
}

describe('attestations', () => {
  let t: TestApp;
  let client: string;
  let officer: string;
  let dir: string;

  const attest = (token: string, json: object, files: { name: string; bytes: Buffer; type: string }[] = []) => {
    let r = request(t.app)
      .post(`/v1/tenants/${client}/attestations`)
      .set('Authorization', `Bearer ${token}`)
      .field('attestation', JSON.stringify(json));
    for (const f of files) r = r.attach('file', f.bytes, { filename: f.name, contentType: f.type });
    return r.then((res) => {
      expectContract(res, 'post', `/v1/tenants/${client}/attestations`);
      return res;
    });
  };
  const body = (requirementId: string, extra: object = {}) => ({
    packId: PACK,
    requirementId,
    statement: `The ${requirementId} procedure is in place and reviewed by the practice manager.`,
    validUntil: new Date(Date.now() + 180 * DAY).toISOString(),
    ...extra,
  });
  const call = async (token: string, method: 'get' | 'post' | 'delete', path: string, send?: object) => {
    let r = request(t.app)[method](path).set('Authorization', `Bearer ${token}`);
    if (send !== undefined) r = r.send(send);
    const res = await r;
    expectContract(res, method, path);
    return res;
  };
  const evaluate = async (asOf?: Date): Promise<PackResultDto> => {
    const e = await call(officer, 'post', `/v1/tenants/${client}/evaluations`, {
      packs: [PACK],
      ...(asOf ? { asOf: asOf.toISOString() } : {}),
    });
    expect(e.status).toBe(201);
    const pack = (e.body.results as PackResultDto[]).find((p) => p.id === PACK)!;
    const summary = (e.body.summary.packs as { id: string; withAttestations: Figure }[]).find((p) => p.id === PACK)!;
    expect(summary.withAttestations).toEqual(pack.scores.withAttestations);
    return pack;
  };
  const stateOf = (p: PackResultDto, id: string) => p.requirements.find((q) => q.id === id)!;

  beforeAll(async () => {
    t = await createTestApp();
    ({ client } = await createMspWithClient(t));
    officer = await t.token([client], 'officer', 'officer@clinic', {
      name: 'Dana Whitfield',
      email: 'dana@clinic.example',
    });
    dir = mkdtempSync(join(tmpdir(), 'posture-attest-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('takes the clinic from 0% to a score with its attested manual requirements, and the signed report shows them', async () => {
    const before = await evaluate();
    expect(before.scores.withAttestations).toMatchObject({ value: 0, numerator: 0 });
    expect(before.scores.withAttestations.denominator).toBeGreaterThan(0);
    expect(stateOf(before, REVIEW).state).toBe('manual');
    // no evidence at all yet: every check is insufficient evidence, counted against the score
    expect(before.scores.states.insufficient_evidence).toBeGreaterThan(0);

    const first = await attest(officer, body(REVIEW), [
      { name: 'audit-log-review.pdf', bytes: PDF, type: 'application/pdf' },
      { name: 'C:\\reviews\\notes.txt', bytes: TEXT, type: 'text/plain' },
    ]);
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe(`/v1/tenants/${client}/attestations/${first.body.id}`);
    expect(first.body).toMatchObject({
      packId: PACK,
      requirementId: REVIEW,
      attestedBy: { sub: 'officer@clinic', name: 'Dana Whitfield', email: 'dana@clinic.example' },
      revokedAt: null,
      active: true,
      files: [
        {
          idx: 0,
          filename: 'audit-log-review.pdf',
          contentType: 'application/pdf',
          size: PDF.length,
          sha256: sha(PDF),
        },
        { idx: 1, filename: 'notes.txt', contentType: 'text/plain', size: TEXT.length, sha256: sha(TEXT) },
      ],
    });
    // the files read back as uploaded (an auditor can check them against the SHA-256)
    const auditor = await t.token([client], 'auditor', 'auditor@firm');
    const download = (token: string, idx: string) =>
      request(t.app)
        .get(`/v1/tenants/${client}/attestations/${first.body.id}/files/${idx}`)
        .set('Authorization', `Bearer ${token}`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
    const pdfFile = await download(auditor, '0');
    expect(pdfFile.status).toBe(200);
    expect(pdfFile.headers['content-type']).toBe('application/pdf');
    expect(pdfFile.headers['content-disposition']).toContain("filename*=UTF-8''audit-log-review.pdf");
    expect(sha(pdfFile.body as Buffer)).toBe(sha(PDF));
    expect(sha((await download(auditor, '1')).body as Buffer)).toBe(sha(TEXT));
    for (const idx of ['2', 'x', '007'])
      expect({ idx, status: (await download(auditor, idx)).status }).toEqual({ idx, status: 404 });
    expect((await download(await t.token([client], 'ci', 'pipeline'), '0')).status).toBe(403);

    const second = await attest(officer, body(PASSWORDS));
    expect(second.status).toBe(201);
    expect(second.body.files).toEqual([]);
    // a manual requirement with supporting checks can be attested; the checks still decide when they cannot pass
    const risk = await attest(officer, body(RISK));
    expect(risk.status).toBe(201);

    const after = await evaluate();
    expect(stateOf(after, REVIEW)).toMatchObject({ state: 'attested', attestationId: first.body.id });
    expect(stateOf(after, PASSWORDS)).toMatchObject({ state: 'attested', attestationId: second.body.id });
    expect(stateOf(after, RISK).state).toBe('insufficient_evidence');
    expect(after.scores.withAttestations).toMatchObject({
      numerator: 2,
      denominator: before.scores.withAttestations.denominator,
    });
    expect(after.scores.withAttestations.value).toBeGreaterThan(0);
    expect(after.scores.verified).toEqual(before.scores.verified);
    expect(after.scores.withWaivers.numerator).toBe(2);

    // the signed report: who attested what, with which files
    const report = await call(officer, 'post', `/v1/tenants/${client}/reports`, { packs: [PACK] });
    expect(report.status).toBe(201);
    const pdf = await getBytes(t.app, report.body.pdf, officer);
    expect(pdf.status).toBe(200);
    const path = join(dir, 'report.pdf');
    writeFileSync(path, pdf.body as Buffer);
    const text = spawnSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    const flat = text.stdout.replace(/\s+/g, '');
    expect(flat).toContain('DanaWhitfield<dana@clinic.example>(officer@clinic)');
    expect(text.stdout).toContain(sha(PDF));
    expect(text.stdout).toContain(sha(TEXT));
    expect(text.stdout).toContain('audit-log-review.pdf');
    expect(flat).toContain('Withattestations');
    const verified = await request(t.app)
      .post('/v1/reports/verify')
      .set('Content-Type', 'application/pdf')
      .send(pdf.body as Buffer);
    expect(verified.body).toMatchObject({ valid: true, reportId: report.body.id });
  });

  it('keeps the files encrypted at rest, with the key id on each row', async () => {
    const res = await attest(officer, body(REVIEW), [{ name: 'sealed.txt', bytes: TEXT, type: 'text/plain' }]);
    expect(res.status).toBe(201);
    const rows = await t.owner.execute(
      sql`select key_id, bytes, sha256 from attestation_files where attestation_id = ${res.body.id}`,
    );
    const row = (rows as unknown as { rows: { key_id: string; bytes: Uint8Array; sha256: string }[] }).rows[0]!;
    expect(row.key_id).toBe(t.deps.keyring.current.id);
    expect(row.sha256).toBe(sha(TEXT));
    expect(Buffer.from(row.bytes).includes(TEXT.subarray(0, 20))).toBe(false);
  });

  it('lists, gets and revokes (the row stays; the requirement is manual again)', async () => {
    const made = await attest(officer, body(PASSWORDS));
    const list = await call(officer, 'get', `/v1/tenants/${client}/attestations?limit=1000`);
    expect(list.status).toBe(200);
    expect(list.body.items[0].id).toBe(made.body.id); // newest first
    const auditor = await t.token([client], 'auditor', 'auditor@firm');
    const got = await call(auditor, 'get', `/v1/tenants/${client}/attestations/${made.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(made.body);

    // every attestation of PASSWORDS is revoked: the requirement falls back to manual
    const all = (list.body.items as { id: string; requirementId: string }[]).filter(
      (a) => a.requirementId === PASSWORDS,
    );
    for (const a of all) {
      const revoked = await call(officer, 'delete', `/v1/tenants/${client}/attestations/${a.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ active: false, revokedBy: 'officer@clinic' });
      expect(revoked.body.revokedAt).not.toBeNull();
    }
    expect(stateOf(await evaluate(), PASSWORDS).state).toBe('manual');
    const again = await call(officer, 'get', `/v1/tenants/${client}/attestations/${made.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body.active).toBe(false);
    const missing = await call(
      officer,
      'get',
      `/v1/tenants/${client}/attestations/0195a0d0-0001-7000-8000-000000000000`,
    );
    expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: 'attestation_not_found' });
  });

  it('falls back to manual once validUntil has passed (judged at the evaluation asOf)', async () => {
    const validUntil = new Date(Date.now() + 10 * DAY);
    const made = await attest(officer, body('164.308(b)(1)', { validUntil: validUntil.toISOString() }));
    expect(made.status).toBe(201);
    expect(stateOf(await evaluate(new Date(validUntil.getTime() - DAY)), '164.308(b)(1)').state).toBe('attested');
    expect(stateOf(await evaluate(new Date(validUntil.getTime() + DAY)), '164.308(b)(1)').state).toBe('manual');
  });

  it('needs attestations:write to attest and attestations:read to read', async () => {
    const auditor = await t.token([client], 'auditor', 'auditor@firm');
    const refused = await attest(auditor, body(REVIEW));
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'forbidden' });
    const ci = await t.token([client], 'ci', 'pipeline');
    const list = await call(ci, 'get', `/v1/tenants/${client}/attestations`);
    expect(list.status).toBe(403);
  });

  it('refuses a requirement a rule judges, an unknown pack, a date beyond a year, a file over 10 MiB or of another type', async () => {
    const cases: [object, { name: string; bytes: Buffer; type: string }[], string][] = [
      [body(DORMANT), [], '/requirementId'],
      [body('no-such-requirement'), [], '/requirementId'],
      [body(REVIEW, { packId: 'sox' }), [], '/packId'],
      [body(REVIEW, { validUntil: new Date(Date.now() + 400 * DAY).toISOString() }), [], '/validUntil'],
      [body(REVIEW, { validUntil: new Date(Date.now() - DAY).toISOString() }), [], '/validUntil'],
      [body(REVIEW, { statement: 'short' }), [], '/statement'],
      [body(REVIEW, { attestedBy: 'someone else' }), [], '/attestedBy'],
      [
        body(REVIEW),
        [
          { name: 'ok.txt', bytes: TEXT, type: 'text/plain' },
          { name: 'big.txt', bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61), type: 'text/plain' },
        ],
        '/files/1',
      ],
      [
        body(REVIEW),
        [{ name: 'tool.exe', bytes: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0]), type: 'application/pdf' }],
        '/files/0',
      ],
    ];
    for (const [json, files, pointer] of cases) {
      const res = await attest(officer, json, files);
      expect({ pointer, status: res.status, code: res.body.code, at: res.body.errors?.[0]?.pointer }).toEqual({
        pointer,
        status: 422,
        code: 'validation_failed',
        at: pointer,
      });
    }
    const missingJson = await request(t.app)
      .post(`/v1/tenants/${client}/attestations`)
      .set('Authorization', `Bearer ${officer}`)
      .attach('file', TEXT, { filename: 'a.txt', contentType: 'text/plain' });
    expect(missingJson.status).toBe(422);
    const wrongType = await request(t.app)
      .post(`/v1/tenants/${client}/attestations`)
      .set('Authorization', `Bearer ${officer}`)
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(wrongType.status).toBe(415);
  });

  it('takes the JSON alone as application/json (no files)', async () => {
    const res = await call(officer, 'post', `/v1/tenants/${client}/attestations`, body(REVIEW));
    expect(res.status).toBe(201);
    expect(res.body.files).toEqual([]);
  });
});
