import request from 'supertest';
import { createHash, randomBytes } from 'node:crypto';
import { createMspWithClient, createTestApp, getBytes, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';
import { png, sampleLogo, TINY_JPEG } from '../helpers/images.js';

describe('tenant logo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const put = async (slug: string, token: string, bytes: Buffer, type = 'image/png') => {
    const path = `/v1/tenants/${slug}/logo`;
    const res = await request(t.app)
      .put(path)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', type)
      .send(bytes);
    expectContract(res, 'put', path);
    return res;
  };
  const del = async (slug: string, token: string) => {
    const path = `/v1/tenants/${slug}/logo`;
    const res = await request(t.app).delete(path).set('Authorization', `Bearer ${token}`);
    expectContract(res, 'delete', path);
    return res;
  };

  it('stores a PNG, reads it back byte for byte, replaces it with a JPEG and removes it, each audited', async () => {
    const { msp } = await createMspWithClient(t);
    const token = await t.token([msp], 'admin', 'lead@msp');
    const logo = sampleLogo();
    const set = await put(msp, token, logo);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      mediaType: 'image/png',
      size: logo.length,
      sha256: createHash('sha256').update(logo).digest('hex'),
      width: 240,
      height: 80,
    });
    const got = await getBytes(t.app, `/v1/tenants/${msp}/logo`, token);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(got.body as Buffer, logo)).toBe(0);

    // the declared type may be generic: the bytes decide
    const jpeg = await put(msp, token, TINY_JPEG, 'application/octet-stream');
    expect(jpeg.body).toMatchObject({ mediaType: 'image/jpeg', width: 1, height: 1 });
    const again = await getBytes(t.app, `/v1/tenants/${msp}/logo`, token);
    expect(again.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(again.body as Buffer, TINY_JPEG)).toBe(0);

    expect((await del(msp, token)).status).toBe(204);
    const gone = await request(t.app).get(`/v1/tenants/${msp}/logo`).set('Authorization', `Bearer ${token}`);
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toContain('has no logo');
    expect((await del(msp, token)).status).toBe(404);

    const audit = await request(t.app).get(`/v1/tenants/${msp}/audit`).set('Authorization', `Bearer ${token}`);
    const actions = audit.body.items.map((e: { action: string; actor: string }) => [e.action, e.actor]);
    expect(actions.slice(0, 3)).toEqual([
      ['tenant.logo.remove', 'lead@msp'],
      ['tenant.logo.set', 'lead@msp'],
      ['tenant.logo.set', 'lead@msp'],
    ]);
    expect(audit.body.items[2].detail).toMatchObject({ mediaType: 'image/png', size: logo.length });
  });

  it('does not put the bytes in the tenant document', async () => {
    const { msp } = await createMspWithClient(t);
    const token = await t.token([msp], 'admin');
    await put(msp, token, sampleLogo());
    const res = await request(t.app).get(`/v1/tenants/${msp}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/logo/i);
  });

  it('refuses more than 512 KB with 413, another media type with 415, and bytes that are no PNG or JPEG with 422', async () => {
    const { msp } = await createMspWithClient(t);
    const token = await t.token([msp], 'admin');
    // noise does not compress: a PNG well over 512 KB
    const noise = randomBytes(400 * 400 * 3);
    const big = png(400, 400, (x, y) => {
      const i = (y * 400 + x) * 3;
      return [noise[i]!, noise[i + 1]!, noise[i + 2]!, 255];
    });
    expect(big.length).toBeGreaterThan(512 * 1024);
    const tooBig = await put(msp, token, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.detail).toContain('at most 524288 bytes');

    const gif = await put(msp, token, Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/gif');
    expect(gif.status).toBe(415);
    expect(gif.body.detail).toContain('image/png or image/jpeg');

    const text = await put(msp, token, Buffer.from('not an image at all'));
    expect(text.status).toBe(422);
    expect(text.body.errors[0].message).toContain('neither a PNG nor a JPEG');

    const liar = await put(msp, token, TINY_JPEG, 'image/png');
    expect(liar.status).toBe(422);
    expect(liar.body.detail).toContain('sent as image/png but its bytes are image/jpeg');

    const truncated = await put(msp, token, sampleLogo().subarray(0, 60));
    expect(truncated.status).toBe(422);
    expect(truncated.body.detail).toContain('cannot be read as image/png');

    const empty = await put(msp, token, Buffer.alloc(0));
    expect(empty.status).toBe(422);

    const none = await request(t.app).get(`/v1/tenants/${msp}/logo`).set('Authorization', `Bearer ${token}`);
    expect(none.status).toBe(404); // nothing of the above was stored
  });

  it('needs tenants:write to set or remove it; tenants:read reads it', async () => {
    const { msp } = await createMspWithClient(t);
    const admin = await t.token([msp], 'admin');
    const officer = await t.token([msp], 'officer');
    expect((await put(msp, officer, sampleLogo())).status).toBe(403);
    await put(msp, admin, sampleLogo());
    expect((await getBytes(t.app, `/v1/tenants/${msp}/logo`, officer)).status).toBe(200);
    expect((await del(msp, officer)).status).toBe(403);
  });

  it("answers 404 for another MSP's logo, and a client cannot set its MSP's", async () => {
    const a = await createMspWithClient(t);
    const b = await createMspWithClient(t);
    const tokenA = await t.token([a.msp], 'admin');
    await put(b.msp, await t.token([b.msp], 'admin'), sampleLogo());
    for (const slug of [b.msp, b.client]) {
      expect((await put(slug, tokenA, sampleLogo())).status).toBe(404);
      expect((await del(slug, tokenA)).status).toBe(404);
      const read = await request(t.app).get(`/v1/tenants/${slug}/logo`).set('Authorization', `Bearer ${tokenA}`);
      expect(read.status).toBe(404);
      expect(read.body.code).toBe('tenant_not_found');
    }
    const clientToken = await t.token([a.client], 'admin');
    expect((await put(a.msp, clientToken, sampleLogo())).status).toBe(404);
  });
});
