/**
 * Raw exports are sealed at rest (AES-256-GCM, a key id per row): the database never holds the
 * bytes of a config.xml (password hashes, VPN keys) in clear, the SHA-256 stays the plaintext's,
 * and rows written before encryption (no key id) still read back.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../src/db/client.js';
import { createMspWithClient, createTestApp, type TestApp } from '../helpers/app.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const configXml = readFileSync(join(FIXTURES, 'pfsense', 'config.xml'));

describe('raw exports encrypted at rest', () => {
  let t: TestApp;
  let admin: string;
  let client: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ client } = await createMspWithClient(t));
    admin = await t.token([client], 'admin');
  });
  afterAll(() => t.close());

  const ingest = () =>
    request(t.app)
      .post(`/v1/tenants/${client}/snapshots?source=pfsense&instance=sealed-${Math.random().toString(36).slice(2)}`)
      .set('Authorization', `Bearer ${admin}`)
      .set('Content-Type', 'application/xml')
      .send(configXml);

  const parts = (snapshotId: string) =>
    queryRows<{ key_id: string | null; bytes: Buffer | Uint8Array }>(
      t.owner,
      sql`select key_id, bytes from snapshot_parts where snapshot_id = ${snapshotId} order by idx`,
    );

  it('stores the body sealed under the current key, hashes the plaintext, and serves it back as received', async () => {
    const posted = await ingest();
    expect(posted.status).toBe(201);
    expect(posted.body.sha256).toBe(createHash('sha256').update(configXml).digest('hex'));
    const rows = await parts(posted.body.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_id).toBe(t.deps.keyring.current.id);
    const stored = Buffer.from(rows[0]!.bytes);
    expect(stored.includes(Buffer.from('<pfsense>'))).toBe(false);
    expect(stored.equals(configXml)).toBe(false);
    const raw = await request(t.app)
      .get(`/v1/tenants/${client}/snapshots/${posted.body.id}/raw`)
      .set('Authorization', `Bearer ${admin}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(raw.status).toBe(200);
    expect((raw.body as Buffer).equals(configXml)).toBe(true);
  });

  it('reads a row stored before encryption at rest (no key id) as the plaintext it is', async () => {
    const posted = await ingest();
    await t.owner.execute(
      sql`update snapshot_parts set key_id = null, bytes = ${configXml} where snapshot_id = ${posted.body.id}`,
    );
    const raw = await request(t.app)
      .get(`/v1/tenants/${client}/snapshots/${posted.body.id}/raw`)
      .set('Authorization', `Bearer ${admin}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect((raw.body as Buffer).equals(configXml)).toBe(true);
  });

  it('answers 500 without the bytes when a sealed chunk was altered in the database', async () => {
    const posted = await ingest();
    await t.owner.execute(
      sql`update snapshot_parts set bytes = overlay(bytes placing '\\x00'::bytea from 20 for 1) where snapshot_id = ${posted.body.id}`,
    );
    const raw = await request(t.app)
      .get(`/v1/tenants/${client}/snapshots/${posted.body.id}/raw`)
      .set('Authorization', `Bearer ${admin}`);
    expect(raw.status).toBe(500);
    expect(JSON.stringify(raw.body)).not.toMatch(/pfsense|sealed/i);
  });
});
