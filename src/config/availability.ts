/**
 * The configuration that keeps one client, one slow body or one stuck database from taking the
 * service down: database time-outs, rate limits, request body and header time-outs, and which
 * proxies tell us the client's address. Every value has a default (README, Configuration).
 */
import ipaddr from 'ipaddr.js';
import { bounded, ConfigError } from './bounded.js';

/** Time-outs of the PostgreSQL pool (ignored by the embedded PGlite, which runs in this process). */
export interface DatabaseTimeouts {
  /** a new connection, or a free one from the pool, within this or the query fails */
  connectTimeoutMs: number;
  /** the server cancels a statement after this (`statement_timeout`); the client gives up 1 s later */
  statementTimeoutMs: number;
  /** the server ends a session idle inside a transaction for this long */
  idleInTransactionTimeoutMs: number;
}

/** Requests allowed per window; 0 turns a limit off. */
export interface RateLimitConfig {
  windowMs: number;
  /** every /v1 request, by client address */
  perAddress: number;
  /** authenticated requests, by token subject */
  perSubject: number;
  /** requests to the endpoints that need no token (POST /v1/reports/verify), by client address */
  public: number;
  /** answers of 401 per client address within `failedAuthWindowMs`; past it every request is refused */
  failedAuth: number;
  failedAuthWindowMs: number;
}

/** A request body that stalls for `stallMs`, or averages under `minBytesPerSecond` over any `windowMs`, is cut (408). */
export interface BodyTimeouts {
  stallMs: number;
  /** 0: no rate check (the stall check stays) */
  minBytesPerSecond: number;
  windowMs: number;
}

export interface AvailabilityConfig {
  database: DatabaseTimeouts;
  rateLimit: RateLimitConfig;
  bodyTimeout: BodyTimeouts;
  /** the request line and headers must arrive within this (node's `server.headersTimeout`) */
  headersTimeoutMs: number;
  /** express `trust proxy`: hops, or the proxies' addresses and subnets; false: the peer is the client */
  trustProxy: number | string[] | false;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The availability section of the Config, from the raw (schema-checked) environment. */
export function availabilityConfig(raw: Record<string, string>): AvailabilityConfig {
  return {
    database: {
      connectTimeoutMs: bounded('POSTURE_DB_CONNECT_TIMEOUT_MS', raw.POSTURE_DB_CONNECT_TIMEOUT_MS, 5000, 100, HOUR),
      statementTimeoutMs: bounded(
        'POSTURE_DB_STATEMENT_TIMEOUT_MS',
        raw.POSTURE_DB_STATEMENT_TIMEOUT_MS,
        15_000,
        100,
        HOUR,
      ),
      idleInTransactionTimeoutMs: bounded(
        'POSTURE_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
        raw.POSTURE_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        MINUTE,
        1000,
        HOUR,
      ),
    },
    rateLimit: rateLimitConfig(raw),
    bodyTimeout: {
      stallMs: bounded('POSTURE_BODY_STALL_TIMEOUT_MS', raw.POSTURE_BODY_STALL_TIMEOUT_MS, 10_000, 100, 10 * MINUTE),
      minBytesPerSecond: bounded(
        'POSTURE_BODY_MIN_BYTES_PER_SECOND',
        raw.POSTURE_BODY_MIN_BYTES_PER_SECOND,
        1024,
        0,
        2 ** 30,
      ),
      windowMs: bounded('POSTURE_BODY_RATE_WINDOW_MS', raw.POSTURE_BODY_RATE_WINDOW_MS, 10_000, 100, 10 * MINUTE),
    },
    headersTimeoutMs: bounded('POSTURE_HEADERS_TIMEOUT_MS', raw.POSTURE_HEADERS_TIMEOUT_MS, 10_000, 1000, 10 * MINUTE),
    trustProxy: trustProxy(raw.POSTURE_TRUST_PROXY),
  };
}

function rateLimitConfig(raw: Record<string, string>): RateLimitConfig {
  const count = (name: string, fallback: number) => bounded(name, raw[name], fallback, 0, 1_000_000_000);
  return {
    windowMs: bounded('POSTURE_RATE_LIMIT_WINDOW_MS', raw.POSTURE_RATE_LIMIT_WINDOW_MS, MINUTE, 1000, 24 * HOUR),
    perAddress: count('POSTURE_RATE_LIMIT_PER_ADDRESS', 600),
    perSubject: count('POSTURE_RATE_LIMIT_PER_SUBJECT', 300),
    public: count('POSTURE_RATE_LIMIT_PUBLIC', 30),
    failedAuth: count('POSTURE_RATE_LIMIT_FAILED_AUTH', 20),
    failedAuthWindowMs: bounded(
      'POSTURE_RATE_LIMIT_FAILED_AUTH_WINDOW_MS',
      raw.POSTURE_RATE_LIMIT_FAILED_AUTH_WINDOW_MS,
      15 * MINUTE,
      1000,
      24 * HOUR,
    ),
  };
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `POSTURE_TRUST_PROXY`: a hop count (1–9), or a comma-separated list of `loopback`, `linklocal`,
 * `uniquelocal`, addresses and CIDR subnets. Never "trust everyone": then any client could name
 * its own address in X-Forwarded-For and step around every per-address limit.
 */
function trustProxy(value: string | undefined): AvailabilityConfig['trustProxy'] {
  if (value === undefined) return false;
  if (/^[1-9]$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!NAMED_RANGES.has(entry) && !isAddressOrSubnet(entry))
      throw new ConfigError(
        `POSTURE_TRUST_PROXY must be a hop count (1-9) or a comma-separated list of loopback, linklocal, uniquelocal, addresses and subnets (got ${JSON.stringify(entry)})`,
      );
  }
  return entries;
}

/** Dotted-quad IPv4 or IPv6, with an optional prefix length (no legacy forms such as `0` or `10.1`). */
function isAddressOrSubnet(entry: string): boolean {
  const [address = '', bits] = entry.split('/');
  if (!ipaddr.IPv4.isValidFourPartDecimal(address) && !ipaddr.IPv6.isValid(address)) return false;
  if (bits === undefined) return true;
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}
