/**
 * The web console in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download; `npm test` installs the package as root when it is missing), against the built
 * service on its embedded database — no mocked API. One browser for every journey.
 *
 * Runs in the PGlite pass only (jest.config.js leaves tests/browser/ out when DATABASE_URL is
 * set): the console talks to the same API on either database, and the PostgreSQL pass tests that.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { uniqueSlug } from '../helpers/app.js';
import { adminToken, cli, fetchOnce, processEnv, type Running, SPAWNS_MS, startService } from '../helpers/process.js';

import.meta.jest.setTimeout(SPAWNS_MS);

const CHROMIUM = '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (injected through the debugger: CSP stays on). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = (await page.evaluate('axe.run().then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

describe('the web console', () => {
  let dir: string;
  let service: Running;
  let base: string;
  let browser: Browser;
  const msp = uniqueSlug('msp');
  const clientA = uniqueSlug('client-a');
  const clientB = uniqueSlug('client-b');
  const names = { msp: 'Northwind IT Services', a: 'Acme Dental Practice', b: 'Bluebird Family Law' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'posture-console-'));
    [service, browser] = await Promise.all([
      startService(dir, { embedded: true, seeded: true }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
    ]);
    base = `http://localhost:${service.port}`;
    const token = adminToken(dir);
    const post = async (path: string, body: unknown) => {
      const res = await fetchOnce(`${base}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      expect(res.status).toBe(201);
    };
    await post('/v1/tenants', { slug: msp, name: names.msp, kind: 'msp' });
    await post('/v1/tenants', { slug: clientA, name: names.a, kind: 'client', parent: msp });
    await post('/v1/tenants', { slug: clientB, name: names.b, kind: 'client', parent: msp });
    const user = (id: string, username: string) => ({
      id,
      source: 'canonical',
      username,
      status: 'active',
      accountType: 'human',
      authSource: 'local',
      mfa: { registered: false },
      origin: { part: 'body', pointer: `/users/${id}` },
    });
    const identity = { users: [user('u1', 'dr.smith@acme.example'), user('u2', 'front.desk@acme.example')] };
    await post(`/v1/tenants/${clientA}/snapshots?source=canonical&kind=identity`, identity);
  });
  afterAll(async () => {
    await browser?.close();
    service?.child.kill('SIGTERM');
    await service?.exited;
  });

  /** `posture login-link` against the running service, as an administrator would run it. */
  const loginLink = (tenant: string, role: string, sub: string, name: string) => {
    const r = cli(
      ['login-link', '--tenant', tenant, '--role', role, '--sub', sub, '--name', name, '--server', base],
      processEnv(dir, {}, { embedded: true }),
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const url = r.stdout.trim();
    expect(url).toMatch(new RegExp(`^${base}/login\\?token=[A-Za-z0-9_-]{43}$`));
    return url;
  };

  /** A fresh browser context (its own cookies) with errors and CSP violations collected. */
  const open = async (viewport = { width: 1280, height: 800 }) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // a 401 from GET /v1/session is how a signed-out visitor is recognised
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    return { context, page, errors };
  };

  const signIn = async (page: Page, url: string) => {
    await page.goto(url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  };

  it('takes the MSP lead from a login link to the overview, a client, its findings, and out', async () => {
    const { context, page, errors } = await open();
    await signIn(page, loginLink(msp, 'officer', 'lead@northwind.example', 'Morgan Lead'));
    expect(await page.locator('header').innerText()).toContain('Morgan Lead · officer');

    const table = page.getByRole('region', { name: 'Tenants' });
    await table.getByRole('link', { name: names.a }).waitFor();
    const text = await table.innerText();
    for (const n of Object.values(names)) expect(text).toContain(n);
    expect(text).toMatch(/hipaa-security-rule \d+% \/ \d+% \/ \d+%/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Filter by name').fill('bluebird');
    await expectRows(page, 'Tenants', 1);
    await page.getByLabel('Filter by name').fill('');

    // the keyboard reaches the client link and opens it
    await table.getByRole('link', { name: names.a }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: names.a }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/tenants/${clientA}`);
    await page.getByRole('region', { name: 'Findings' }).waitFor();
    const findings = await page.getByRole('region', { name: 'Findings' }).innerText();
    expect(findings).toContain('dr.smith@acme.example');
    expect(await seriousViolations(page)).toEqual([]);

    const all = await countRows(page, 'Findings');
    expect(all).toBeGreaterThan(0);
    await page.getByLabel('Severity').selectOption('info');
    await page.waitForURL(/severity=info$/);
    await page
      .getByRole('region', { name: 'Findings' })
      .getByText(/failing info finding/)
      .waitFor();
    expect(await countRows(page, 'Findings')).toBeLessThan(all);

    await page.goBack();
    await page
      .getByRole('region', { name: 'Findings' })
      .getByText(new RegExp(`^${all} failing findings?$`))
      .waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Posture' }).waitFor();
    expect(await page.getByRole('status').innerText()).toBe('You are signed out.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Posture' }).waitFor();
    expect(await context.cookies()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a client's session its own name only, on every screen, and at phone size", async () => {
    const { context, page, errors } = await open({ width: 390, height: 844 });
    await signIn(page, loginLink(clientB, 'auditor', 'partner@bluebird.example', 'Pat Partner'));
    await page.getByRole('region', { name: 'Tenants' }).getByRole('link', { name: names.b }).waitFor();
    await expectRows(page, 'Tenants', 1);
    const overview = await page.content();
    for (const other of [names.a, names.msp, clientA, msp]) expect(overview).not.toContain(other);
    // nothing wider than the phone but the tables' own scrolling regions
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${base}/tenants/${clientA}`);
    await page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
    const foreign = await page.content();
    for (const other of [names.a, names.msp]) expect(foreign).not.toContain(other);

    await page.goto(`${base}/tenants/${clientB}`);
    await page.getByRole('heading', { level: 1, name: names.b }).waitFor();
    await page.getByText('Not evaluated yet').waitFor();
    expect(await page.content()).not.toContain(names.a);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    await context.close();
  });

  it('explains how to sign in to a visitor without a session, and refuses a spent link', async () => {
    const { context, page, errors } = await open();
    await page.goto(base);
    await page.getByRole('heading', { level: 1, name: 'Sign in to Posture' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('posture login-link');
    expect(await seriousViolations(page)).toEqual([]);
    const url = loginLink(clientA, 'auditor', 'once@acme.example', 'Once Only');
    await signIn(page, url);
    const other = await browser.newContext();
    const second = await other.newPage();
    await second.goto(url);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.getByRole('heading', { level: 1, name: 'This sign-in link does not work' }).waitFor();
    expect(await other.cookies()).toEqual([]);
    expect(errors).toEqual([]);
    await other.close();
    await context.close();
  });
});

async function countRows(page: Page, region: string): Promise<number> {
  return page.getByRole('region', { name: region }).locator('tbody tr').count();
}

async function expectRows(page: Page, region: string, n: number): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll('[aria-label="${region}"] tbody tr').length === ${n}`);
}
