/**
 * Preloaded into the server by `bench/pool.mjs --probe` (`node --import …/loop-probe.mjs`): what
 * holds this thread's event loop. Records
 *
 *   - the event loop's delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution): max, p99, p50;
 *   - every PGlite `execProtocolRaw` call made on this thread — the WebAssembly Postgres runs
 *     synchronously inside it, so its wall time is time the loop is held — grouped by the protocol
 *     message's type and the statement it belongs to (the text of the last Parse / Query message),
 *     with count, total and longest.
 *
 * Written as JSON at exit to `$POSTURE_LOOP_PROBE` (the main thread) or `$POSTURE_LOOP_PROBE.t<id>`
 * (a worker thread that ran PGlite calls). SIGUSR2 resets both (start-up is not what is measured).
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const out = process.env.POSTURE_LOOP_PROBE;
if (out && isMainThread) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const calls = new Map();
  // this thread's memory, sampled: what of the process's peak RSS is this thread's V8 heap
  const memory = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    for (const k of Object.keys(memory)) memory[k] = Math.max(memory[k], m[k]);
  }, 50);
  sampler.unref();
  let statement = '?';
  const decoder = new TextDecoder();
  const cstring = (bytes, at) => {
    const end = bytes.indexOf(0, at);
    return { text: decoder.decode(bytes.subarray(at, end < 0 ? bytes.length : end)), next: end + 1 };
  };
  const original = PGlite.prototype.execProtocolRaw;
  PGlite.prototype.execProtocolRaw = async function (message, ...rest) {
    const type = String.fromCharCode(message[0]);
    if (type === 'P') statement = cstring(message, cstring(message, 5).next).text;
    else if (type === 'Q') statement = cstring(message, 5).text;
    const label = `${type} ${statement.replace(/\s+/g, ' ').slice(0, 90)}`;
    const t = performance.now();
    try {
      return await original.call(this, message, ...rest);
    } finally {
      const took = performance.now() - t;
      const c = calls.get(label) ?? { count: 0, totalMs: 0, maxMs: 0, bytesMax: 0 };
      c.count++;
      c.totalMs += took;
      c.maxMs = Math.max(c.maxMs, took);
      c.bytesMax = Math.max(c.bytesMax, message.byteLength);
      calls.set(label, c);
    }
  };
  // `kill -USR2 <pid>`: start over (the bench sends it just before the ingest, after start-up)
  process.on('SIGUSR2', () => {
    h.reset();
    calls.clear();
    for (const k of Object.keys(memory)) memory[k] = 0;
  });
  process.on('exit', () => {
    h.disable();
    const round = (n) => Number(n.toFixed(1));
    const top = [...calls.entries()]
      .map(([label, c]) => ({
        label,
        count: c.count,
        totalMs: round(c.totalMs),
        maxMs: round(c.maxMs),
        bytesMax: c.bytesMax,
      }))
      .sort((a, b) => b.maxMs - a.maxMs)
      .slice(0, 15);
    const all = [...calls.values()].reduce((s, c) => s + c.totalMs, 0);
    const report = {
      thread: 'main',
      eventLoopDelayMs: {
        max: round(h.max / 1e6),
        p99: round(h.percentile(99) / 1e6),
        p50: round(h.percentile(50) / 1e6),
      },
      peakMemoryMB: Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Math.round(v / 1e6)])),
      pgliteCallsOnThisThread: { totalMs: round(all), longest: top },
    };
    writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);
  });
}
