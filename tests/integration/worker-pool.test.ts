/**
 * The worker pool through HTTP: parsing, normalising, evaluating and rendering run in worker
 * threads with a bounded queue and a heap limit per thread. A full queue is 503 service_busy with
 * Retry-After and stores nothing; an export past a worker's heap is 413 export_too_complex and the
 * pool keeps serving; the event loop answers /healthz while a worker is busy.
 */
import request from 'supertest';
import { createMspWithClient, createTestApp, type TenantPair, type TestApp } from '../helpers/app.js';
import { expectContract } from '../helpers/contract.js';
import { tenantRows } from '../helpers/rows.js';

/**
 * A SentinelOne export of `n` agents that carry only an id and a name: little text, many objects.
 * `invalidLast`: the last agent's activeThreats is a string, so the export is refused (422) only
 * once a worker has read all of it.
 */
function sparseAgents(n: number, prefix = 'H', invalidLast = false): string {
  const data: Record<string, unknown>[] = Array.from({ length: n }, (_, i) => ({
    id: `3${String(i).padStart(18, '0')}`,
    computerName: `${prefix}${i}`,
  }));
  if (invalidLast) data[n - 1]!.activeThreats = 'two';
  return JSON.stringify({ data });
}

const ingest = (t: TestApp, token: string, tenant: string, body: string) =>
  request(t.app)
    .post(`/v1/tenants/${tenant}/snapshots?source=sentinelone`)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'application/json')
    .send(body);

/** The pool's tasks in flight, as /metrics shows them. */
async function tasksInFlight(t: TestApp, task: string): Promise<number> {
  const res = await request(t.app).get('/metrics').expect(200);
  const line = res.text.split('\n').find((l) => l.startsWith(`posture_worker_tasks{task="${task}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a full worker queue', () => {
  let t: TestApp;
  let pair: TenantPair;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { POSTURE_WORKERS: '1', POSTURE_WORKER_QUEUE: '0' } });
    pair = await createMspWithClient(t);
    token = await t.token([pair.msp], 'admin');
  });
  afterAll(() => t.close());

  it('answers a concurrent ingest 503 service_busy with Retry-After, stores nothing of it, and /healthz meanwhile', async () => {
    // the first ingest keeps the only worker busy reading 300,000 agents (and is refused at the
    // last one: what is measured here is the queue, not the database writes of 300,000 endpoints)
    const first = ingest(t, token, pair.client, sparseAgents(300_000, 'H', true)).then((r) => r);
    await waitFor(async () => (await tasksInFlight(t, 'prepare')) === 1, 60_000);

    const health = await request(t.app).get('/healthz');
    expect(health.status).toBe(200);

    const second = await ingest(t, token, pair.msp, sparseAgents(3, 'second-'));
    expect(second.status).toBe(503);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.headers['retry-after']).toBe('5');
    expect(second.body).toMatchObject({ status: 503, code: 'service_busy', type: 'urn:posture:problem:service_busy' });
    expect(second.body.detail).toMatch(/busy/);
    expectContract(second, 'post', '/v1/tenants/x/snapshots');
    expect(JSON.stringify(second.body)).not.toMatch(/at .*\.(ts|js):\d+/);

    const done = await first;
    expect(done.status).toBe(422);
    expect(done.body.code).toBe('invalid_export');
    expect(await tenantRows(t.owner, pair.client)).toMatchObject({ snapshots: 0, parts: 0, evaluations: 0 });
    expect(await tenantRows(t.owner, pair.msp)).toMatchObject({
      snapshots: 0,
      parts: 0,
      snapshotAudit: 0,
      evaluations: 0,
    });
    // with the worker free again, the same request is served, and its evaluation with it
    const again = await ingest(t, token, pair.msp, sparseAgents(3, 'second-'));
    expect(again.status).toBe(201);
    expect(await tenantRows(t.owner, pair.msp)).toMatchObject({ snapshots: 1, snapshotAudit: 1, evaluations: 1 });
  });
});

describe('an export past a worker heap limit', () => {
  let t: TestApp;
  let pair: TenantPair;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        POSTURE_WORKERS: '1',
        POSTURE_WORKER_HEAP_MB: '64',
        POSTURE_MAX_SNAPSHOT_BYTES: String(16 * 1024 * 1024),
      },
    });
    pair = await createMspWithClient(t);
    token = await t.token([pair.client], 'admin');
  });
  afterAll(() => t.close());

  it('is 413 export_too_complex, stores nothing, and the next request is served', async () => {
    const big = await ingest(t, token, pair.client, sparseAgents(150_000));
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(big.body).toMatchObject({ status: 413, code: 'export_too_complex' });
    expect(big.body.detail).toMatch(/more memory than a worker may use/);
    expectContract(big, 'post', '/v1/tenants/x/snapshots');
    expect(await tenantRows(t.owner, pair.client)).toMatchObject({ snapshots: 0, parts: 0, evaluations: 0 });

    const small = await ingest(t, token, pair.client, sparseAgents(3));
    expect(small.status).toBe(201);
    expect(small.body.itemCount).toBe(3);
    expect(small.body.evaluation.id).toEqual(expect.any(String));
  });
});
