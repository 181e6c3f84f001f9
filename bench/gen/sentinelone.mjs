/**
 * SentinelOne: `GET /web/api/v2.1/agents` as `{data, pagination}` (FORMATS.md §7, the shape of
 * tests/fixtures/sentinelone). Mix (per agent): ~1.3% decommissioned or uninstalled, ~1% inactive,
 * ~2.3% partially/fully disabled, ~1.2% unreadable operational state, ~2.5% detect-only, ~1% no
 * mitigation mode, ~1.7% with active threats, ~4% on an agent older than 24.1, ~4% silent for
 * more than 14 days, ~0.1% never seen. S1 exports no anti-tamper state and no signatures.
 */
import { clock, createRandom, writeJsonRecords } from '../lib/prng.mjs';

const SITES = ['Client A', 'Client B', 'HQ', 'Branch North', 'Branch South', 'Warehouse', 'Clinic 1', 'Clinic 2'];
const MODELS = [
  'Dell Inc. - Latitude 7440',
  'LENOVO - ThinkPad T14 Gen 4',
  'HP - EliteBook 840 G9',
  'VMware, Inc. - VMware7,1',
  'Apple - MacBook Pro (14-inch, 2023)',
];

/** `marker`: the first agent's computerName is BENCH-RUN-0000, for the bench to vary per run at a fixed length. */
export function sentineloneExport({ seed, anchorMs, stream = 'sentinelone', marker = false }) {
  const rnd = createRandom(seed, stream);
  const c = clock(anchorMs);
  const accountId = rnd.digits(19);
  const agent = (i) => {
    const osType = rnd.weighted([
      ['windows', 78],
      ['macos', 10],
      ['linux', 12],
    ]);
    const server = osType === 'linux' || (osType === 'windows' && rnd.chance(0.1));
    const removed = rnd.weighted([
      ['no', 98.7],
      ['decommissioned', 1],
      ['uninstalled', 0.3],
    ]);
    const state = rnd.weighted([
      ['na', 95.3],
      ['partially_disabled', 1.2],
      ['auto_partially_disabled', 0.3],
      ['fully_disabled', 0.5],
      ['auto_fully_disabled', 0.2],
      ['disabled_error', 0.1],
      ['db_corruption', 0.05],
      ['', 1.15],
    ]);
    const threats = rnd.weighted([
      [0, 98.1],
      [1, 1],
      [2, 0.4],
      [3, 0.3],
      ['infected-0', 0.2],
    ]);
    const seen =
      removed !== 'no'
        ? 30 + rnd.next() * 300
        : rnd.weighted([
            [0, 92],
            [1, 3.9],
            [2, 4],
            [3, 0.1],
          ]);
    const lastSeenDays =
      removed !== 'no'
        ? seen
        : seen === 0
          ? rnd.next() * 3
          : seen === 1
            ? 3 + rnd.next() * 10.9
            : seen === 2
              ? 14.1 + rnd.next() * 100
              : null;
    const major = rnd.weighted([
      ['25.1', 25],
      ['24.2', 30],
      ['24.1', 37],
      ['23.4', 3],
      ['23.3', 1],
    ]);
    const ip = `10.${rnd.int(40, 80)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}`;
    const site = rnd.pick(SITES);
    const name =
      marker && i === 0
        ? 'BENCH-RUN-0000'
        : `${server ? (osType === 'linux' ? 'lnx' : 'SRV') : osType === 'macos' ? 'MAC' : 'WS'}-${site
            .replace(/[^A-Za-z0-9]/g, '')
            .toUpperCase()
            .slice(0, 6)}-${i}`;
    const created = c.isoFrac(60 + rnd.int(0, 700), 6, rnd);
    return {
      accountId,
      accountName: 'Example MSP - Bench Client',
      activeDirectory: {
        computerDistinguishedName: null,
        computerMemberOf: [],
        lastUserDistinguishedName: null,
        lastUserMemberOf: [],
      },
      activeThreats: threats === 'infected-0' ? 0 : threats,
      agentVersion: `${major}.${rnd.int(1, 9)}.${rnd.int(10, 400)}`,
      allowRemoteShell: false,
      appsVulnerabilityStatus: rnd.weighted([
        ['up_to_date', 80],
        ['patch_required', 18],
        ['not_applicable', 2],
      ]),
      computerName: name,
      consoleMigrationStatus: 'N/A',
      coreCount: rnd.pick([2, 4, 8, 16]),
      cpuCount: 1,
      cpuId: rnd.pick([
        'Intel(R) Core(TM) i5-1145G7 CPU @ 2.60GHz',
        'Intel(R) Core(TM) i7-1365U',
        'AMD EPYC 7763 64-Core Processor',
        'Apple M2',
      ]),
      createdAt: created,
      domain: osType === 'windows' ? 'CORP' : 'WORKGROUP',
      encryptedApplications: rnd.chance(0.9),
      externalId: '',
      externalIp: `203.0.113.${rnd.int(1, 254)}`,
      firewallEnabled: rnd.chance(0.95),
      groupId: rnd.digits(19),
      groupIp: '203.0.113.x',
      groupName: 'Default Group',
      id: rnd.digits(19),
      inRemoteShellSession: false,
      infected: threats !== 0,
      installerType: osType === 'windows' ? '.msi' : osType === 'macos' ? '.pkg' : '.deb',
      isActive: removed !== 'no' ? false : rnd.chance(0.99),
      isDecommissioned: removed === 'decommissioned',
      isPendingUninstall: false,
      isUninstalled: removed === 'uninstalled',
      isUpToDate: rnd.chance(0.85),
      lastActiveDate: lastSeenDays === null ? null : c.isoFrac(lastSeenDays, 6, rnd),
      lastIpToMgmt: ip,
      lastLoggedInUserName: `user${rnd.int(1, 99999)}`,
      licenseKey: '',
      locationEnabled: true,
      locationType: 'fallback',
      locations: [{ id: '629380164464502476', name: 'Fallback', scope: 'global' }],
      machineType: server ? 'server' : rnd.pick(['laptop', 'desktop']),
      mitigationMode: rnd.weighted([
        ['protect', 96.5],
        ['detect', 2.5],
        ['', 1],
      ]),
      mitigationModeSuspicious: 'detect',
      modelName: rnd.pick(MODELS),
      networkInterfaces: [
        { id: '1', inet: [ip], inet6: [`2001:db8::${rnd.hex(4)}`], name: 'Ethernet', physical: rnd.mac(':') },
      ],
      networkStatus: rnd.weighted([
        ['connected', 99],
        ['disconnected', 0.8],
        ['connecting', 0.2],
      ]),
      operationalState: state === '' ? undefined : state,
      operationalStateExpiration: null,
      osArch: '64 bit',
      osName:
        osType === 'windows'
          ? server
            ? 'Windows Server 2022 Standard'
            : rnd.pick(['Windows 11 Pro', 'Windows 10 Pro', 'Windows 11 Enterprise'])
          : osType === 'macos'
            ? 'macOS Sonoma'
            : rnd.pick(['Ubuntu 22.04.4 LTS', 'Red Hat Enterprise Linux 9.4', 'Debian GNU/Linux 12']),
      osRevision: String(rnd.int(17763, 26100)),
      osStartTime: c.iso(rnd.int(0, 20)),
      osType,
      osUsername: null,
      rangerStatus: 'NotApplicable',
      rangerVersion: null,
      registeredAt: created,
      remoteProfilingState: 'disabled',
      scanAbortedAt: null,
      scanFinishedAt: c.iso(rnd.int(1, 60)),
      scanStartedAt: c.iso(rnd.int(61, 62)),
      scanStatus: 'finished',
      serialNumber: rnd.hex(10).toUpperCase(),
      siteId: rnd.digits(19),
      siteName: site,
      threatRebootRequired: false,
      totalMemory: rnd.pick([8192, 16088, 32768, 65536]),
      updatedAt: c.isoFrac(lastSeenDays ?? 100, 6, rnd),
      userActionsNeeded: rnd.chance(0.03) ? ['reboot_needed'] : [],
      missingPermissions: [],
      uuid: rnd.hex(32),
    };
  };
  return {
    /** `{count}` agents, or as many as fit in `{maxBytes}` */
    writeAgents(fd, writeSync, limits) {
      return writeJsonRecords(
        fd,
        writeSync,
        '{"data":[',
        limits,
        agent,
        `],"pagination":{"nextCursor":null,"totalItems":null},"errors":null}`,
      );
    },
  };
}
