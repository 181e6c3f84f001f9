/**
 * The compliance report PDF, read back with the tools an auditor has: poppler (pdftotext,
 * pdfinfo) and qpdf. Text checks use `pdftotext -layout`, except for strings that wrap inside a
 * table cell: those are read with `-raw` (content-stream order), where a cell's lines follow
 * each other.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport } from '../../../src/reporting/render-report.js';
import { brokenWords, describeOverlap, overlappingWords, wordBoxes } from '../../helpers/pdf-boxes.js';
import { fileId } from '../../../src/reporting/layout/document.js';
import { evidenceLines } from '../../../src/reporting/layout/evidence.js';
import { safeText } from '../../../src/reporting/layout/text.js';
import { addSignaturePlaceholder, signPdf } from '../../../src/reporting/sign-pdf.js';
import { loadSigner } from '../../../src/reporting/signing-key.js';
import { verifyPdf } from '../../../src/reporting/verify-pdf.js';
import type { ReportData } from '../../../src/reporting/report-data.js';
import {
  ASSUMED_USER,
  ATTESTATION_FILE_SHA,
  ATTESTER,
  clientReportData,
  FIRST_CITATION,
  largeReportData,
  MISSING_HINT,
  mspReportData,
  PACKS,
  PHONE_NUMBERS,
  SNAPSHOT_SHA,
  STALE_HOST,
  TENANT_NAME,
  WAIVER_JUSTIFICATION,
  withManyFindings,
} from '../../fixtures/reports/report-data.js';

const dir = mkdtempSync(join(tmpdir(), 'posture-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function save(pdf: Buffer): string {
  const path = join(dir, `report-${++fileNo}.pdf`);
  writeFileSync(path, pdf);
  return path;
}

function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Text of the whole file (pages separated by form feeds), or of pages first..last. */
function text(path: string, mode: '-layout' | '-raw' = '-layout', first?: number, last = first): string {
  const range = first === undefined ? [] : ['-f', String(first), '-l', String(last)];
  return run('pdftotext', [mode, ...range, path, '-']).out;
}

/** Whitespace collapsed: a wrapped sentence reads as one line. */
const flat = (s: string): string => s.replace(/\s+/g, ' ');

/** The part of `s` from the first `from` to the next `to` after it. */
function between(s: string, from: string, to: string): string {
  const start = s.indexOf(from);
  const end = s.indexOf(to, start);
  if (start < 0 || end < 0) throw new Error(`no "${from}" … "${to}" in the text`);
  return s.slice(start, end);
}

function pageCount(path: string): number {
  return Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [path]).out)![1]);
}

