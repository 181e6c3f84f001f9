/**
 * `/login`: where a one-time sign-in link lands. GET shows a page with a "Sign in" button (no
 * script: a plain form), so that a link previewer fetching the URL does not spend the link; the
 * POST from that page redeems it into a session, sets the cookie and sends the browser to `/`.
 */
import express, { type RequestHandler, Router } from 'express';
import { SECRET_PATTERN } from '../auth/session-secrets.js';
import { NO_TENANTS, redeemLoginLink } from '../domain/sessions.js';
import type { AppDeps } from './deps.js';
import { checkOrigin, setSessionCookie } from './session-cookie.js';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Posture</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:10vh auto;padding:0 1rem;color:#1b1f24}
button{font:inherit;padding:.6rem 1.4rem;border-radius:6px;border:0;background:#0b5cad;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f5a623;outline-offset:2px}code{background:#eef1f4;padding:0 .25rem}</style>
</head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const HOW =
  '<p>Posture signs people in with a one-time link. Ask your administrator for one; on the server they run <code>posture login-link --tenant &lt;tenant&gt; --role &lt;role&gt; --sub &lt;you&gt;</code>. A link works once, for ten minutes.</p>';

const SIGN_IN = (token: string) =>
  page(
    'Sign in to Posture',
    `<p>This one-time link signs you in to the Posture console.</p>
<form method="post" action="/login"><input type="hidden" name="token" value="${token}"><button type="submit">Sign in</button></form>`,
  );

const NO_LINK = page('Sign in to Posture', HOW);
const SPENT = page(
  'This sign-in link does not work',
  `<p>It has expired, was already used, or was copied incompletely.</p>${HOW}`,
);

export function loginRouter(deps: AppDeps, limit: RequestHandler): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });
  r.get('/login', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    // not helmet's no-referrer: under it the form's POST carries `Origin: null`, which the Origin
    // check refuses; same-origin still sends the token-bearing URL to no other site
    res.setHeader('Referrer-Policy', 'same-origin');
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    res.type('html');
    if (token === undefined) return void res.send(NO_LINK);
    if (!SECRET_PATTERN.test(token)) return void res.status(400).send(SPENT);
    res.send(SIGN_IN(token));
  });
  r.post('/login', limit, form, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    checkOrigin(req, deps.config);
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    const started =
      typeof token === 'string'
        ? await redeemLoginLink(deps.database.scoped(NO_TENANTS), token, deps.now())
        : undefined;
    if (!started) return void res.status(400).type('html').send(SPENT);
    setSessionCookie(res, deps.config, started.secret, started.expiresAt);
    res.redirect(303, '/');
  });
  return r;
}
