/**
 * The worker pool that parses, normalises, evaluates and renders off the HTTP event loop: how
 * many threads, how many tasks may wait for one, and how much heap each thread may use.
 */
import { availableParallelism } from 'node:os';
import { bounded, ConfigError } from './bounded.js';

export interface WorkerConfig {
  /** worker threads (POSTURE_WORKERS; default: the machine's cores, at least 1) */
  threads: number;
  /**
   * tasks that may wait for a free thread (POSTURE_WORKER_QUEUE); past it a new request is
   * answered 503 service_busy with Retry-After. 0: none wait.
   */
  queue: number;
  /** a thread's V8 old-generation heap, in MB (POSTURE_WORKER_HEAP_MB); past it the task is 413 export_too_complex */
  heapMb: number;
}

export const DEFAULT_WORKER_QUEUE = 8;
export const DEFAULT_WORKER_HEAP_MB = 1024;

/** The workers section of the Config; `cores` is the default thread count (the machine's, unless a test says). */
export function workerConfig(raw: Record<string, string>, cores: number = availableParallelism()): WorkerConfig {
  return {
    threads: bounded('POSTURE_WORKERS', raw.POSTURE_WORKERS, Math.max(1, cores), 1, 256),
    queue: bounded('POSTURE_WORKER_QUEUE', raw.POSTURE_WORKER_QUEUE, DEFAULT_WORKER_QUEUE, 0, 10_000),
    heapMb: bounded('POSTURE_WORKER_HEAP_MB', raw.POSTURE_WORKER_HEAP_MB, DEFAULT_WORKER_HEAP_MB, 64, 65_536),
  };
}

/**
 * The smallest heap a worker may have when exports reach `maxSnapshotBytes`: twice the export (it
 * is one string in the worker, two bytes a character at worst) plus 32 MB (the rule catalogue and
 * the rest). NOTE: Node ends a worker that runs out of heap gracefully only while one allocation
 * fits within 16 MB past its limit; a larger single allocation (the export's text) aborts the whole
 * process. Measured here: a 100 MB export in a 64 MB worker aborted the process; in a 160 MB one it
 * was a clean ERR_WORKER_OUT_OF_MEMORY.
 */
export function minimumHeapMb(maxSnapshotBytes: number): number {
  return Math.ceil((2 * maxSnapshotBytes) / (1024 * 1024)) + 32;
}

/**
 * The heap, checked against the largest export: unset, it is at least the minimum (a deployment
 * that raised POSTURE_MAX_SNAPSHOT_BYTES keeps starting); set too small, it is a ConfigError.
 */
export function heapFitsExports(workers: WorkerConfig, maxSnapshotBytes: number, heapSet: boolean): WorkerConfig {
  const least = minimumHeapMb(maxSnapshotBytes);
  if (!heapSet) return { ...workers, heapMb: Math.max(workers.heapMb, least) };
  if (workers.heapMb < least)
    throw new ConfigError(
      `POSTURE_WORKER_HEAP_MB must be at least ${least} when POSTURE_MAX_SNAPSHOT_BYTES is ${maxSnapshotBytes} (twice the largest export plus 32 MB; got ${workers.heapMb})`,
    );
  return workers;
}