function info(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', ['-isodates', path]).out.split('\n')) {
    const m = /^([A-Za-z ]+):\s+(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

let client: Buffer;
let clientPath: string;
let clientText: string;
let clientRaw: string;

beforeAll(async () => {
  client = await renderReport(clientReportData());
  clientPath = save(client);
  clientText = text(clientPath);
  clientRaw = flat(text(clientPath, '-raw'));
});

describe('renderReport: attestations', () => {
  it('lists each attestation in force with its statement, attester, dates and files, and the file in the manifest', () => {
    const section = flat(between(clientRaw, '1 attestation in force at the evaluation', 'Waivers in force'));
    const unwrapped = section.replace(/\s/g, '');
    expect(unwrapped).toContain(ATTESTER.replace(/\s/g, ''));
    expect(section).toContain('Audit logs, access reports and security incident tracking reports are reviewed monthly');
    expect(section).toContain('valid until 2026-02-28');
    expect(section).toContain('audit-log-review-q1.pdf');
    expect(section).toContain(ATTESTATION_FILE_SHA);
    const manifest = flat(clientRaw.slice(clientRaw.lastIndexOf('Attestation files: 1')));
    expect(manifest).toContain(ATTESTATION_FILE_SHA);
    // the requirement row says who attested it
    expect(clientRaw.replace(/\s/g, '')).toContain(
      `attestedby${ATTESTER}on2025-03-01,validuntil2026-02-28(1file)`.replace(/\s/g, ''),
    );
  });
});

describe('renderReport: content', () => {
  it('has every section, in the contents page too', () => {
    const headings = [
      'Contents',
      'Executive summary',
      'Requirements',
      'Findings',
      'What the exports do not show',
      'Attestations in force',
      'Waivers in force',
      "Your MSP's technicians",
      'Evidence manifest',
      'Technical appendix',
    ];
    for (const h of headings) expect(clientText).toContain(h);
    // the contents head page 2, above the executive summary
    const contents = between(text(clientPath, '-layout', 2), 'Contents', 'HIPAA Security Rule');
    for (const h of headings.slice(1))
      expect(contents).toMatch(new RegExp(`${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ .]*\\d+`));
  });

  it('shows the cover: tenant, who prepared it, packs and their three scores, evidence age, report, signer and the self-signed statement', () => {
    const cover = flat(text(clientPath, '-layout', 1));
    const data = clientReportData();
    expect(cover).toContain(TENANT_NAME);
    expect(cover).toContain('northwind-dental');
    expect(cover).toContain('Prepared by Acme Managed IT, managed service provider of Northwind Dental Group');
    for (const p of PACKS) expect(cover).toContain(`${p.id}, version ${p.version}`);
    for (const p of PACKS)
      for (const f of [p.scores!.verified, p.scores!.withAttestations, p.scores!.withWaivers])
        expect(cover).toContain(pct(f.value));
    expect(cover).toContain('Period 2025-02-25 to 2025-03-04 (since the previous evaluation)');
    expect(cover).toMatch(/crowdstrike \(default\) 2025-01-18 23:00:00 UTC 45 days: STALE/);
    expect(cover).toContain('1 export is older than the evidence age limit');
    expect(cover).toContain(data.reportId);
    expect(cover).toContain('2025-03-04 10:00:00 UTC');
    expect(cover).toContain(data.signer.fingerprint);
    expect(cover).toContain("Signed with this deployment's self-signed certificate");
    expect(cover).toContain('POST /v1/reports/verify');
  });

  it('shows the three scores of each pack with numerator and denominator, and the change since the previous evaluation', () => {
    const cover = flat(text(clientPath, '-raw', 1));
    for (const p of PACKS) {
      const s = p.scores!;
      for (const f of [s.verified, s.withAttestations, s.withWaivers])
        expect(cover).toContain(`${pct(f.value)} ${f.numerator} / ${f.denominator}`);
    }
    const summary = flat(between(clientRaw, 'Executive summary HIPAA', 'What could not be checked'));
    const hipaa = PACKS.find((p) => p.id === 'hipaa-security-rule')!.scores!;
    // the attested requirement counts with attestations, never as verified from configuration
    expect(hipaa.withAttestations.numerator).toBe(hipaa.verified.numerator + 1);
    expect(summary).toContain(
      `${pct(hipaa.verified.value)} (${hipaa.verified.numerator} of ${hipaa.verified.denominator})`,
    );
    expect(cover).toContain('With attestations');
    const before = 0.1;
    const change = ((hipaa.withAttestations.value! - before) * 100).toFixed(1);
    expect(clientText).toContain(`${Number(change) > 0 ? '+' : ''}${change} pts`);
    expect(summary).toContain('9 new findings, 3 findings resolved');
  });

  it('lists every requirement by family and state, informational ones marked', () => {
    const section = flat(clientRaw.slice(clientRaw.indexOf('Requirements Each requirement')));
    for (const s of ['pass', 'waived', 'manual', 'insufficient evidence', 'fail', 'error', 'not applicable'])
      expect(section).toContain(`${s}:`);
    const unwrapped = section.replace(/\s/g, '');
    for (const p of PACKS) for (const r of p.requirements) expect(unwrapped).toContain(r.id.replace(/\s/g, ''));
    expect(section).toContain('(informational)');
    expect(FIRST_CITATION).toContain('164.312(d)');
  });

  it('lists each finding once per (rule, item) with every requirement of every pack, remediation once per rule', () => {
    const findings = between(clientRaw, 'problems, each listed once', 'What the exports do not show The checks');
    expect(findings).toContain('NAT RDP to 10.20.0.15 exposes TCP 3389 (RDP) to the internet on WAN');
    expect(findings).toContain('MFA registered: no');
    // identity.mfa-registered evidences three HIPAA requirements and PCI and CIS ones: one row names them all
    expect(findings.split('dr.patel@northwind.example is enabled with no usable second factor').length - 1).toBe(1);
    expect(findings.split('What to do: Enrol the user').length - 1).toBe(1);
    expect(findings).toMatch(/HIPAA 164\.308\(a\)\(1\)\(ii\)\(B\), 164\.312\(d\)/);
    expect(findings).toMatch(/PCI DSS 8\.4\.2/);
    expect(findings).not.toMatch(/\bnull\b|is absent|`/);
  });

  it('shows waivers, missing evidence and the manifest', () => {
    expect(clientRaw).toContain(WAIVER_JUSTIFICATION);
    expect(clientRaw).toContain('Dana Whitfield, Practice Manager');
    expect(clientRaw).toContain('expires 2025-05-31');
    expect(clientRaw).toContain(MISSING_HINT.replace(/`/g, ''));
    expect(clientText).toContain(SNAPSHOT_SHA);
    expect(clientText).toContain('rules/packs/pci-dss-4.0.1.yaml');
  });

  it('marks a verdict that rests on an assumption, and one judged on stale evidence', () => {
    const findings = between(clientRaw, 'problems, each listed once', 'What the exports do not show The checks');
    expect(findings).toContain(`Judged on an assumption: the export does not state status. ${ASSUMED_USER}`);
    expect(findings).toContain(
      `${STALE_HOST}: the agent is inactive (stale evidence: the crowdstrike export (default) was collected 45 days ago)`,
    );
    // the missing-evidence section names the stale export to refresh
    expect(clientRaw).toContain('post a fresh crowdstrike export');
    expect(clientRaw).toMatch(/crowdstrike export \(default\) is stale: evidence collected 45 days ago/);
  });

  it('says in the manifest where each collection time came from, and when a re-post confirmed it', () => {
    expect(clientRaw).toContain('collected 2025-03-04 02:00:00 UTC (as stated by the sender)');
    expect(clientRaw).toContain('confirmed by a re-post 2025-03-04 08:00:00 UTC');
    expect(clientRaw).toContain('configuration changed 2025-01-15 16:20:00 UTC');
  });

  it('shows the technicians who can and who may reach the client, with their problems', () => {
    const section = between(clientRaw, "Your MSP's technicians If your MSP", 'Evidence manifest SHA-256');
    expect(section).toContain('Technicians who can reach Northwind Dental Group: 3');
    expect(section).toContain('Technicians who may reach Northwind Dental Group (access unknown): 2');
    expect(section).toContain('Technician MFA is enabled: fail, critical');
    expect(section).toContain('all technician-hygiene checks passed');
    expect(section.indexOf('Sam Rivera')).toBeLessThan(section.indexOf('Technicians who may reach'));
    expect(section.indexOf('Morgan Lee')).toBeGreaterThan(section.indexOf('Technicians who may reach'));
  });

  it('says so when the MSP has no technician evaluation, instead of claiming the checks passed', async () => {
    const data = clientReportData();
    data.technicians = {
      ...data.technicians!,
      evaluation: null,
      reach: data.technicians!.reach.map((r) => ({ ...r, problems: [] })),
    };
    const raw = flat(text(save(await renderReport(data)), '-raw'));
    expect(raw).toContain('the MSP has no technician evaluation');
    expect(raw).not.toContain('all technician-hygiene checks passed');
  });

  it("marks a technician's export-wide finding as such, and lists the MSP's evidence apart in the manifest", async () => {
    const data = clientReportData();
    const [first, ...rest] = data.technicians!.reach;
    data.technicians = {
      ...data.technicians!,
      reach: [
        {
          ...first!,
          problems: [
            ...first!.problems,
            {
              ruleId: 'technicians.dormant-disabled',
              title: 'Dormant technicians are disabled',
              status: 'insufficient_evidence',
              severity: 'medium',
              message: 'all 2 technicians of the ninjaone export (default) cannot be judged: lastLoginAt is absent',
              wholeExport: true,
            },
          ],
        },
        ...rest,
      ],
    };
    const mspSha = 'ab'.repeat(32);
    data.manifest = {
      ...data.manifest,
      msp: {
        msp: { slug: 'acme-msp', name: 'Acme Managed IT' },
        evaluationId: 'msp-evaluation-0001',
        snapshots: [
          {
            id: 'msp-snapshot-0001',
            kind: 'technicians',
            source: 'ninjaone',
            instance: 'default',
            collectedAt: null,
            receivedAt: new Date('2025-03-03T08:00:00Z'),
            sha256: mspSha,
          },
        ],
        files: [{ path: 'rules/packs/msp-technician-hygiene.yaml', sha256: 'cd'.repeat(32) }],
      },
    };
    const path = save(await renderReport(data));
    const raw = flat(text(path, '-raw'));
    expect(raw).toContain(
      'Dormant technicians are disabled: insufficient evidence, medium (finding about the whole export)',
    );
    expect(raw).toContain(
      'all 2 technicians of the ninjaone export (default) cannot be checked: the export does not show last sign-in',
    );
    const theirs = raw.slice(raw.indexOf("The MSP's evidence: Acme Managed IT (acme-msp)"));
    expect(theirs).toContain('msp-evaluation-0001');
    expect(theirs).toContain("MSP's technician snapshots used: 1");
    expect(theirs).toContain(mspSha);
    expect(theirs).toContain('id msp-snapshot-0001');
    expect(theirs).toContain("MSP's rule and pack files: 1");
    expect(theirs).toContain('rules/packs/msp-technician-hygiene.yaml');
    expect(clientRaw).not.toContain("The MSP's evidence"); // a manifest without the MSP's evidence shows none
  });

  it('has no technicians section in a report that is not a client report', async () => {
    const path = save(await renderReport(mspReportData()));
    const all = text(path);
    expect(all).toContain('Acme Managed IT');
    expect(all).not.toContain("Your MSP's technicians");
    expect(all).not.toContain('Technicians who can reach');
    expect(all).not.toContain('self-signed certificate');
  });

  it('numbers every page "Page x of y" with the right total', () => {
    const n = pageCount(clientPath);
    const pages = clientText.split('\f').filter((p) => p.trim() !== '');
    expect(pages).toHaveLength(n);
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${n}`));
  });

  it('never prints the phone numbers of evidence keys named phone or mobilePhone', () => {
    const digits = (s: string) => s.replace(/\D/g, '');
    for (const phone of PHONE_NUMBERS) {
      expect(clientText).not.toContain(phone);
      expect(clientRaw).not.toContain(phone);
      expect(digits(clientRaw)).not.toContain(digits(phone));
    }
    expect(clientRaw).not.toMatch(/\b(phone|mobilePhone)\s*=/);
  });
});

describe('renderReport: layout', () => {
  it('has no text box overlapping another, in the client and the MSP report', async () => {
    for (const path of [clientPath, save(await renderReport(mspReportData()))]) {
      const words = wordBoxes(path);
      expect(words.length).toBeGreaterThan(1000);
      expect(overlappingWords(words).map(describeOverlap)).toEqual([]);
    }
  });

  it('finds an overlap when text is drawn over text (the check can fail)', async () => {
    const data = clientReportData();
    const pdf = await renderReport(data, {
      beforeEnd: (doc) => {
        doc.switchToPage(0);
        doc.fontSize(12).text(`Overprinted ${data.tenant.name}`, 50, 95, { lineBreak: false });
      },
    });
    expect(overlappingWords(wordBoxes(save(pdf))).length).toBeGreaterThan(0);
  });

  it('never breaks a word inside a table header', () => {
    const headers = [
      'Requirements',
      'Verified',
      'configuration',
      'attestations',
      'Severity',
      'Problem',
      'Export',
      'Collected',
    ];
    const boxes = wordBoxes(clientPath);
    const words = new Set(boxes.map((w) => w.text));
    for (const h of headers) expect(words).toContain(h);
    // and no header label is set as a part on one line and the rest under it
    expect(brokenWords(boxes, headers).map(([a, b]) => `${a.text}|${b.text} p${a.page}`)).toEqual([]);
  });

  it('finds a word broken over two lines, which the header check relies on', () => {
    const box = (text: string, y: number, x = 100) => ({ page: 1, text, xMin: x, yMin: y, xMax: x + 40, yMax: y + 10 });
    const broken = [box('Require', 100), box('ments', 110)];
    expect(brokenWords(broken, ['Requirements'])).toHaveLength(1);
    expect(brokenWords([box('Require', 100), box('ments', 110, 300)], ['Requirements'])).toHaveLength(0);
    expect(brokenWords([box('Requirements', 100)], ['Requirements'])).toHaveLength(0);
  });
});

describe('renderReport: the file', () => {
  it('is byte-identical for the same data, and its /ID and dates come from the data', async () => {
    const again = await renderReport(clientReportData());
    expect(again.equals(client)).toBe(true);
    const raw = client.toString('latin1');
    const id = fileId(clientReportData().reportId).toString('hex');
    expect(raw).toContain(`/ID [<${id}> <${id}>]`);
    const other = await renderReport({ ...clientReportData(), reportId: 'another-report' });
    expect(other.toString('latin1')).not.toContain(id);
  });

  it('passes qpdf --check', () => {
    const r = run('qpdf', ['--check', clientPath]);
    expect(r.out).toContain('No syntax or stream encoding errors found');
    expect(r.status).toBe(0);
  });

  it('draws chips and table headers as vector graphics: no image in a report without a logo', () => {
    const qdf = join(dir, 'client.qdf.pdf');
    expect(run('qpdf', ['--qdf', '--object-streams=disable', clientPath, qdf]).status).toBe(0);
    const body = readFileSync(qdf, 'latin1');
    expect(/\/Subtype\s*\/Image/.test(body)).toBe(false);
    expect(/\/XObject/.test(body)).toBe(false);
    expect(body.match(/\d re\n/g)!.length).toBeGreaterThan(50); // rectangles: chips and table header fills
  });

  it('carries the document metadata, dated generatedAt', () => {
    const meta = info(clientPath);
    expect(meta.Title).toBe(`Compliance report: ${TENANT_NAME}`);
    expect(meta.Author).toBe('Posture');
    expect(meta.Subject).toContain(clientReportData().evaluation.id);
    expect(meta.Keywords).toContain('hipaa-security-rule');
    expect(meta.Creator).toBe('Posture');
    expect(meta.Producer).toContain('Posture');
    expect(meta.CreationDate).toBe('2025-03-04T10:15:00Z');
    expect(meta.ModDate).toBe('2025-03-04T10:15:00Z');
    expect(meta['Page size']).toContain('A4');
  });

  it('repeats the header row of a finding table on every page it continues onto', async () => {
    const path = save(await renderReport(withManyFindings(clientReportData(), 150)));
    const n = pageCount(path);
    const continued: number[] = [];
    for (let p = 1; p <= n; p++) {
      const page = text(path, '-layout', p);
      if (!page.includes('No enabled account is dormant (continued)')) continue;
      continued.push(p);
      expect(page).toMatch(/No\.\s+Item\s+Status\s+What was found\s+Requirements/);
    }
    expect(continued.length).toBeGreaterThanOrEqual(3);
    continued.forEach((p, i) => i > 0 && expect(p).toBe(continued[i - 1]! + 1));
    expect(text(path, '-layout', continued[0]! - 1)).toMatch(/No\.\s+Item\s+Status\s+What was found\s+Requirements/);
  });

  it("wraps or cuts long strings and replaces characters the report's fonts lack", async () => {
    const data: ReportData = {
      ...clientReportData(),
      tenant: { ...clientReportData().tenant, name: 'Zahnarztpraxis Müller 歯科 🦷' },
    };
    const long = `host-${'x'.repeat(400)}.northwind.example`;
    data.findings = data.findings.map((f, i) =>
      i === 0 ? { ...f, item: { id: long, name: long }, message: `${long} ${'very long message '.repeat(80)}` } : f,
    );
    const path = save(await renderReport(data));
    expect(run('qpdf', ['--check', path]).status).toBe(0);
    const all = text(path);
    expect(all).toContain('Zahnarztpraxis Müller ?? ?');
    const widest = Math.max(...all.split('\n').map((l) => l.length));
    expect(widest).toBeLessThan(200);
  });

  it('prints characters beyond Windows-1252 (Polish, Cyrillic, arrows) in embedded Unicode font subsets, deterministically', async () => {
    const unicode = (): ReportData => {
      const data = clientReportData();
      data.tenant = { ...data.tenant, name: 'Łódź Klinika' };
      const rule = data.findings[0]!.ruleId;
      // the remediation is printed once per rule: every finding of the rule carries it
      data.findings = data.findings.map((f, i) =>
        f.ruleId === rule
          ? {
              ...f,
              ...(i === 0 ? { item: { id: 'dmitry.иванов', name: 'dmitry.иванов' } } : {}),
              remediation: 'Status → System Logs → Settings',
            }
          : f,
      );
      return data;
    };
    const pdf = await renderReport(unicode());
    expect((await renderReport(unicode())).equals(pdf)).toBe(true);
    const path = save(pdf);
    const all = text(path);
    expect(all).toContain('Łódź Klinika');
    expect(all).toContain('dmitry.иванов');
    expect(all).toContain('What to do: Status → System Logs → Settings');
    expect(all).not.toMatch(/\?ódz|dmitry\.\?/);
    expect(info(path).Title).toBe('Compliance report: Łódź Klinika');
    // every font embedded, as a subset, with a ToUnicode map; none of the 14 standard ones
    const fonts = run('pdffonts', [path])
      .out.split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '');
    expect(fonts.length).toBeGreaterThanOrEqual(3);
    for (const line of fonts) {
      expect(line).toMatch(/^[A-Z]{6}\+DejaVuSans(Condensed|Mono)\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\b/);
    }
    expect(run('qpdf', ['--check', path]).status).toBe(0);
  });

  it('hands the document to beforeEnd before it ends: a signature placeholder that signs and verifies', async () => {
    const signer = loadSigner(
      { mode: 'self-signed' },
      mkdtempSync(join(dir, 'data-')),
      new Date('2025-03-01T00:00:00Z'),
    );
    const signedAt = clientReportData().generatedAt;
    const pdf = await renderReport(clientReportData(), {
      beforeEnd: (doc) =>
        addSignaturePlaceholder(doc, { reason: 'Posture compliance report', name: 'Posture', signingTime: signedAt }),
    });
    const signed = signPdf(pdf, signer);
    const result = verifyPdf(signed, (fp) => (fp === signer.fingerprint ? signer : undefined));
    expect(result.reasons).toEqual([]);
    expect(result.valid).toBe(true);
    expect(run('qpdf', ['--check', save(signed)]).status).toBe(0);
  });
});

describe('safeText', () => {
  it("keeps what the report's fonts draw, composes accents, and replaces the rest", () => {
    expect(safeText('Łódź Klinika · dmitry.иванов · Status → Logs · Ωμέγα')).toBe(
      'Łódź Klinika · dmitry.иванов · Status → Logs · Ωμέγα',
    );
    expect(safeText('Lo\u0301dz\u0301')).toBe('Lódź'); // decomposed accents are composed
    expect(safeText('歯科 🦷')).toBe('?? ?');
    expect(safeText('a\tb\u0007c\nd')).toBe('a b?c\nd');
  });
});

describe('evidenceLines', () => {
  it('prints dotted keys, withholds contact and secret keys at any depth, and cuts long values', () => {
    const lines = evidenceLines({
      username: 'a@b.example',
      mfa: { factors: [{ type: 'sms', phoneNumber: '+1 415 555 0100' }], registered: false },
      smsNumber: '+1 415 555 0101',
      apiToken: 'secret',
      description: 'x'.repeat(500),
      roles: ['Global Reader', 'Helpdesk'],
    });
    expect(lines).toEqual([
      'username = "a@b.example"',
      'mfa.factors.0.type = "sms"',
      'mfa.registered = false',
      `description = "${'x'.repeat(94)}…`,
      'roles = ["Global Reader", "Helpdesk"]',
      '(3 fields withheld: contact details or secrets)',
    ]);
  });

  it('caps the number of lines', () => {
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, i]));
    const lines = evidenceLines(many);
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe('… 15 more fields not shown');
  });
});

describe('renderReport: 10,000 findings', () => {
  it('renders a sane number of pages that qpdf accepts (time and memory are logged, not asserted)', async () => {
    const data = largeReportData(10_000);
    // one row per (rule, item): the fixture's items are distinct, so one per finding
    const rows = data.findings.length;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const pdf = await renderReport(data);
    const used = process.cpuUsage(cpu);
    const ms = performance.now() - started;
    const path = save(pdf);
    const pages = pageCount(path);
    console.log(
      `10,000 findings (${rows} table rows): ${Math.round(ms)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU, ${pages} pages, ${(pdf.length / 1e6).toFixed(1)} MB, RSS now ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
    );
    expect(pages).toBeGreaterThan(rows / 40);
    expect(pages).toBeLessThan(rows / 5);
    const check = run('qpdf', ['--check', path]);
    expect(check.out).toContain('No syntax or stream encoding errors found');
    expect(check.status).toBe(0);
    expect(text(path, '-layout', pages)).toContain(`Page ${pages} of ${pages}`);
  }, 120_000);
});
