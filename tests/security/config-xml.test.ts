/**
 * Issue 14, defect 2: config.xml shapes that made fast-xml-parser block for seconds (200,000
 * attributes on one element: 6–9 s; 100,000 `<filter>` elements: 8.5 s) are parsed in linear time,
 * and shapes past the parser's limits are refused with 413 export_too_complex at once.
 */
import request from 'supertest';
import { buildXmlTree } from '../../src/adapters/firewall/config-xml-build.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';

const asIs = (body: unknown) => body as string;
const attributes = (n: number) => Array.from({ length: n }, (_, i) => `attr${i}="v"`).join(' ');

describe('adversarial config.xml over HTTP', () => {
  let t: TestApp;
  let client: string;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    ({ client } = await createMspWithClient(t));
    token = await t.token([client], 'admin', 'lead@msp');
  });
  afterAll(() => t.close());

  const post = async (xml: string) => {
    const started = performance.now();
    const res = await request(t.app)
      .post(`/v1/tenants/${client}/snapshots?source=pfsense`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/xml')
      .serialize(asIs)
      .send(xml);
    return { res, ms: performance.now() - started };
  };

  it('200,000 attributes on one element (2.6 MB): 413 export_too_complex, at once', async () => {
    const xml = `<?xml version="1.0"?>\n<pfsense>\n<system ${attributes(200_000)}/>\n</pfsense>`;
    expect(xml.length).toBeGreaterThan(2_500_000);
    const { res, ms } = await post(xml);
    expect([res.status, res.body.code]).toEqual([413, 'export_too_complex']);
    expect(res.body.errors[0]).toMatchObject({ part: 'body', line: 3 });
    expect(res.body.errors[0].message).toMatch(/more than 256 attributes/);
    expect(ms).toBeLessThan(3000);
  });

  it('100,000 <filter> elements (4.7 MB): one parser event per tag, then stored', async () => {
    const xml = `<pfsense>${'<filter><rule><type>pass</type></rule></filter>'.repeat(100_000)}</pfsense>`;
    expect(xml.length).toBeGreaterThan(4_700_000);
    // deterministic, unlike a stopwatch on this shared machine: the work is one event per open, close and text
    const { events } = buildXmlTree(xml, { arrayTags: new Set(['rule']) });
    expect(events).toBe(2 + 100_000 * 7);
    const { res } = await post(xml);
    expect(res.status).toBe(201);
  });

  it('more than 1,000,000 elements, or nesting past 64: 413 export_too_complex', async () => {
    const many = await post(`<pfsense>${'<x/>'.repeat(1_000_001)}</pfsense>`);
    expect([many.res.status, many.res.body.code]).toEqual([413, 'export_too_complex']);
    const deep = await post(`<pfsense>${'<a>'.repeat(70)}${'</a>'.repeat(70)}</pfsense>`);
    expect([deep.res.status, deep.res.body.code]).toEqual([413, 'export_too_complex']);
    expect(deep.res.body.errors[0].message).toMatch(/nests deeper than 64/);
  });

  it('two root elements of the same name: 400 malformed_export, never read as one', async () => {
    const { res } = await post('<pfsense><system/></pfsense><pfsense><filter/></pfsense>');
    expect([res.status, res.body.code]).toEqual([400, 'malformed_export']);
  });
});
