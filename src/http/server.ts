/**
 * The node HTTP server around the app, with the connection-level time-outs: the request line and
 * headers must arrive within `headersTimeoutMs` (a header trickle answers 408 and is closed), and
 * a whole request within node's default five minutes — the backstop for bodies no route reads.
 * Bodies that routes read have their own stall and rate checks (body-timeout.ts).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../config/load-config.js';

/** How often node checks the header and request time-outs: a cut comes at most this late. */
const CHECK_INTERVAL_MS = 1000;

/** Node's default `requestTimeout` (300 s), named: never below the header time-out. */
const REQUEST_TIMEOUT_MS = 300_000;

/** Not listening yet: the caller listens (and reports a taken port its own way). */
export function createHttpServer(app: RequestListener, config: Pick<Config, 'headersTimeoutMs'>): Server {
  return createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: Math.max(REQUEST_TIMEOUT_MS, config.headersTimeoutMs),
      connectionsCheckingInterval: CHECK_INTERVAL_MS,
    },
    app,
  );
}
