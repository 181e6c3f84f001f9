/**
 * `posture audit verify` (through the service, and offline on a stopped embedded database) and
 * `posture rotate-data-key` (a new key first in the data dir's keyring; --reencrypt re-seals every
 * raw export, which stays readable). On the embedded database: these are the data dir's commands.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../../src/db/client.js';
import { fileAad } from '../../src/db/attestations.js';
import { keyringOf, open, parseKeys } from '../../src/core/sealing.js';
import { adminToken, cli, fetchOnce, processEnv, type Running, SPAWNS_MS, startService } from '../helpers/process.js';
import { uniqueSlug } from '../helpers/app.js';

// the built service and CLI, several times per test
import.meta.jest.setTimeout(SPAWNS_MS);

const ATTESTED_TEXT = 'Q1 audit log review: nothing unexplained.\n';

describe('posture audit verify and rotate-data-key (embedded database)', () => {
  let dir: string;
  let service: Running | undefined;
  const slug = uniqueSlug('audited');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'posture-cli-audit-'));
    service = await startService(dir, { embedded: true, seeded: true });
    const token = adminToken(dir);
    const base = `http://127.0.0.1:${service.port}`;
    const post = (path: string, body: string, type = 'application/json') =>
      fetchOnce(`${base}${path}`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
      });
    expect((await post('/v1/tenants', JSON.stringify({ slug, name: 'Audited', kind: 'client' }))).status).toBe(201);
    const doc = { users: [], policies: [] };
    const ingest = await post(`/v1/tenants/${slug}/snapshots?source=canonical&kind=identity`, JSON.stringify(doc));
    expect(ingest.status).toBe(201);
    // an attestation with an evidence file: sealed at rest like the raw exports, and re-sealed with them
    const boundary = 'posture-test-boundary';
    const json = JSON.stringify({
      packId: 'hipaa-security-rule',
      requirementId: '164.308(a)(1)(ii)(D)',
      statement: 'Audit logs are reviewed monthly.',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const multipart = [
      `--${boundary}\r\nContent-Disposition: form-data; name="attestation"\r\n\r\n${json}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="review.txt"\r\nContent-Type: text/plain\r\n\r\n${ATTESTED_TEXT}\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const attested = await post(
      `/v1/tenants/${slug}/attestations`,
      multipart,
      `multipart/form-data; boundary=${boundary}`,
    );
    expect(attested.status).toBe(201);
    const env = { ...processEnv(dir, {}, { embedded: true }), POSTURE_TOKEN: token };
    const online = cli(['audit', 'verify', '--tenant', slug, '--server', base], env);
    expect({ status: online.status, out: online.stdout }).toMatchObject({
      status: 0,
      out: expect.stringContaining(`${slug}: intact`),
    });
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    service = undefined;
  });
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => processEnv(dir, {}, { embedded: true });

  it('checks the chain offline, and finds an edited entry (exit 1)', async () => {
    const intact = cli(['audit', 'verify'], env());
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(new RegExp(`^${slug}: intact, 4 entries checked, head seq 4 [0-9a-f]{64}$`, 'm'));
    const db = await openDatabase({ dataDir: join(dir) });
    await db.db.execute(
      sql`update audit_log set actor = 'forged' where seq = 2 and tenant_id = (select id from tenants where slug = ${slug})`,
    );
    await db.close();
    const broken = cli(['audit', 'verify', '--tenant', slug], env());
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(
      new RegExp(`^${slug}: BROKEN, 1 entries checked: broken at seq 2 \\(content_altered`, 'm'),
    );
  });

  it('rotates the data key and re-seals every raw export under it', async () => {
    const rotated = cli(['rotate-data-key'], env());
    expect({ status: rotated.status, stderr: rotated.stderr }).toEqual({ status: 0, stderr: '' });
    expect(rotated.stdout).toMatch(/new current data key k2/);
    expect(readFileSync(join(dir, 'data-keys'), 'utf8')).toMatch(/^k2:.*\nk1:/);
    const resealed = cli(['rotate-data-key', '--reencrypt'], env());
    expect({ status: resealed.status, stderr: resealed.stderr }).toEqual({ status: 0, stderr: '' });
    expect(resealed.stdout).toMatch(/re-sealed 1 raw export chunk/);
    expect(resealed.stdout).toMatch(/re-sealed 1 attestation file\(s\)/);
    const db = await openDatabase({ dataDir: dir });
    const keys = await queryRows<{ key_id: string }>(db.db, sql`select distinct key_id from snapshot_parts`);
    const files = await queryRows<{
      tenant_id: string;
      attestation_id: string;
      idx: number;
      key_id: string;
      bytes: Uint8Array;
    }>(db.db, sql`select tenant_id, attestation_id, idx, key_id, bytes from attestation_files`);
    await db.close();
    expect(keys).toEqual([{ key_id: 'k2' }]);
    // the file opens under the new key, bound to where it is stored
    const ring = keyringOf(parseKeys(readFileSync(join(dir, 'data-keys'), 'utf8')));
    expect(files.map((f) => f.key_id)).toEqual(['k2']);
    const f = files[0]!;
    expect(open(ring, f.key_id, f.bytes, fileAad(f.tenant_id, f.attestation_id, f.idx)).toString()).toBe(ATTESTED_TEXT);
    // the raw export still reads back, through the service, under the new key
    service = await startService(dir, { embedded: true });
    const token = adminToken(dir);
    const base = `http://127.0.0.1:${service.port}`;
    const list = (await (
      await fetchOnce(`${base}/v1/tenants/${slug}/snapshots`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: { id: string }[] };
    const raw = await fetchOnce(`${base}/v1/tenants/${slug}/snapshots/${list.items[0]!.id}/raw`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await raw.json()).toEqual({ users: [], policies: [] });
  });
});
