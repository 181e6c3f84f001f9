/**
 * A request body must keep coming: one that stalls, or trickles in slower than a minimum rate,
 * is cut with 408 `request_timeout` (and the connection closed), so a client cannot hold a
 * connection and a buffer open by sending a byte a second.
 */
import type { Request } from 'express';
import { AppError } from '../core/errors.js';
import type { BodyTimeouts } from '../config/availability.js';

/** The checks run this many times per (shorter) window: a cut comes at most a tenth late. */
const TICKS_PER_WINDOW = 10;

/**
 * Runs `read`, which must start consuming `req` before it returns (express.raw and readBody
 * do), and settles as it does — unless the body stalls for `stallMs`, or fewer than
 * `minBytesPerSecond × windowMs` bytes arrive in any `windowMs`: then it rejects with
 * `request_timeout` and stops reading (the reader's own promise is left to fail quietly when
 * the connection closes after the 408). Bodies already received in full are never cut.
 */
export function readWithin<T>(req: Request, limits: BodyTimeouts, read: () => Promise<T>): Promise<T> {
  const reading = read();
  return new Promise<T>((resolve, reject) => {
    const watch = watchBody(req, limits, (why) => {
      reading.catch(() => {});
      req.pause();
      reject(new AppError('request_timeout', why));
    });
    reading.then(
      (value) => {
        watch.stop();
        resolve(value);
      },
      (err: unknown) => {
        watch.stop();
        reject(err);
      },
    );
  });
}

interface Watch {
  stop(): void;
}

/** Counts the body's bytes as the reader takes them and calls `cut` once a limit is broken. */
function watchBody(req: Request, limits: BodyTimeouts, cut: (why: string) => void): Watch {
  const tickMs = Math.max(10, Math.min(limits.stallMs, limits.windowMs) / TICKS_PER_WINDOW);
  const perWindow = Math.ceil(limits.windowMs / tickMs);
  const needed = (limits.minBytesPerSecond * limits.windowMs) / 1000;
  // cumulative byte counts at each tick of the last window, oldest first
  const samples: number[] = [0];
  let bytes = 0;
  let lastProgress = performance.now();
  const onData = (chunk: Buffer | string) => {
    bytes += chunk.length;
    lastProgress = performance.now();
  };
  // NOTE: a 'data' listener on a stream nobody reads yet would start it flowing and lose bytes,
  // so bytes are counted from the moment the reader has taken the stream in hand.
  let listening = false;
  const listen = () => {
    if (listening || req.readableFlowing === null) return;
    req.on('data', onData);
    listening = true;
  };
  listen();
  const timer = setInterval(() => {
    if (req.complete) return stop();
    listen();
    samples.push(bytes);
    if (samples.length > perWindow + 1) samples.shift();
    if (performance.now() - lastProgress >= limits.stallMs)
      return fail(`no body bytes arrived for ${seconds(limits.stallMs)}`);
    if (samples.length > perWindow && bytes - samples[0]! < needed)
      return fail(`the body arrived slower than ${limits.minBytesPerSecond} bytes/s over ${seconds(limits.windowMs)}`);
  }, tickMs);
  const stop = () => {
    clearInterval(timer);
    req.off('data', onData);
  };
  const fail = (why: string) => {
    stop();
    cut(why);
  };
  return { stop };
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
