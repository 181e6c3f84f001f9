/**
 * A gzip-encoded ingest body is decoded as it streams in, and the snapshot limit applies to the
 * decoded bytes: a body that inflates past POSTURE_MAX_SNAPSHOT_BYTES is a 413 once the limit is
 * crossed — the rest is never inflated (a gzip bomb costs the limit, not its decoded size).
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Request } from 'express';
import request from 'supertest';
import { readBody } from '../../src/http/ingest/read-body.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';

const MiB = 1 << 20;
/** One gzip member inflating to 1 MiB of zeros (about 1 KB): members concatenate into one body. */
const MEMBER = gzipSync(Buffer.alloc(MiB));

describe('gzip bombs', () => {
  it('readBody stops inflating at the limit: a 1 GiB bomb is read only as far as the first few MiB', async () => {
    let pulled = 0;
    function* members() {
      for (let i = 0; i < 1024; i++) {
        pulled++;
        yield MEMBER;
      }
    }
    const req = Object.assign(Readable.from(members(), { objectMode: false }), {
      headers: { 'content-encoding': 'gzip' },
    }) as unknown as Request;
    await expect(readBody(req, 4 * MiB)).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(pulled).toBeLessThan(64);
  });

  describe('over HTTP', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { POSTURE_MAX_SNAPSHOT_BYTES: String(MiB) } });
    });
    afterAll(() => t.close());

    it('a 256 MiB bomb in a 260 KB body is a 413 and nothing is stored', async () => {
      const { client } = await createMspWithClient(t);
      const token = await t.token([client], 'admin');
      const bomb = Buffer.concat(Array.from({ length: 256 }, () => MEMBER));
      expect(bomb.length).toBeLessThan(MiB);
      const res = await request(t.app)
        .post(`/v1/tenants/${client}/snapshots?source=duo`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize((b: unknown) => b as string)
        .send(bomb as unknown as string);
      expect([res.status, res.body.code]).toEqual([413, 'payload_too_large']);
      const list = await request(t.app).get(`/v1/tenants/${client}/snapshots`).set('Authorization', `Bearer ${token}`);
      expect(list.body.items).toEqual([]);
    });
  });
});
