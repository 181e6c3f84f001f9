/**
 * `posture push` against a running service for each exit code, and `posture evaluate` offline
 * on every source's fixtures; SARIF against the official 2.1.0 schema, JUnit through a reader.
 */
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueSlug } from '../helpers/app.js';
import { FIXTURES } from '../helpers/adapters.js';
import { expectValidSarif, readJunit } from '../helpers/ci-formats.js';
import { adminToken, cli, fetchOnce, processEnv, SPAWNS_MS, startService, type Running } from '../helpers/process.js';

const device = {
  id: 'edge',
  source: 'pfsense',
  name: 'edge',
  defaultInbound: 'deny',
  internetInterfaces: ['wan'],
  origin: { part: 'body', pointer: '/devices/0' },
};
const rule = (i: number, id: string, port: number, extra: Record<string, unknown> = {}) => ({
  id,
  device: 'edge',
  enabled: true,
  action: 'allow',
  direction: 'inbound',
  interface: 'wan',
  protocol: 'tcp',
  sources: ['0.0.0.0/0'],
  destinations: ['198.51.100.10/32'],
  ports: [{ from: port, to: port }],
  log: true,
  exposure: 'internet',
  description: id,
  origin: { part: 'body', pointer: `/rules/${i}` },
  ...extra,
});
const clean = { devices: [device], rules: [rule(0, 'https', 443)] };
const exposed = { devices: [device], rules: [rule(0, 'https', 443), rule(1, 'ssh', 22)] };

// every test runs the built CLI several times, beside the built service
import.meta.jest.setTimeout(SPAWNS_MS);

