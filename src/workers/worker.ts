/**
 * A worker thread's entry (piscina loads it): the pure CPU steps of `domain/work-steps.ts`, one
 * exported function per task name. The thread compiles the rule catalogue once, from the rule
 * file texts the pool hands over (`workerData`), so it judges with exactly the service's rules.
 *
 * A step's refusal (an AppError) comes back as data — `{ ok: false, error }` — since a thrown
 * error crossing threads keeps only its message. Bytes go back transferred, never copied.
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import type { CatalogFiles } from '../engine/compile-catalog.js';
import { compileCatalog } from '../engine/compile-catalog.js';
import { AppError } from '../core/errors.js';
import { evaluateSnapshots, prepareSnapshot, renderUnsigned } from '../domain/work-steps.js';
import type { EvaluateTask, PrepareTask, RenderTask } from '../domain/work.js';
import type { Reply } from './reply.js';

export interface WorkerData {
  ruleFiles: CatalogFiles;
}

const catalog = compileCatalog((workerData as WorkerData).ruleFiles);

export function prepare(task: PrepareTask) {
  return replying(async () => {
    const result = await prepareSnapshot({ ...task, body: asBuffer(task.body) });
    return moved(result, result.body);
  });
}

export function evaluate(task: EvaluateTask) {
  return replying(async () => ({ ok: true, value: evaluateSnapshots(catalog, task) }));
}

export function render(task: RenderTask) {
  return replying(async () => {
    const pdf = await renderUnsigned(task);
    return moved(pdf, pdf);
  });
}

/** A structured clone of a Buffer arrives as a plain Uint8Array: the same bytes, as a Buffer again. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `{ ok: true, value }` with `bytes`' buffer transferred to the pool, not copied (when it is the buffer's whole). */
function moved<T>(value: T, bytes: Uint8Array): unknown {
  const reply: Reply<T> = { ok: true, value };
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  if (!whole || !(bytes.buffer instanceof ArrayBuffer)) return reply;
  return move({
    get [transferableSymbol]() {
      return [bytes.buffer];
    },
    get [valueSymbol]() {
      return reply;
    },
  } as never);
}

async function replying(step: () => Promise<unknown>): Promise<unknown> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const reply: Reply<never> = { ok: false, error: { code: err.code, detail: err.detail, errors: err.errors } };
    return reply;
  }
}
