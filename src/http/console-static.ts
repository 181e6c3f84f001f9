/**
 * The web console: the static files `npm run build` makes from console/ (Vite), served at `/`.
 * Any other GET that asks for an HTML page gets index.html (the console routes in the browser), except
 * under the service's own paths — the API, the probes, the docs and /login answer for themselves,
 * and an unknown /v1 path stays a JSON 404.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** console/dist, from src/http (ts-jest) and from dist/http (the build) alike */
export const CONSOLE_DIR = fileURLToPath(new URL('../../console/dist', import.meta.url));

const RESERVED = /^\/(v1|healthz|readyz|metrics|openapi\.json|docs|login)(\/|$)/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Posture</title></head>
<body><main><h1>Posture</h1><p>The web console is not built: run <code>npm run build</code>. The API is at <a href="/docs">/docs</a>.</p></main></body></html>`;

export function consoleRouter(dir: string = CONSOLE_DIR): Router {
  const r = Router();
  const index = join(dir, 'index.html');
  // hashed file names under /assets never change; index.html must always be fetched again
  r.use(
    express.static(dir, {
      index: false,
      setHeaders: (res, path) =>
        res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    }),
  );
  r.get(/.*/, (req, res, next) => {
    // a browser's navigation asks for text/html; an API client asking for anything (or nothing) gets the JSON 404
    const page = req.path === '/' || (req.headers.accept ?? '').includes('text/html');
    if (RESERVED.test(req.path) || !page) return next();
    res.setHeader('Cache-Control', 'no-cache');
    if (!existsSync(index)) return void res.type('html').send(NOT_BUILT);
    res.sendFile(index);
  });
  return r;
}