describe('the CLI', () => {
  let dir: string;
  let service: Running;
  let env: NodeJS.ProcessEnv;
  let tenant: string;
  const file = (name: string, doc: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(doc, null, 2));
    return path;
  };
  const push = (path: string, ...extra: string[]) =>
    cli(['push', '--tenant', tenant, '--source', 'canonical', '--kind', 'firewall', path, ...extra], env, dir);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'posture-cli-'));
    service = await startService(join(dir, 'data'), { seeded: true });
    const token = adminToken(join(dir, 'data'));
    env = {
      ...processEnv(join(dir, 'data')),
      POSTURE_SERVER: `http://127.0.0.1:${service.port}`,
      POSTURE_TOKEN: token,
    };
    tenant = uniqueSlug('ci');
    const res = await fetchOnce(`${env.POSTURE_SERVER}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      // an MSP runs technician hygiene only by default: this one opts in to the client frameworks
      body: JSON.stringify({
        slug: tenant,
        name: 'CI',
        kind: 'msp',
        packs: ['hipaa-security-rule', 'pci-dss-4.0.1', 'cis-controls-8.1', 'msp-technician-hygiene'],
      }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('push: exits 0 on a clean export', () => {
    const r = push(file('clean.json', clean));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/OK: no new failing finding at or above high/);
    // the three scores of each pack, each with what it counts
    expect(r.stdout).toMatch(/pack\s+verified from configuration\s+with attestations\s+with waivers/);
    expect(r.stdout).toMatch(/hipaa-security-rule\s+\S+% \(\d+\/\d+\)\s+\S+% \(\d+\/\d+\)\s+\S+% \(\d+\/\d+\)/);
  });

  it('push: exits 1 on a new failure at or above --fail-on, with SARIF and JUnit written', async () => {
    const path = file('exposed.json', exposed);
    const r = push(path, '--sarif', 'out.sarif', '--junit', 'out.xml');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL: 1 new finding\(s\) at or above high/);
    expect(r.stdout).toMatch(/firewall\.no-admin-ports-from-internet/);
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8'));
    expectValidSarif(sarif);
    const alert = sarif.runs[0].results.find(
      (x: { ruleId: string }) => x.ruleId === 'firewall.no-admin-ports-from-internet',
    );
    // the line of the rule object `/rules/1` in the file the user pushed (its "{" sits just above "id": "ssh")
    const line = readFileSync(path, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('"id": "ssh"'));
    expect(alert.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'exposed.json' },
      region: { startLine: line },
    });
    expect(alert.baselineState).toBe('new');
    expect(alert.partialFingerprints['postureFinding/v1']).toMatch(/^[0-9a-f]{64}$/);
    const junit = await readJunit(readFileSync(join(dir, 'out.xml'), 'utf8'));
    const cases = junit.testsuite.flatMap((s) => s.testcase ?? []);
    const failing = cases.filter((c) => c.name.startsWith('firewall.no-admin-ports-from-internet'));
    // one test case per pack of the tenant that uses the rule: CIS, HIPAA and PCI
    expect(failing.map((c) => c.failure?.[0]?.message)).toEqual(['1 item(s) fail', '1 item(s) fail', '1 item(s) fail']);
    expect(junit.failures).toBe(cases.filter((c) => c.failure).length);
  });

  it('push: an old failure passes by default and fails with --fail-on-existing; a lower --fail-on catches low findings', () => {
    // the export changed (a rule added), the ssh exposure of the previous push is still there: old
    const changed = file('exposed-changed.json', { ...exposed, rules: [...exposed.rules, rule(2, 'web', 8443)] });
    const again = push(changed);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/failing findings on this export: 1 \(0 new\)/);
    expect(again.stdout).toMatch(/OK: no new failing finding/);
    expect(push(changed, '--fail-on-existing').status).toBe(1);
    expect(push(changed, '--fail-on', 'critical', '--fail-on-existing').status).toBe(1);
    // an unlogged deny rule is a low finding: below the default threshold, caught by --fail-on low
    const quiet = file('quiet.json', {
      devices: [device],
      rules: [rule(0, 'https', 443), rule(1, 'telnet-block', 23, { action: 'deny', log: false })],
    });
    expect(push(quiet, '--instance', 'quiet').status).toBe(0);
    const quieter = file('quieter.json', {
      devices: [device],
      rules: [rule(0, 'https', 443), rule(1, 'telnet-block', 23, { action: 'deny', log: false }), rule(2, 'web', 8443)],
    });
    expect(push(quieter, '--instance', 'quiet', '--fail-on', 'low').status).toBe(0); // no longer new
    expect(push(quieter, '--instance', 'quiet', '--fail-on', 'low', '--fail-on-existing').status).toBe(1);
  });

  it('push: a re-run of a red build (the same export again) stays red until a waiver of the finding is approved', async () => {
    const red = file('red.json', { devices: [device], rules: [rule(0, 'https', 443), rule(1, 'rdp', 3389)] });
    expect(push(red, '--instance', 'rerun').status).toBe(1);
    const rerun = push(red, '--instance', 'rerun');
    expect(rerun.status).toBe(1);
    expect(rerun.stdout).toMatch(/FAIL: 1 new finding\(s\) at or above high/);
    const res = await fetchOnce(`${env.POSTURE_SERVER}/v1/tenants/${tenant}/waivers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.POSTURE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ruleId: 'firewall.no-admin-ports-from-internet',
        itemMatch: 'rdp',
        justification: 'vendor support window, closed Friday',
        expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      }),
    });
    expect(res.status).toBe(201);
    // requested, not yet approved: the build stays red
    expect(push(red, '--instance', 'rerun').status).toBe(1);
    const ciso = cli(['token', '--tenant', tenant, '--role', 'officer', '--sub', 'ciso@msp'], env).stdout.trim();
    const { id } = (await res.json()) as { id: string };
    const approved = await fetchOnce(`${env.POSTURE_SERVER}/v1/tenants/${tenant}/waivers/${id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ciso}` },
    });
    expect(approved.status).toBe(200);
    expect(push(red, '--instance', 'rerun').status).toBe(0);
  });

  it('push: a rule whose exposure was unknown and is now known to be the internet is a new failure', () => {
    const unknown = file('unknown.json', {
      devices: [device],
      rules: [rule(0, 'https', 443), rule(1, 'vnc', 5900, { exposure: 'unknown' })],
    });
    expect(push(unknown, '--instance', 'worse').status).toBe(0);
    const known = file('known.json', { devices: [device], rules: [rule(0, 'https', 443), rule(1, 'vnc', 5900)] });
    const worse = push(known, '--instance', 'worse');
    expect(worse.status).toBe(1);
    expect(worse.stdout).toMatch(/firewall\.no-admin-ports-from-internet/);
  });

  it('push: SARIF fingerprints are stable across pushes (no duplicate alerts)', () => {
    const path = join(dir, 'exposed.json');
    const first = push(path, '--sarif', 'a.sarif');
    push(path, '--sarif', 'b.sarif');
    const fps = (f: string) =>
      (
        JSON.parse(readFileSync(join(dir, f), 'utf8')).runs[0].results as {
          partialFingerprints: Record<string, string>;
        }[]
      )
        .map((x) => x.partialFingerprints['postureFinding/v1'])
        .sort();
    expect(fps('a.sarif')).toEqual(fps('b.sarif'));
    expect(fps('a.sarif').length).toBeGreaterThan(0);
    // only this export's results (the tenant's other instances fail too: vnc in "worse"), and no
    // automationDetails, so the upload step's category decides
    const run = JSON.parse(readFileSync(join(dir, 'a.sarif'), 'utf8')).runs[0];
    const snapshot = /^snapshot ([0-9a-f-]{36}):/m.exec(first.stdout)![1];
    expect(new Set(run.results.map((r: { properties: { snapshotId: string } }) => r.properties.snapshotId))).toEqual(
      new Set([snapshot]),
    );
    expect(
      run.results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    ).toEqual(run.results.map(() => 'exposed.json'));
    expect(run.automationDetails).toBeUndefined();
  });

  it('push: exits 2 on network errors, server refusals and bad usage', () => {
    const path = join(dir, 'clean.json');
    const network = cli(
      [
        'push',
        '--tenant',
        tenant,
        '--source',
        'canonical',
        '--kind',
        'firewall',
        path,
        '--server',
        'http://127.0.0.1:9',
      ],
      env,
      dir,
    );
    expect(network.status).toBe(2);
    expect(network.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
    const refused = cli(
      ['push', '--tenant', 'no-such-tenant', '--source', 'canonical', '--kind', 'firewall', path],
      env,
      dir,
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/404 tenant_not_found/);
    expect(cli(['push', '--source', 'canonical', path], env, dir).status).toBe(2);
    expect(push(path, '--fail-on', 'extreme').status).toBe(2);
    expect(cli(['push', '--tenant', tenant, '--source', 'nosuch', path], env, dir).stderr).toMatch(
      /unknown source "nosuch"/,
    );
    expect(push(join(dir, 'missing.json')).stderr).toMatch(/cannot read .*missing\.json: ENOENT/);
  });

  it('report saves the signed PDF; verify checks it offline and with the server (0), and a changed byte (1)', async () => {
    const own = uniqueSlug('rep');
    const res = await fetchOnce(`${env.POSTURE_SERVER}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.POSTURE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: own, name: 'Report', kind: 'msp' }),
    });
    expect(res.status).toBe(201);
    const made = cli(['report', '--tenant', own, '--out', 'report.pdf'], env, dir);
    expect({ status: made.status, stderr: made.stderr }).toEqual({ status: 0, stderr: '' });
    expect(made.stdout).toMatch(/^report [0-9a-f-]{36} → report\.pdf \(\d+ bytes, sha256 [0-9a-f]{64}, signer /);
    const cert = join(dir, 'data', 'signing', 'cert.pem');
    const offline = cli(['verify', 'report.pdf', '--cert', cert], env, dir);
    expect({ status: offline.status, valid: JSON.parse(offline.stdout).valid }).toEqual({ status: 0, valid: true });
    expect(JSON.parse(cli(['verify', 'report.pdf'], env, dir).stdout).valid).toBe(true);
    const pdf = readFileSync(join(dir, 'report.pdf'));
    const at = Math.floor(pdf.length / 3);
    pdf.writeUInt8(pdf.readUInt8(at) ^ 0x01, at);
    writeFileSync(join(dir, 'changed.pdf'), pdf);
    const changed = cli(['verify', 'changed.pdf', '--cert', cert], env, dir);
    expect({ status: changed.status, valid: JSON.parse(changed.stdout).valid }).toEqual({ status: 1, valid: false });
    expect(cli(['report', '--tenant', 'no-such-tenant', '--out', 'x.pdf'], env, dir).status).toBe(2);
  });

  const SOURCES: [string, string[]][] = [
    [
      'okta',
      [
        'users=okta/users-page1.json',
        'users=okta/users-page2.json',
        'factors=okta/factors-page1.json',
        'factors=okta/factors-page2.json',
        'roles=okta/roles.json',
      ],
    ],
    [
      'entra',
      ['registrations=entra/registrations-page1.json', 'policies=entra/policies.json', 'users=entra/users.json'],
    ],
    ['duo', ['duo/users-page1.json']],
    ['crowdstrike', ['devices=crowdstrike/devices-page1.json', 'policies=crowdstrike/policies.json']],
    ['defender', ['machines=defender/machines-page1.json', 'avinfo=defender/avinfo.json']],
    ['sentinelone', ['sentinelone/agents-bare.json']],
    ['iptables-save', ['iptables-save/host.rules']],
    ['nftables', ['nftables/host.json']],
    ['pfsense', ['pfsense/config.xml']],
    ['opnsense', ['opnsense/config.xml']],
    [
      'aws-security-groups',
      ['groups=aws-security-groups/groups-page1.json', 'prefixLists=aws-security-groups/prefix-lists.json'],
    ],
    ['ninjaone', ['technicians=ninjaone/users.json', 'activities=ninjaone/activities.json']],
    ['connectwise', ['connectwise/members.json']],
    ['datto-rmm', ['datto-rmm/users-bare.json']],
    ['kaseya-vsa', ['kaseya-vsa/users.json']],
  ];

  it.each(SOURCES)('evaluate: %s fixtures offline, as JSON and SARIF', (source, parts) => {
    const args = parts.map((p) => (p.includes('=') ? p.replace('=', `=${FIXTURES}/`) : `${FIXTURES}/${p}`));
    const json = cli(
      ['evaluate', '--source', source, ...args, '--format', 'json', '--as-of', '2026-11-01T00:00:00Z'],
      env,
      dir,
    );
    expect([0, 1]).toContain(json.status);
    const out = JSON.parse(json.stdout) as {
      rules: { state: string }[];
      findings: { status: string; severity: string }[];
    };
    expect(out.rules.length).toBeGreaterThan(0);
    const blocking = out.findings.some((f) => f.status === 'fail' && ['critical', 'high'].includes(f.severity));
    expect(json.status).toBe(blocking ? 1 : 0);
    const sarif = cli(
      ['evaluate', '--source', source, ...args, '--format', 'sarif', '--as-of', '2026-11-01T00:00:00Z'],
      env,
      dir,
    );
    expectValidSarif(JSON.parse(sarif.stdout));
  });

  it('evaluate: --format csv writes one row per rule and item, the same rows as --format json', () => {
    const args = [
      'evaluate',
      '--source',
      'iptables-save',
      `${FIXTURES}/iptables-save/host.rules`,
      '--as-of',
      '2026-11-01T00:00:00.000Z',
    ];
    const csv = cli([...args, '--internet-interfaces', 'eth0', '--format', 'csv'], env, dir);
    expect(csv.stderr).toBe('');
    const records = parse(csv.stdout, { bom: true, columns: true }) as Record<string, string>[];
    const jsonRun = cli([...args, '--internet-interfaces', 'eth0', '--format', 'json'], env, dir);
    const json = JSON.parse(jsonRun.stdout) as { findings: { ruleId: string; item: { id: string } | null }[] };
    expect(records.length).toBeGreaterThan(0);
    expect(records.map((r) => `${r.Rule} ${r.Item}`).sort()).toEqual(
      json.findings.map((f) => `${f.ruleId} ${f.item?.id ?? ''}`).sort(),
    );
    // offline, every problem is first seen at the evaluation's time
    expect(new Set(records.map((r) => r['First seen']))).toEqual(new Set(['2026-11-01T00:00:00Z']));
    // the same gate decides the exit code whatever the format
    expect(csv.status).toBe(jsonRun.status);
  });

  it('evaluate: a router dump without --internet-interfaces fails SSH and RDP exposure (interfaces inferred from NAT) and exits 1', () => {
    const r = cli(
      [
        'evaluate',
        '--source',
        'iptables-save',
        `${FIXTURES}/iptables-save/router.rules`,
        '--format',
        'json',
        '--as-of',
        '2026-12-07T10:00:00Z',
      ],
      env,
      dir,
    );
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 1, stderr: '' });
    const out = JSON.parse(r.stdout) as {
      findings: { ruleId: string; status: string; message: string; evidence: Record<string, unknown> }[];
      warnings: { code: string; message: string }[];
    };
    expect(out.warnings).toContainEqual(
      expect.objectContaining({
        code: 'internet_interfaces_inferred',
        message: expect.stringContaining('eth0 taken to face the internet'),
      }),
    );
    const exposed = out.findings.filter((f) => f.ruleId === 'firewall.no-admin-ports-from-internet');
    expect(exposed.every((f) => f.status === 'fail')).toBe(true);
    const ports = exposed.map((f) => (f.evidence.ports as { from: number }[])[0]!.from).sort((a, b) => a - b);
    expect(ports).toEqual([22, 3389]);
    for (const f of exposed) expect(f.evidence.sources).toEqual(['0.0.0.0/0']);
    expect(out.findings.some((f) => f.status === 'insufficient_evidence' && /admin/.test(f.ruleId))).toBe(false);
  });

  it('evaluate: an explicit --internet-interfaces wins over the NAT rules (eth1 named: the eth0 RDP forward is internal)', () => {
    const r = cli(
      [
        'evaluate',
        '--source',
        'iptables-save',
        `${FIXTURES}/iptables-save/router.rules`,
        '--internet-interfaces',
        'eth1',
        '--format',
        'json',
      ],
      env,
      dir,
    );
    const out = JSON.parse(r.stdout) as {
      findings: { ruleId: string; status: string; evidence: { ports?: { from: number }[] } }[];
      warnings: { code: string }[];
    };
    expect(out.warnings.map((w) => w.code)).not.toContain('internet_interfaces_inferred');
    const admin = out.findings.filter((f) => f.ruleId === 'firewall.no-admin-ports-from-internet');
    // the any-interface SSH accept takes eth1 too: still exposed; the DNAT on eth0 is not
    expect(admin.some((f) => f.evidence.ports?.some((p) => p.from === 22))).toBe(true);
    expect(admin.some((f) => f.evidence.ports?.some((p) => p.from === 3389))).toBe(false);
  });

  it('evaluate: JUnit, a table, and exit 2 on an unreadable export', async () => {
    const junit = cli(
      [
        'evaluate',
        '--source',
        'iptables-save',
        `${FIXTURES}/iptables-save/host.rules`,
        '--internet-interfaces',
        'eth0',
        '--format',
        'junit',
      ],
      env,
      dir,
    );
    const parsed = await readJunit(junit.stdout);
    expect(parsed.testsuite.length).toBeGreaterThan(0);
    const table = cli(
      [
        'evaluate',
        '--source',
        'iptables-save',
        `${FIXTURES}/iptables-save/host.rules`,
        '--internet-interfaces',
        'eth0',
      ],
      env,
      dir,
    );
    expect(table.stdout).toMatch(/^rule\s+state\s+pass\s+fail/m);
    // packs with different parameters judge one rule differently: a row per pack, named
    const sixtyDaysAgo = {
      id: 'dana',
      source: 'canonical',
      username: 'dana@example.com',
      status: 'active',
      accountType: 'human',
      authSource: 'local',
      mfa: { registered: true },
      lastLoginAt: '2026-09-02T00:00:00Z',
      origin: { part: 'body', pointer: '/users/0' },
    };
    const identity = file('identity.json', { users: [sixtyDaysAgo] });
    const dormant = cli(
      ['evaluate', '--source', 'canonical', '--kind', 'identity', identity, '--as-of', '2026-11-01T00:00:00Z'],
      env,
      dir,
    );
    const rows = dormant.stdout
      .split('\n')
      .filter((l) => l.startsWith('identity.dormant-accounts'))
      .map((l) => l.split(/\s+/).slice(0, 4));
    expect(rows).toEqual(
      expect.arrayContaining([
        ['identity.dormant-accounts', '(cis-controls-8.1)', 'fail', '0'],
        ['identity.dormant-accounts', '(pci-dss-4.0.1)', 'pass', '1'],
      ]),
    );
    expect(dormant.stdout).toMatch(/^identity\.mfa-registered\s+pass\s+1\s+0/m);
    const bad = cli(['evaluate', '--source', 'nftables', `${FIXTURES}/iptables-save/host.rules`], env, dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/malformed JSON/);
  });
  it('evaluate --collected-at: clock-dependent rules measure to when the export was taken; past maxEvidenceAgeDays passes are stale', () => {
    const endpoints = file('endpoints.json', {
      endpoints: [
        {
          id: 'ep1',
          source: 'canonical',
          hostname: 'ws01',
          managed: true,
          agent: { vendor: 'crowdstrike', health: 'healthy', lastSeenAt: '2026-10-31T23:00:00Z' },
          origin: { part: 'body', pointer: '/endpoints/0' },
        },
      ],
    });
    const run = (asOf: string) => {
      const r = cli(
        [
          'evaluate',
          '--source',
          'canonical',
          '--kind',
          'endpoint',
          endpoints,
          '--pack',
          'cis-controls-8.1',
          '--collected-at',
          '2026-11-01T00:00:00Z',
          '--as-of',
          asOf,
          '--format',
          'json',
        ],
        env,
        dir,
      );
      const out = JSON.parse(r.stdout) as {
        rules: { ruleId: string; state: string }[];
        findings: { ruleId: string; status: string; stale: boolean }[];
      };
      return {
        state: out.rules.find((x) => x.ruleId === 'endpoint.agent-recently-seen')!.state,
        findings: out.findings
          .filter((f) => f.ruleId === 'endpoint.agent-recently-seen')
          .map((f) => [f.status, f.stale]),
      };
    };
    // 17 days later: the agent was seen an hour before the export, not silent for 17 days
    expect(run('2026-11-18T00:00:00Z')).toEqual({ state: 'pass', findings: [] });
    expect(run('2026-12-16T00:00:00Z')).toEqual({
      state: 'insufficient_evidence',
      findings: [['insufficient_evidence', true]],
    });
    const bad = cli(
      ['evaluate', '--source', 'canonical', '--kind', 'endpoint', endpoints, '--collected-at', 'last tuesday'],
      env,
      dir,
    );
    expect({ status: bad.status, stderr: bad.stderr }).toEqual({
      status: 2,
      stderr: expect.stringMatching(/--collected-at must be an RFC 3339 time/),
    });
  });

  it('push --collected-at sends X-Collected-At; a time in the future is refused (exit 2)', async () => {
    const path = file('collected.json', clean);
    const pushed = push(path, '--instance', 'collected', '--collected-at', '2026-11-01T00:00:00Z');
    expect(pushed.status).toBe(0);
    const id = /^snapshot ([0-9a-f-]{36}):/m.exec(pushed.stdout)![1];
    const res = await fetchOnce(`${env.POSTURE_SERVER}/v1/tenants/${tenant}/snapshots/${id}`, {
      headers: { authorization: `Bearer ${env.POSTURE_TOKEN}` },
    });
    expect(await res.json()).toMatchObject({ collectedAt: '2026-11-01T00:00:00.000Z', collectedAtSource: 'header' });
    const future = push(path, '--instance', 'collected', '--collected-at', '2999-01-01T00:00:00Z');
    expect({ status: future.status, stderr: future.stderr }).toEqual({
      status: 2,
      stderr: expect.stringMatching(/X-Collected-At is in the future/),
    });
  });
});
