import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { minimumHeapMb, workerConfig } from '../../src/config/workers.js';

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig: the worker pool', () => {
  it('defaults to one thread per core, a queue of 8 and a 1024 MB heap per thread', () => {
    expect(loadConfig({}).workers).toEqual({ threads: availableParallelism(), queue: 8, heapMb: 1024 });
  });

  it('has at least one thread whatever the core count says', () => {
    expect(workerConfig({}, 0).threads).toBe(1);
    expect(workerConfig({}, 6).threads).toBe(6);
  });

  it('reads every variable', () => {
    expect(
      loadConfig({ POSTURE_WORKERS: '3', POSTURE_WORKER_QUEUE: '0', POSTURE_WORKER_HEAP_MB: '256' }).workers,
    ).toEqual({ threads: 3, queue: 0, heapMb: 256 });
  });

  it('refuses a heap too small for the largest export (one string past the limit aborts the process)', () => {
    expect(minimumHeapMb(50 * 1024 * 1024)).toBe(132);
    expect(fails({ POSTURE_WORKER_HEAP_MB: '131' })).toBe(
      'POSTURE_WORKER_HEAP_MB must be at least 132 when POSTURE_MAX_SNAPSHOT_BYTES is 52428800 (twice the largest export plus 32 MB; got 131)',
    );
    expect(loadConfig({ POSTURE_WORKER_HEAP_MB: '132' }).workers.heapMb).toBe(132);
    expect(
      loadConfig({ POSTURE_WORKER_HEAP_MB: '64', POSTURE_MAX_SNAPSHOT_BYTES: String(16 * 1024 * 1024) }).workers.heapMb,
    ).toBe(64);
  });

  it('raises the default heap, when unset, to fit a raised snapshot limit', () => {
    const mb = 1024 * 1024;
    expect(loadConfig({ POSTURE_MAX_SNAPSHOT_BYTES: String(600 * mb) }).workers.heapMb).toBe(1232);
    expect(loadConfig({ POSTURE_MAX_SNAPSHOT_BYTES: String(100 * mb) }).workers.heapMb).toBe(1024);
  });

  it('refuses values out of range, naming the variable and the range', () => {
    expect(fails({ POSTURE_WORKERS: '0' })).toBe('POSTURE_WORKERS must be between 1 and 256 (got 0)');
    expect(fails({ POSTURE_WORKERS: '257' })).toBe('POSTURE_WORKERS must be between 1 and 256 (got 257)');
    expect(fails({ POSTURE_WORKER_QUEUE: '10001' })).toBe(
      'POSTURE_WORKER_QUEUE must be between 0 and 10000 (got 10001)',
    );
    expect(fails({ POSTURE_WORKER_HEAP_MB: '63' })).toBe(
      'POSTURE_WORKER_HEAP_MB must be between 64 and 65536 (got 63)',
    );
  });

  it('refuses what is not a whole number, with what it expects', () => {
    expect(fails({ POSTURE_WORKERS: 'two' })).toBe(
      'POSTURE_WORKERS must be a number of worker threads (1-256) (got "two")',
    );
    expect(fails({ POSTURE_WORKER_HEAP_MB: '-1' })).toMatch(/^POSTURE_WORKER_HEAP_MB must be a heap size in MB/);
  });
});
