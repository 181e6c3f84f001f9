/**
 * The web console in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download; `npm test` installs the package as root when it is missing), against the built
 * service on its embedded database — no mocked API. One browser for every journey.
 *
 * Runs in the PGlite pass only (jest.config.js leaves tests/browser/ out when DATABASE_URL is
 * set): the console talks to the same API on either database, and the PostgreSQL pass tests that.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { uniqueSlug } from '../helpers/app.js';
import { adminToken, cli, fetchOnce, processEnv, type Running, SPAWNS_MS, startService } from '../helpers/process.js';

import.meta.jest.setTimeout(SPAWNS_MS);

const CHROMIUM = '/usr/bin/chromium';
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
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
  const clientC = uniqueSlug('client-c');
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
    await post('/v1/tenants', { slug: clientC, name: 'Cedar Street Clinic', kind: 'client' });
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
    // the overview's own columns (GET /v1/tenants/{msp}/overview): new since last week, evidence age,
    // expiring items, and a sparkline per pack whose text alternative reads the figures
    for (const column of ['New since last week', 'Oldest evidence', 'Expiring in 30 days'])
      expect(text).toContain(column);
    expect(text).toMatch(/\d+ waivers, \d+ attestations/);
    expect(text).toMatch(/identity: /);
    await table
      .getByRole('img', { name: /^hipaa-security-rule verified: \d+%/ })
      .first()
      .waitFor();
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

    // the other client's snapshots, waivers and reports: refused, and nothing of theirs shown
    for (const screen of ['snapshots', 'waivers', 'reports']) {
      await page.goto(`${base}/tenants/${clientA}/${screen}`);
      await page.getByRole('alert').first().waitFor();
      expect(await page.getByRole('alert').first().innerText()).toContain('404');
      const content = await page.content();
      for (const other of [names.a, names.msp, 'dr.smith@acme.example']) expect(content).not.toContain(other);
    }

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

  it('takes an officer from an upload to findings, an approved waiver, an attestation, and a report anyone can verify', async () => {
    const fixture = (p: string) => join(FIXTURES, p);
    const officer = await open();
    const { page } = officer;
    // the officer's own tenant-scoped admin session: uploading takes snapshots:write, which the officer role has not
    await signIn(page, loginLink(clientC, 'admin', 'olive@cedar.example', 'Olive Officer'));

    // Snapshots, from the tenant's navigation
    await page.goto(`${base}/tenants/${clientC}`);
    await page.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Snapshots' }).click();
    await page.getByRole('heading', { level: 1, name: 'Snapshots' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/tenants/${clientC}/snapshots`);
    await page.getByLabel('Source').selectOption('okta');
    // a part the source does not take: the API's refusal as it returned it
    await page.getByLabel(/^Export files/).setInputFiles(fixture('okta/users-page1.json'));
    await page.getByLabel('Part name for users-page1.json').fill('people');
    await page.getByRole('button', { name: 'Upload' }).click();
    expect(await page.getByRole('alert').innerText()).toMatch(
      /unknown part "people" for source okta; its parts are: users, factors, roles, policies/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Remove users-page1.json' }).click();
    // the export as Okta's API pages it: users and factors twice, one page each
    const parts: [string, string][] = [
      ['users', 'okta/users-page1.json'],
      ['users', 'okta/users-page2.json'],
      ['factors', 'okta/factors-page1.json'],
      ['factors', 'okta/factors-page2.json'],
      ['roles', 'okta/roles.json'],
    ];
    await page.getByLabel(/^Export files/).setInputFiles(parts.map(([, f]) => fixture(f)));
    for (const [part, f] of parts) await page.getByLabel(`Part name for ${f.split('/')[1]}`).fill(part);
    await page.getByRole('button', { name: 'Upload' }).click();
    const result = page.getByRole('status').filter({ hasText: /^Stored snapshot/ });
    await result.waitFor();
    expect(await result.innerText()).toMatch(/of okta \(identity, instance [^)]+\), \d+ items/);
    const history = page.getByRole('region', { name: 'History of okta' });
    await history.waitFor();
    const listed = await history.innerText();
    for (const part of ['users', 'users p2', 'factors', 'factors p2', 'roles']) expect(listed).toContain(part);
    // one file, no part named: sent as the body; the API's warnings listed with where they point
    await page.getByLabel('Source').selectOption('iptables-save');
    await page.getByLabel(/^Export files/).setInputFiles(fixture('iptables-save/iptables-nft-warnings.rules'));
    await page.getByRole('button', { name: 'Upload' }).click();
    await result.filter({ hasText: 'of iptables-save (firewall' }).waitFor();
    expect(await result.innerText()).toMatch(/legacy_tables in body line 1: /);
    await page.getByRole('region', { name: 'History of iptables-save' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // findings of the evaluation that ingest triggered
    await page.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Findings' }).click();
    const findings = page.getByRole('region', { name: 'Findings' });
    await findings.locator('tbody tr').first().waitFor();
    const rule = (await findings.locator('tbody tr td:nth-child(2)').first().innerText()).trim();
    expect(rule).toMatch(/^(identity|firewall)\.[a-z0-9-]+$/);

    // request a waiver; the requester may approve waivers, but not this one
    await page
      .getByRole('navigation', { name: 'Tenant' })
      .getByRole('link', { name: 'Waivers and attestations' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Waivers and attestations' }).waitFor();
    const request = page.getByRole('form', { name: 'Request a waiver' });
    await request.getByLabel('Rule').fill(rule);
    await request.getByLabel('Items (id or glob)').fill('*');
    await request.getByLabel('Justification').fill('Accepted until the identity provider migration in Q3 completes.');
    await request.getByRole('button', { name: 'Request waiver' }).press('Enter');
    await page.getByRole('status').filter({ hasText: 'Waiver requested' }).waitFor();
    const waivers = page.getByRole('region', { name: 'Waivers' });
    await waivers
      .locator('tbody tr')
      .filter({ hasText: /^pending/ })
      .waitFor();
    await waivers.getByRole('button', { name: `Approve ${rule} on *` }).click();
    expect(await page.getByRole('alert').innerText()).toContain(
      'a waiver is approved by someone other than the person who requested it (segregation of duties)',
    );
    expect(await seriousViolations(page)).toEqual([]);

    // a second officer, in their own browser and at phone size, approves it
    const second = await open({ width: 390, height: 844 });
    await signIn(second.page, loginLink(clientC, 'officer', 'sam@cedar.example', 'Sam Second'));
    await second.page.goto(`${base}/tenants/${clientC}/waivers`);
    const theirs = second.page.getByRole('region', { name: 'Waivers' });
    await theirs.getByRole('button', { name: `Approve ${rule} on *` }).click();
    await second.page.getByRole('status').filter({ hasText: 'is now approved' }).waitFor();
    await theirs
      .locator('tbody tr')
      .filter({ hasText: /^approved/ })
      .filter({ hasText: 'Sam Second' })
      .waitFor();
    expect(await second.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(second.page)).toEqual([]);
    // the other new screens at phone size too: nothing wider than the phone but the tables' own regions
    for (const [screen, heading] of [
      ['snapshots', 'Snapshots'],
      ['reports', 'Reports'],
    ]) {
      await second.page.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: heading }).click();
      await second.page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(new URL(second.page.url()).pathname).toBe(`/tenants/${clientC}/${screen}`);
      await second.page.getByRole('region', { name: screen === 'reports' ? 'Reports' : 'History of okta' }).waitFor();
      expect(await second.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(await seriousViolations(second.page)).toEqual([]);
    }
    expect(second.errors).toEqual([]);
    await second.context.close();
    await page.reload();
    await waivers
      .locator('tbody tr')
      .filter({ hasText: /^approved/ })
      .waitFor();
    expect(await waivers.getByRole('button', { name: `Approve ${rule} on *` }).count()).toBe(0);

    // attest a manual requirement with an evidence file
    const evidence = join(dir, 'risk-analysis.txt');
    writeFileSync(evidence, 'Risk analysis 2026: reviewed by the practice owner.\n');
    const attest = page.getByRole('form', { name: 'Attest a requirement' });
    await attest.getByLabel('Pack').selectOption('hipaa-security-rule');
    await attest.getByLabel('Requirement (manual)').selectOption('164.308(a)(1)(ii)(B)');
    await attest.getByLabel('Statement').fill('The risk analysis and risk management plan are reviewed yearly.');
    await attest.getByLabel('Evidence files (PDF, images or text)').setInputFiles(evidence);
    await attest.getByRole('button', { name: 'Attest' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Attested 164.308(a)(1)(ii)(B) of hipaa-security-rule with 1 file' })
      .waitFor();
    const attestations = page.getByRole('region', { name: 'Attestations' });
    await attestations
      .locator('tbody tr')
      .filter({ hasText: /^active/ })
      .getByRole('link', { name: 'risk-analysis.txt' })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // request a report, download it
    await page.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('button', { name: 'Request report' }).click();
    const reports = page.getByRole('region', { name: 'Reports' });
    await reports.locator('tbody tr').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      reports
        .getByRole('link', { name: /^Download PDF/ })
        .first()
        .click(),
    ]);
    const genuine = join(dir, 'report.pdf');
    await download.saveAs(genuine);
    const pdf = readFileSync(genuine);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // the two refusals the journey asked for, as the browser logs them, and nothing else
    expect(officer.errors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ]);
    await officer.context.close();

    // anyone, without signing in, verifies it; a copy with one byte changed; a PDF of someone else
    const copy = Buffer.from(pdf);
    const at = copy.indexOf('/Producer') >= 0 ? copy.indexOf('/Producer') + 1 : 20;
    copy[at] = copy[at]! ^ 0x20;
    const foreign = join(dir, 'invoice.pdf');
    writeFileSync(
      foreign,
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    const visitor = await open({ width: 390, height: 844 });
    await visitor.page.goto(`${base}/verify`);
    await visitor.page.getByRole('heading', { level: 1, name: 'Verify a report' }).waitFor();
    expect(await visitor.context.cookies()).toEqual([]);
    const verdict = visitor.page.getByRole('region', { name: 'Verdict' }).locator('.sentence');
    const input = visitor.page.getByLabel(/^Report PDF/);
    await input.setInputFiles(genuine);
    await verdict.waitFor();
    expect(await verdict.innerText()).toMatch(
      new RegExp(`^Genuine: report\\.pdf is an unmodified report of ${clientC}, issued by this service on .+\\.$`),
    );
    expect(await visitor.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(visitor.page)).toEqual([]);
    // dropped on the page, as a mouse user would
    const drop = await visitor.page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      const bytes = Uint8Array.from(atob('${copy.toString('base64')}'), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], 'report-tampered.pdf', { type: 'application/pdf' }));
      return dt;
    })()`);
    await visitor.page.locator('.drop').dispatchEvent('drop', { dataTransfer: drop });
    await visitor.page.getByText(/^Not genuine: report-tampered\.pdf was changed after it was signed/).waitFor();
    await input.setInputFiles(foreign);
    await visitor.page.getByText('Not a report of this service: invoice.pdf carries no signature.').waitFor();
    expect(await seriousViolations(visitor.page)).toEqual([]);
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
  });
});

async function countRows(page: Page, region: string): Promise<number> {
  return page.getByRole('region', { name: region }).locator('tbody tr').count();
}

async function expectRows(page: Page, region: string, n: number): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll('[aria-label="${region}"] tbody tr').length === ${n}`);
}
