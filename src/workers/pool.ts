/**
 * The service's `Work` (domain/work.ts): a piscina pool of worker threads running worker.ts.
 *
 * - `threads` threads, each with a V8 old-generation heap of `heapMb` (resourceLimits): a task
 *   that needs more ends its thread with ERR_WORKER_OUT_OF_MEMORY — answered 413
 *   export_too_complex — and piscina starts a fresh thread in its place; the others never notice.
 * - Admission: a request's first task is refused with 503 service_busy (Retry-After) when every
 *   thread is busy and `queue` tasks already wait. A task that continues an admitted request (the
 *   evaluation after an ingest stored its snapshot) always waits its turn, so nothing is refused
 *   half-way; there is at most one such task per admitted request, which keeps the queue bounded.
 * - Bytes cross as transferred buffers (no copy either way); documents as JSON text.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Gauge, type Registry } from 'prom-client';
import type { WorkerConfig } from '../config/workers.js';
import { AppError } from '../core/errors.js';
import type { EvaluationOutput } from '../core/results.js';
import type { CatalogFiles } from '../engine/compile-catalog.js';
import type { EvaluateTask, PreparedSnapshot, PrepareTask, RenderTask, Work, WorkOptions } from '../domain/work.js';
import type { Reply } from './reply.js';
import type { WorkerData } from './worker.js';

export interface WorkPool extends Work {
  /** tasks submitted and not yet settled (running or waiting), by task name */
  inFlight(): Record<TaskName, number>;
  /** finish the running tasks' threads and stop */
  close(): Promise<void>;
}

export interface WorkPoolOptions {
  config: WorkerConfig;
  /** the rule and pack file texts the service's catalogue was compiled from */
  ruleFiles: CatalogFiles;
  /** where `posture_worker_tasks` is registered */
  registry?: Registry;
  /** told of a thread that died with no task on it (its replacement is already starting) */
  onIdleError?: (err: Error) => void;
}

type TaskName = 'prepare' | 'evaluate' | 'render';

export function createWorkPool(opts: WorkPoolOptions): WorkPool {
  const { threads, queue, heapMb } = opts.config;
  const workerData: WorkerData = { ruleFiles: opts.ruleFiles };
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    // admission is decided below; piscina's own queue holds what was admitted
    maxQueue: Number.POSITIVE_INFINITY,
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
    // NOTE: piscina first tries `require(filename)`. Node 20.19+ lets require() load ES modules,
    // and on our worker's module graph that once aborted the whole process (V8 fatal error
    // "IsGraphAsync must be used on an instantiated module", seen in a CI run). Without
    // require(esm) the require fails cleanly (ERR_REQUIRE_ESM) and piscina imports the file.
    execArgv: [...process.execArgv, '--no-experimental-require-module'],
    workerData,
  });
  pool.on('error', (err: Error) => opts.onIdleError?.(err));
  const counts: Record<TaskName, number> = { prepare: 0, evaluate: 0, render: 0 };
  const total = () => counts.prepare + counts.evaluate + counts.render;
  const gauge = new Gauge({
    name: 'posture_worker_tasks',
    help: 'Worker-pool tasks submitted and not yet settled (running or waiting), by task',
    labelNames: ['task'] as const,
    registers: opts.registry ? [opts.registry] : [],
    collect() {
      for (const [task, n] of Object.entries(counts)) this.set({ task }, n);
    },
  });
  void gauge;

  async function run<T>(name: TaskName, task: unknown, transfer: ArrayBuffer[], o: WorkOptions = {}): Promise<T> {
    if (!o.admitted && total() >= threads + queue)
      throw new AppError(
        'service_busy',
        `every worker is busy and ${queue} task${queue === 1 ? '' : 's'} already wait${queue === 1 ? 's' : ''}: retry later`,
      );
    counts[name]++;
    let reply: Reply<T>;
    try {
      reply = await pool.run(task, { name, transferList: transfer });
    } catch (err) {
      throw workerFailure(name, err);
    } finally {
      counts[name]--;
    }
    if (reply.ok) return reply.value;
    throw new AppError(reply.error.code, reply.error.detail, reply.error.errors);
  }

  return {
    async prepare(task: PrepareTask, o?: WorkOptions): Promise<PreparedSnapshot> {
      const body = wholeBuffer(task.body);
      const out = await run<PreparedSnapshot>('prepare', { ...task, body }, [body.buffer as ArrayBuffer], o);
      return { ...out, body: asBuffer(out.body) };
    },
    evaluate(task: EvaluateTask, o?: WorkOptions): Promise<EvaluationOutput> {
      return run<EvaluationOutput>('evaluate', task, [], o);
    },
    async render(task: RenderTask, o?: WorkOptions): Promise<Buffer> {
      return asBuffer(await run<Uint8Array>('render', task, [], o));
    },
    inFlight: () => ({ ...counts }),
    close: () => pool.destroy(),
  };
}

/** A thread that died under a task: out of heap is the input's fault (413); anything else is ours (500). */
function workerFailure(name: TaskName, err: unknown): Error {
  if ((err as { code?: unknown })?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const what = {
      prepare: 'reading this export',
      evaluate: 'evaluating this evidence',
      render: 'rendering this report',
    }[name];
    return new AppError(
      'export_too_complex',
      `${what} needs more memory than a worker may use (POSTURE_WORKER_HEAP_MB); send a smaller export`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * The bytes on an ArrayBuffer of their own, to be transferred: a body read into one buffer
 * already is (no copy); a slice of a bigger or shared one (Node's pool for small buffers, which
 * must never be transferred) is copied, which costs little since such bodies are small.
 */
function wholeBuffer(bytes: Buffer): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer && bytes.byteLength >= 4096 ? bytes : new Uint8Array(bytes);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * worker.js next to this file (dist/workers/ once built). Run from the sources (jest with
 * ts-jest), this file is pool.ts and a thread cannot load TypeScript: the built one is used,
 * so `npm run build` comes first (npm test does it).
 */
export function workerFile(): string {
  const sibling = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL('../../dist/workers/worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`the worker thread's code is missing (${built}): run npm run build`);
}
