/**
 * GET …/findings?format=csv|xlsx: every problem the filters let through, one row per rule and
 * item as in the JSON pages (each finding there lists its packs), as a download.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

const user = (i: number, id: string, name: string) => ({
  id,
  source: 'canonical',
  // the item name a finding shows is the username: accents, a comma and quotes in it
  username: name,
  status: 'active',
  accountType: 'human',
  authSource: 'local',
  mfa: { registered: false },
  lastLoginAt: new Date(Date.now() - 86_400_000).toISOString(),
  origin: { part: 'body', pointer: `/users/${i}` },
});

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('findings as CSV and XLSX', () => {
  let t: TestApp;
  let client: string;
  let token: string;
  let evaluationId: string;
  let json: {
    ruleId: string;
    item: { id: string } | null;
    packId: string;
    packs: { pack: string }[];
    firstSeenAt: string;
  }[];
  const get = (q: string) =>
    request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${evaluationId}/findings${q}`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(binary);

  beforeAll(async () => {
    t = await createTestApp();
    ({ client } = await createMspWithClient(t));
    token = await t.token([client], 'admin', 'officer@clinic');
    const ing = await request(t.app)
      .post(`/v1/tenants/${client}/snapshots?source=canonical&kind=identity`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        users: [
          user(0, 'jose', 'José Müller, Ph.D.'),
          user(1, 'zoe', 'Zoë "Z" Ørsted'),
          // enrolled, but not seen for 200 days: a medium-severity (dormant account) finding only
          {
            ...user(2, 'old', 'old@example.com'),
            mfa: { registered: true },
            lastLoginAt: new Date(Date.now() - 200 * 86_400_000).toISOString(),
          },
        ],
      });
    expect(ing.status).toBe(201);
    evaluationId = ing.body.evaluation.id;
    const page = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${evaluationId}/findings?limit=1000`)
      .set('Authorization', `Bearer ${token}`);
    json = page.body.items;
    expect(json.length).toBeGreaterThan(0);
  });
  afterAll(() => t.close());

  const distinctProblems = (rows: typeof json) => new Set(rows.map((f) => `${f.ruleId} ${f.item?.id ?? ''}`)).size;

  it('CSV: one row per rule and item, a BOM, names intact, as an attachment', async () => {
    const res = await get('?format=csv');
    expectContract(res, 'get', `/v1/tenants/${client}/evaluations/${evaluationId}/findings`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="posture-findings-${client}-${evaluationId}.csv"`,
    );
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(distinctProblems(json));
    // fewer rows than pack findings: a problem in three packs is one row
    expect(records.length).toBeLessThan(json.reduce((n, f) => n + f.packs.length, 0));
    expect(records).toHaveLength(json.length);
    const jose = records.filter((r) => r.Item === 'jose' && r.Rule === 'identity.mfa-registered');
    expect(jose).toHaveLength(1);
    expect(jose[0]).toMatchObject({ Status: 'fail', Severity: 'high' });
    expect(jose[0]!['Item name']).toBe('José Müller, Ph.D.');
    const joseJson = json.find((f) => f.item?.id === 'jose' && f.ruleId === 'identity.mfa-registered')!;
    expect((jose[0]?.Packs ?? '').split('; ')).toEqual(joseJson.packs.map((p) => p.pack));
    expect(joseJson.packs.length).toBeGreaterThan(1);
    // first seen as in the JSON, without milliseconds
    expect(jose[0]!['First seen']).toBe(joseJson.firstSeenAt.replace(/\.\d{3}Z$/, 'Z'));
    expect(jose[0]!['Rule title']).not.toBe('');
    expect(jose[0]!.Remediation).not.toBe('');
    expect(records.some((r) => r['Item name'] === 'Zoë "Z" Ørsted')).toBe(true);
  });

  it('applies the filters (and not the page size)', async () => {
    const res = await get('?format=csv&rule=identity.mfa-registered&limit=1');
    const records = parse((res.body as Buffer).toString('utf8'), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(records.map((r) => r.Item).sort()).toEqual(['jose', 'zoe']);
    expect(new Set(records.map((r) => r.Rule))).toEqual(new Set(['identity.mfa-registered']));
  });

  it('XLSX: reads back with the same rows, a header row, filters and the header frozen', async () => {
    const res = await get('?format=xlsx');
    expectContract(res, 'get', `/v1/tenants/${client}/evaluations/${evaluationId}/findings`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Findings')!;
    expect(sheet.rowCount - 1).toBe(distinctProblems(json));
    expect(sheet.getRow(1).getCell(1).value).toBe('Severity');
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('JSON rows carry the rule title and remediation; ?minSeverity keeps what is at least that severe', async () => {
    const all = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${evaluationId}/findings?limit=1000`)
      .set('Authorization', `Bearer ${token}`);
    expectContract(all, 'get', `/v1/tenants/${client}/evaluations/${evaluationId}/findings`);
    const items = all.body.items as { severity: string; ruleTitle: string | null; remediation: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((f) => typeof f.ruleTitle === 'string' && f.ruleTitle !== '')).toBe(true);
    expect(items.every((f) => typeof f.remediation === 'string' && f.remediation !== '')).toBe(true);
    const severe = new Set(['critical', 'high']);
    const high = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${evaluationId}/findings?limit=1000&minSeverity=high`)
      .set('Authorization', `Bearer ${token}`);
    expect(high.status).toBe(200);
    expect(high.body.items.length).toBe(items.filter((f) => severe.has(f.severity)).length);
    expect(high.body.items.length).toBeGreaterThan(0);
    expect(high.body.items.length).toBeLessThan(items.length);
    // with ?severity too, both apply
    const both = await request(t.app)
      .get(
        `/v1/tenants/${client}/evaluations/${evaluationId}/findings?limit=1000&minSeverity=high&severity=medium,high`,
      )
      .set('Authorization', `Bearer ${token}`);
    expect(both.body.items.map((f: { severity: string }) => f.severity)).toEqual(
      items.filter((f) => f.severity === 'high').map((f) => f.severity),
    );
    const bad = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${evaluationId}/findings?minSeverity=urgent`)
      .set('Authorization', `Bearer ${token}`);
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'invalid_query' });
  });

  it('lists first seen as carried over, and lets the same rows through as the JSON pages', async () => {
    // a tenant of its own: the rows above stay as they are
    const { client: own } = await createMspWithClient(t);
    const officer = await t.token([own], 'admin', 'officer@own');
    const post = (users: unknown[]) =>
      request(t.app)
        .post(`/v1/tenants/${own}/snapshots?source=canonical&kind=identity`)
        .set('Authorization', `Bearer ${officer}`)
        .send({ users });
    const first = await post([user(0, 'jose', 'José')]);
    expect(first.status).toBe(201);
    const second = await post([user(0, 'jose', 'José'), user(1, 'zoe', 'Zoë')]);
    expect(second.status).toBe(201);
    const asOf = async (id: string) =>
      (await request(t.app).get(`/v1/tenants/${own}/evaluations/${id}`).set('Authorization', `Bearer ${officer}`)).body
        .asOf as string;
    const noMs = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');
    const [a1, a2] = [await asOf(first.body.evaluation.id), await asOf(second.body.evaluation.id)];
    const path = `/v1/tenants/${own}/evaluations/${second.body.evaluation.id}/findings`;
    const download = async (q: string) => {
      const res = await request(t.app)
        .get(`${path}?format=csv${q}`)
        .set('Authorization', `Bearer ${officer}`)
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      return parse((res.body as Buffer).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    };
    const rows = await download('&rule=identity.mfa-registered');
    expect(rows.map((r) => [r.Item, r['First seen']])).toEqual([
      ['jose', noMs(a1)],
      ['zoe', noMs(a2)],
    ]);
    const xlsx = await request(t.app)
      .get(`${path}?format=xlsx&rule=identity.mfa-registered`)
      .set('Authorization', `Bearer ${officer}`)
      .buffer(true)
      .parse(binary);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Findings')!;
    const column = (sheet.getRow(1).values as unknown[]).indexOf('First seen');
    expect(sheet.getRow(2).getCell(column).value).toEqual(new Date(a1));

    // the same filters give the same rows as the JSON pages
    for (const q of [
      '&pack=pci-dss-4.0.1',
      '&status=fail&minSeverity=high',
      '&pack=hipaa-security-rule&status=waived',
    ]) {
      const pages = await request(t.app).get(`${path}?limit=1000${q}`).set('Authorization', `Bearer ${officer}`);
      expect(pages.status).toBe(200);
      const fromJson = (pages.body.items as { ruleId: string; item: { id: string } | null }[])
        .map((f) => `${f.ruleId} ${f.item?.id ?? ''}`)
        .sort();
      expect((await download(q)).map((r) => `${r.Rule} ${r.Item}`).sort()).toEqual(fromJson);
    }
  });

  it('refuses another format (400 at ?format)', async () => {
    const res = await request(t.app)
      .get(`/v1/tenants/${client}/evaluations/${evaluationId}/findings?format=pdf`)
      .set('Authorization', `Bearer ${token}`);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'invalid_query' });
  });
});
