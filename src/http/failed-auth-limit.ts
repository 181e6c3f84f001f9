/**
 * The failed-authentication limit: an address that got `limit` answers of 401 within the window
 * is refused (429) until the window ends, before its token is even looked at.
 *
 * Not express-rate-limit's `skipSuccessfulRequests` (count every request, take back the ones that
 * did not fail): when the database stops answering, the take-back fails too — or the count, sent
 * to a frozen server, runs after the request gave up — and each request of the outage stays
 * counted as a failed authentication, locking out a well-behaved client for the whole window.
 * Here only a 401, once sent, is counted; the check before a request only reads.
 * NOTE: a burst sent all at once is checked before its first 401 is counted, so up to one
 * burst's worth of 401s gets through; the per-address limit bounds the burst.
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator, type Options, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { AppError } from '../core/errors.js';

/** What the limit needs of an express-rate-limit store (its MemoryStore and the PostgreSQL one both have it). */
export type HitCounter = Pick<Store, 'init' | 'increment'> & Required<Pick<Store, 'get'>>;

/** `store` counts the 401s per address over `windowMs`; the caller gives it to no other limiter. */
export function failedAuthLimit(limit: number, windowMs: number, store: HitCounter, logger: Logger): RequestHandler {
  // both stores read only the window from the limiter's options
  store.init?.({ windowMs } as Options);
  return async (req, res, next) => {
    const key = ipKeyGenerator(req.ip ?? '');
    const seen = await store.get(key);
    if (seen && seen.totalHits >= limit) {
      const resetAt = seen.resetTime?.getTime() ?? Date.now() + windowMs;
      const seconds = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
      res.setHeader('Retry-After', String(seconds));
      throw new AppError('rate_limited', `too many failed authentications from this address; retry after ${seconds} s`);
    }
    res.once('finish', () => {
      if (res.statusCode !== 401) return;
      Promise.resolve(store.increment(key)).catch((err: unknown) =>
        logger.warn({ err }, 'a failed authentication could not be counted'),
      );
    });
    next();
  };
}
