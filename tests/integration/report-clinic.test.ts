/**
 * The clinic of issue 16 (tests/helpers/clinic.ts: 11 users, 9 endpoints, 17 firewall rules),
 * reported end to end through HTTP: the report an officer hands over fits in 15 pages appendix
 * included, lists each problem once whatever the packs and requirements it affects, says once
 * per export what the export does not show, flags the stale export, and no text box overlaps
 * another. With POSTURE_REPORT_SAMPLES=dir the signed PDF is also written there
 * (npm run report:samples makes the README's pictures from it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { CHECKER } from '../unit/reporting/fixtures.js';
import { createClinic, type Clinic } from '../helpers/clinic.js';
import { brokenWords, describeOverlap, overlappingWords, wordBoxes } from '../helpers/pdf-boxes.js';
import { SLOW_MS } from '../helpers/timeouts.js';

import.meta.jest.setTimeout(SLOW_MS);

let clinic: Clinic;
let dir: string;
let path: string;
const text = (mode: string, first?: number, last = first) =>
  spawnSync('pdftotext', [mode, ...(first ? ['-f', String(first), '-l', String(last)] : []), path, '-'], {
    encoding: 'utf8',
  }).stdout;
const flat = (s: string) => s.replace(/\s+/g, ' ');

beforeAll(async () => {
  clinic = await createClinic();
  dir = mkdtempSync(join(tmpdir(), 'posture-clinic-'));
  path = join(dir, 'clinic.pdf');
  writeFileSync(path, clinic.report.pdf);
  const out = process.env.POSTURE_REPORT_SAMPLES;
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'clinic-report.pdf'), clinic.report.pdf);
  }
});
afterAll(async () => {
  await clinic?.t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the clinic report', () => {
  it('fits in 15 pages, appendix included', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [path], { encoding: 'utf8' }).stdout)![1]);
    expect(pages).toBeGreaterThan(3);
    expect(pages).toBeLessThanOrEqual(15);
    expect(text('-layout')).toContain('Technical appendix');
  });

  it('has no text box overlapping another', () => {
    const words = wordBoxes(path);
    expect(words.length).toBeGreaterThan(1000);
    expect(overlappingWords(words).map(describeOverlap)).toEqual([]);
  });

  it('breaks no table header label over two lines', () => {
    const headers = ['Severity', 'Problem', 'Requirements', 'Status', 'Export', 'Collected', 'Evidence', 'Technician'];
    const headers2 = ['Account', 'Verified', 'configuration', 'attestations', 'waivers', 'Family', 'SHA-256'];
    const words = wordBoxes(path);
    expect(brokenWords(words, [...headers, ...headers2]).map(([a, b]) => `${a.text}|${b.text} p${a.page}`)).toEqual([]);
  });

  it('lists each (rule, item) problem once, with every requirement of every pack it affects', async () => {
    const findings = await request(clinic.t.app)
      .get(`/v1/tenants/${clinic.client}/evaluations`)
      .set('Authorization', `Bearer ${clinic.token}`);
    expect(findings.status).toBe(200);
    const raw = flat(text('-raw'));
    const body = raw.slice(raw.indexOf('problems, each listed once'), raw.indexOf('Fields the exports do not carry'));
    // carol.diaz has no usable second factor: one row, naming HIPAA, PCI DSS and CIS requirements
    const carol = body.split('carol.diaz@example.com is enabled with no usable second factor registered').length - 1;
    expect(carol).toBe(1);
    const row = body.slice(body.indexOf('carol.diaz@example.com is enabled with no usable'));
    expect(row).toMatch(/HIPAA [^;]*164\.312\(d\)/);
    expect(row).toMatch(/PCI DSS [^;]*8\.4\.2/);
    expect(row).toMatch(/CIS [^;]*6\.3|CIS [^;]*6\.4|CIS [^;]*6\.5/);
    // the rows are numbered 1..n, each number once
    const appendix = raw.slice(raw.indexOf("Each problem's rule, item identifier"));
    const problems = Number(/(\d+) problems, each listed once/.exec(raw)![1]);
    expect(problems).toBeGreaterThan(10);
    for (const rule of ['identity.mfa-registered', 'endpoint.agent-healthy'])
      expect(appendix.split(rule).length - 1).toBeGreaterThan(0);
  });

  it('says once what an export does not carry, in plain words, never per requirement', () => {
    const all = text('-layout');
    const raw = flat(text('-raw'));
    expect(all).not.toMatch(/is absent/);
    expect(all).not.toMatch(/\bnull\b/);
    expect(all).not.toContain('`');
    expect(all).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}/); // no milliseconds
    // canonical field paths only in the technical appendix ("a known agent.health" had leaked)
    const body = raw.slice(0, raw.indexOf("Each problem's rule, item identifier"));
    expect(
      body.match(/\b(?:agent|protection|sensor|mfa|factors|policies|rules?|nat|item|e)\.(?!yaml\b)[a-z][A-Za-z]+\b/g) ??
        [],
    ).toEqual([]);
    const gaps = raw.slice(raw.indexOf('Fields the exports do not carry'));
    expect(gaps.split('the export does not show groups').length - 1).toBe(1);
    // no item row says it again: only an item with a second, item-specific reason keeps a row
    expect(raw.split('cannot be checked: the export does not show groups').length - 1).toBe(0);
  });

  it('names the MSP that prepared it, draws its logo, and flags the stale export on the cover and in the manifest', () => {
    const cover = flat(text('-layout', 1));
    expect(cover).toContain('Prepared by Harbor IT Services');
    expect(cover).toMatch(/sentinelone \(\S+\) 2026-10-01 06:00:00 UTC 61 days: STALE endpoint/);
    expect(cover).toMatch(/Verified from\s.*configuration/);
    const images = spawnSync('pdfimages', ['-list', '-f', '1', '-l', '1', path], { encoding: 'utf8' }).stdout;
    expect(images).toMatch(/\b240\s+80\b/);
    const manifest = flat(text('-raw')).slice(flat(text('-raw')).indexOf('Evidence manifest SHA-256'));
    expect(manifest).toContain('STALE: 61 days old at the evaluation');
  });

  it('is signed: the independent checker accepts it', () => {
    const cert = join(dir, 'signer.pem');
    writeFileSync(cert, clinic.t.deps.signer.certificatePem);
    const r = spawnSync('bash', [CHECKER, path, cert], {
      encoding: 'utf8',
      env: { ...process.env, REQUIRE_CADES: '1' },
    });
    expect(`${r.stdout}${r.stderr}`).toMatch(/OK|valid/i);
    expect(r.status).toBe(0);
  });
});
