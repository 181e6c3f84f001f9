/**
 * The rate limits (express-rate-limit): per client address on every /v1 request, per token
 * subject once a token is verified, a stricter one per address on the endpoints that need no
 * token, and one that counts only 401s per address and, past its limit, refuses that address
 * everything — a token guesser stops costing us signature checks (failed-auth-limit.ts). A
 * refusal is 429 `rate_limited` with `Retry-After` (the seconds until the window resets; the
 * first three add the draft-8 `RateLimit`/`RateLimit-Policy` headers), as problem+json through
 * the error middleware.
 */
import type { Request, RequestHandler, Response } from 'express';
import { MemoryStore, type Options, rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { RateLimitConfig } from '../config/availability.js';
import { AppError } from '../core/errors.js';
import { failedAuthLimit, type HitCounter } from './failed-auth-limit.js';

export interface RateLimiters {
  /** every /v1 request, by client address (express's `req.ip`, IPv6 by /56) */
  address: RequestHandler;
  /** counts the answers of 401 by client address; refuses the address once past its limit */
  failedAuth: RequestHandler;
  /** the routes that need no token, by client address */
  public: RequestHandler;
  /** authenticated requests, by the subject `limitSubject` reads from `res.locals` */
  subject: RequestHandler;
}

/** Where the route handler leaves the verified token's subject for the subject limiter. */
const SUBJECT = 'rateLimitSubject';

const pass: RequestHandler = (_req, _res, next) => next();

/** A store per limiter name (shared PostgreSQL counters); undefined: each limiter counts in memory. */
export type RateLimitStoreFactory = (name: string) => Store & HitCounter;

/** Limiters for one app. A limit of 0 is no limiter at all. */
export function buildRateLimiters(
  config: RateLimitConfig,
  storeFor: RateLimitStoreFactory | undefined,
  logger: Logger,
): RateLimiters {
  const make = (name: string, limit: number, detail: string, extra: Partial<Options> = {}): RequestHandler => {
    if (limit === 0) return pass;
    return rateLimit({
      windowMs: config.windowMs,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: name,
      store: storeFor?.(name),
      logger: { error: (err, msg) => logger.error({ err }, msg), warn: (err, msg) => logger.warn({ err }, msg) },
      handler: (_req, res, next) =>
        next(new AppError('rate_limited', `${detail}; retry after ${res.getHeader('Retry-After')} s`)),
      ...extra,
    });
  };
  return {
    address: make('address', config.perAddress, 'too many requests from this address'),
    failedAuth:
      config.failedAuth === 0
        ? pass
        : failedAuthLimit(
            config.failedAuth,
            config.failedAuthWindowMs,
            storeFor?.('failed-auth') ?? new MemoryStore(),
            logger,
          ),
    public: make('public', config.public, 'too many requests to this public endpoint from this address'),
    subject: make('subject', config.perSubject, 'too many requests for this token subject', {
      keyGenerator: (_req, res) => String(res.locals[SUBJECT]),
    }),
  };
}

/** Counts one request of `subject` (a verified token's `sub`); rejects with `rate_limited` past the limit. */
export function limitSubject(limiters: RateLimiters, req: Request, res: Response, subject: string): Promise<void> {
  res.locals[SUBJECT] = subject;
  return new Promise((resolve, reject) =>
    limiters.subject(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
  );
}
