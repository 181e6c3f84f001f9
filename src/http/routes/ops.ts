/**
 * Operations endpoints, outside the versioned API: liveness, readiness (the database answers),
 * Prometheus metrics, the OpenAPI document and a page rendering it (Swagger UI from the
 * swagger-ui-dist package, served locally: no CDN).
 */
import express, { Router } from 'express';
import swaggerUi from 'swagger-ui-dist';
import type { AppDeps } from '../deps.js';
import { AppError } from '../../core/errors.js';

/** /readyz answers 503 within this (plus a moment) when the database does not answer. */
const READY_TIMEOUT_MS = 1500;

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Posture API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

export function opsRouter(deps: AppDeps, openapi: unknown): Router {
  const r = Router();
  const openapiJson = JSON.stringify(openapi);
  r.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  r.get('/readyz', async (_req, res) => {
    if (deps.shuttingDown?.()) throw new AppError('service_unavailable', 'shutting down');
    try {
      await deps.database.ping(READY_TIMEOUT_MS);
    } catch {
      throw new AppError('database_unavailable', `the database did not answer within ${READY_TIMEOUT_MS} ms`);
    }
    res.json({ status: 'ready', database: deps.database.driver });
  });
  r.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  r.get('/openapi.json', (_req, res) => void res.type('application/json').send(openapiJson));
  r.get('/docs', (_req, res) => void res.type('html').send(DOCS_HTML));
  r.get('/docs/init.js', (_req, res) => void res.type('application/javascript').send(DOCS_INIT));
  // a missing asset falls through to the app's 404 problem
  r.use('/docs/assets', express.static(swaggerUi.getAbsoluteFSPath(), { index: false }));
  return r;
}
