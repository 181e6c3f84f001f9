/** buildApp(deps): wiring only. No side effects on import; main.ts and the tests call it. */
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { Histogram } from 'prom-client';
import { newId } from './core/ids.js';
import type { AppDeps } from './http/deps.js';
import { AppError } from './core/errors.js';
import { mountRoutes } from './http/mount.js';
import { problemMiddleware } from './http/middleware/problem.js';
import { buildRateLimiters } from './http/rate-limits.js';
import { buildOpenApi } from './http/openapi.js';
import { opsRouter } from './http/routes/ops.js';
import { ROUTES } from './http/routes/index.js';
import { consoleRouter } from './http/console-static.js';
import { loginRouter } from './http/login-page.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // which proxies may name the client's address (X-Forwarded-For): the per-address limits key on it
  app.set('trust proxy', deps.config.trustProxy);
  const limiters = buildRateLimiters(deps.config.rateLimit, deps.database.rateLimitStore, deps.logger);
  app.use(
    helmet({
      contentSecurityPolicy: {
        // Swagger UI styles itself inline; everything else is same-origin only.
        directives: {
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // One short line per request: no headers at all, so tokens and cookies never reach a log.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(requestDuration(deps));
  app.use(opsRouter(deps, buildOpenApi(ROUTES, deps.version)));
  // the probes and metrics are outside the limits: load balancers and Prometheus poll them
  app.use('/v1', limiters.address, limiters.failedAuth);
  mountRoutes(app, ROUTES, deps, limiters);
  app.use(loginRouter(deps, limiters.public));
  app.use(consoleRouter(deps.consoleDir));
  app.use((req, _res, next) => next(new AppError('not_found', `no route for ${req.method} ${req.path}`)));
  app.use(problemMiddleware(deps.database.classifyError));
  return app;
}

function requestDuration(deps: AppDeps): express.RequestHandler {
  const histogram = new Histogram({
    name: 'posture_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [deps.registry],
  });
  return (req, res, next) => {
    const end = histogram.startTimer();
    res.on('finish', () =>
      end({
        method: req.method,
        route:
          (res.locals.route as string | undefined) ??
          (res.statusCode === 404 ? 'unmatched' : req.path.split('/').slice(0, 2).join('/')),
        status: res.statusCode,
      }),
    );
    next();
  };
}
