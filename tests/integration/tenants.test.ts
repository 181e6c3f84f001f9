import request from 'supertest';
import { createMspWithClient, createTestApp, uniqueSlug, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';

describe('tenants', () => {
  let t: TestApp;
  let root: string;
  const call = async (method: 'get' | 'post' | 'patch', path: string, token: string, body?: unknown) => {
    let r = request(t.app)[method](path).set('Authorization', `Bearer ${token}`);
    if (body !== undefined) r = r.send(body as object);
    const res = await r;
    expectContract(res, method, path);
    return res;
  };

  beforeAll(async () => {
    t = await createTestApp();
    root = await t.token(['*'], 'admin', 'root');
  });
  afterAll(() => t.close());

  it('creates an MSP with the default packs (technician hygiene only), and a client under it', async () => {
    const msp = uniqueSlug('msp');
    const created = await call('post', '/v1/tenants', root, { slug: msp, name: 'Northwind MSP', kind: 'msp' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/v1/tenants/${msp}`);
    expect(created.body).toMatchObject({ slug: msp, kind: 'msp', parent: null, externalRefs: {} });
    // client frameworks are opt-in for an MSP
    expect(created.body.packs).toEqual(['msp-technician-hygiene']);
    const optIn = await call('post', '/v1/tenants', root, {
      slug: uniqueSlug('msp'),
      name: 'Opted-in MSP',
      kind: 'msp',
      packs: ['hipaa-security-rule', 'msp-technician-hygiene'],
    });
    expect(optIn.body.packs).toEqual(['hipaa-security-rule', 'msp-technician-hygiene']);

    const mspToken = await t.token([msp], 'admin', 'lead@msp');
    const client = uniqueSlug('clinic');
    const c = await call('post', '/v1/tenants', mspToken, {
      slug: client,
      name: 'Clinic',
      kind: 'client',
      parent: msp,
      externalRefs: { ninjaone: '42' },
    });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({
      slug: client,
      parent: msp,
      externalRefs: { ninjaone: '42' },
      packs: ['hipaa-security-rule', 'pci-dss-4.0.1', 'cis-controls-8.1'],
    });

    // the MSP's token reaches its client; the client's token does not reach the MSP
    const list = await call('get', '/v1/tenants', mspToken);
    expect(list.body.items.map((x: { slug: string }) => x.slug).sort()).toEqual([client, msp].sort());
    const clientToken = await t.token([client], 'admin');
    expect((await call('get', `/v1/tenants/${msp}`, clientToken)).status).toBe(404);
    expect((await call('get', `/v1/tenants/${client}`, clientToken)).body.slug).toBe(client);
  });

  it('records every change in the audit log with the token subject', async () => {
    const { client } = await createMspWithClient(t);
    const token = await t.token([client], 'admin', 'officer@clinic');
    await call('patch', `/v1/tenants/${client}`, token, { name: 'Renamed', packs: ['hipaa-security-rule'] });
    const audit = await call('get', `/v1/tenants/${client}/audit`, token);
    expect(audit.body.items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['tenant.update', 'officer@clinic'],
      ['tenant.create', 'root'],
    ]);
    expect(audit.body.items[0].target).toBe(client);
    expect(audit.body.items[0].detail).toEqual({ fields: ['name', 'packs'] });
  });

  it.each([
    ['Upper', 'upper case'],
    ['-lead', 'leading hyphen'],
    ['trail-', 'trailing hyphen'],
    ['a'.repeat(64), '64 characters'],
    ['has space', 'space'],
    ['*', 'star'],
  ])('refuses the slug %p (%s) with a pointer', async (slug) => {
    const res = await call('post', '/v1/tenants', root, { slug, name: 'x', kind: 'msp' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ pointer: '/slug' }));
  });

  it('refuses a taken slug with 409', async () => {
    const { msp } = await createMspWithClient(t);
    const res = await call('post', '/v1/tenants', root, { slug: msp, name: 'again', kind: 'msp' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('slug_taken');
  });

  it('answers parallel creations of one slug with one 201 and 409s, never a 500', async () => {
    // several rounds: the window between the slug check and the insert is narrow
    for (let round = 0; round < 5; round++) {
      const slug = uniqueSlug('race');
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          request(t.app)
            .post('/v1/tenants')
            .set('Authorization', `Bearer ${root}`)
            .send({ slug, name: `racer ${i}`, kind: 'msp' }),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const r of answers) expectContract(r, 'post', '/v1/tenants');
    }
  });

  it('answers parallel parameter replacements of one tenant all with 200', async () => {
    const { client } = await createMspWithClient(t);
    const path = `/v1/tenants/${client}/parameters`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        request(t.app)
          .put(path)
          .set('Authorization', `Bearer ${root}`)
          .send({ 'cis-controls-8.1': { maxInactiveDays: 10 + i }, 'pci-dss-4.0.1': { maxInactiveDays: 20 + i } }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // the last replacement won as a whole: both packs from one request
    const now = (await request(t.app).get(path).set('Authorization', `Bearer ${root}`).expect(200)).body;
    expect(now['pci-dss-4.0.1'].maxInactiveDays - now['cis-controls-8.1'].maxInactiveDays).toBe(10);
  });

  it('refuses unknown packs and unknown fields with pointers', async () => {
    const res = await call('post', '/v1/tenants', root, {
      slug: uniqueSlug('x'),
      name: 'x',
      kind: 'msp',
      packs: ['hipaa-security-rule', 'sox'],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].pointer).toBe('/packs/1');
    const extra = await call('post', '/v1/tenants', root, {
      slug: uniqueSlug('x'),
      name: 'x',
      kind: 'msp',
      colour: 'red',
    });
    expect(extra.status).toBe(422);
    expect(extra.body.errors[0]).toEqual({ pointer: '/colour', message: 'is not allowed here' });
  });

  it('lets only deployment-wide admins create top-level tenants', async () => {
    const { msp } = await createMspWithClient(t);
    const mspAdmin = await t.token([msp], 'admin');
    const res = await call('post', '/v1/tenants', mspAdmin, { slug: uniqueSlug('rogue'), name: 'x', kind: 'msp' });
    expect(res.status).toBe(403);
  });

  it('refuses a client as a parent, and a parent with an MSP kind child', async () => {
    const { msp, client } = await createMspWithClient(t);
    const asClient = await call('post', '/v1/tenants', root, {
      slug: uniqueSlug('x'),
      name: 'x',
      kind: 'client',
      parent: client,
    });
    expect(asClient.status).toBe(422);
    expect(asClient.body.errors[0].pointer).toBe('/parent');
    const mspChild = await call('post', '/v1/tenants', root, {
      slug: uniqueSlug('x'),
      name: 'x',
      kind: 'msp',
      parent: msp,
    });
    expect(mspChild.status).toBe(422);
    expect(mspChild.body.errors[0].pointer).toBe('/kind');
  });

  it("keeps a vendor org id unique among one MSP's clients", async () => {
    const { msp } = await createMspWithClient(t, { ninjaone: '7' });
    const res = await call('post', '/v1/tenants', root, {
      slug: uniqueSlug('dup'),
      name: 'x',
      kind: 'client',
      parent: msp,
      externalRefs: { ninjaone: '7' },
    });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].pointer).toBe('/externalRefs/ninjaone');
    // another MSP's client may use the same id: ids are per vendor account
    const other = await createMspWithClient(t, { ninjaone: '7' });
    expect(other.client).toBeDefined();
  });

  it('refuses to change slug, kind or parent', async () => {
    const { client } = await createMspWithClient(t);
    for (const body of [{ slug: 'new' }, { kind: 'msp' }, { parent: 'x' }, {}]) {
      const res = await call('patch', `/v1/tenants/${client}`, root, body);
      expect(res.status).toBe(422);
    }
  });

  it('pages with limit and cursor, newest first', async () => {
    const { msp } = await createMspWithClient(t);
    const token = await t.token([msp], 'admin');
    for (let i = 0; i < 3; i++)
      await call('post', '/v1/tenants', token, { slug: uniqueSlug('c'), name: `c${i}`, kind: 'client', parent: msp });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await call('get', `/v1/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`, token);
      seen.push(...res.body.items.map((x: { id: string }) => x.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5); // the MSP, the first client, three more
    expect([...seen].sort().reverse()).toEqual(seen);
    const bad = await call('get', '/v1/tenants?limit=5000', token);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ pointer: '/limit', in: 'query' });
  });
});
