/**
 * CrowdStrike Falcon: host details (`GET /devices/entities/devices/v2`, Falcon envelope) and the
 * prevention policies they name (`GET /policy/entities/prevention/v1`). Shapes as in
 * tests/fixtures/crowdstrike and FORMATS.md §5. Mix (per host): ~2.5% reduced functionality mode
 * ("yes"), ~2% RFM unreadable ("" / "Unknown"), ~4% last seen more than 14 days ago, ~0.5% no
 * last_seen, ~4% on a sensor older than 7.20, ~3% on a detect-only policy, ~0.5% on a disabled
 * policy, ~1.5% on a policy with tamper protection off, ~2% uninstall protection off, ~0.3% naming
 * a policy missing from the export, ~0.3% with no prevention policy, ~0.4% re-imaged duplicates
 * (same hostname, new AID, the old record stale).
 */
import { clock, createRandom, writeJsonRecords } from '../lib/prng.mjs';

const DEPTS = ['FIN', 'HR', 'ENG', 'OPS', 'SALES', 'MKT', 'LEGAL', 'IT', 'SUP', 'RND', 'CLIN', 'ADM'];
const SLIDER = (detection, prevention) => ({ detection, prevention });

/** The prevention policies of the tenant: id suffix, name, platform, enabled, sliders, tamper. */
const POLICY_DEFS = [
  ['01', 'platform_default', 'Windows', true, 'MODERATE', 'MODERATE', true],
  ['02', 'platform_default', 'Mac', true, 'MODERATE', 'MODERATE', true],
  ['03', 'platform_default', 'Linux', true, 'MODERATE', 'CAUTIOUS', true],
  ['04', 'Workstations - Prevent', 'Windows', true, 'AGGRESSIVE', 'MODERATE', true],
  ['05', 'Servers - Prevent', 'Windows', true, 'AGGRESSIVE', 'AGGRESSIVE', true],
  ['06', 'Finance - Prevent', 'Windows', true, 'EXTRA_AGGRESSIVE', 'AGGRESSIVE', true],
  ['07', 'Developers - Prevent (tamper off)', 'Windows', true, 'MODERATE', 'MODERATE', false],
  ['08', 'HR - Detect only', 'Windows', true, 'MODERATE', 'DISABLED', true],
  ['09', 'Legacy - Disabled', 'Windows', false, 'MODERATE', 'MODERATE', true],
  ['0a', 'Linux Servers - Prevent', 'Linux', true, 'AGGRESSIVE', 'MODERATE', true],
  ['0b', 'Mac Workstations - Prevent', 'Mac', true, 'AGGRESSIVE', 'MODERATE', true],
  ['0c', 'Pilot - custom sliders', 'Windows', true, 'MODERATE', 'PILOT_LEVEL', true],
];
const policyId = (suffix) => `p${'0'.repeat(29)}${suffix}`;
const MISSING_POLICY = policyId('ff');

function policy(def, c, rnd) {
  const [suffix, name, platform, enabled, detection, prevention, tamper] = def;
  const toggle = (id, label, on) => ({ id, name: label, type: 'toggle', description: '', value: { enabled: on } });
  const slider = (id, label, d, p) => ({ id, name: label, type: 'mlslider', description: '', value: SLIDER(d, p) });
  return {
    id: policyId(suffix),
    cid: '0123456789abcdef0123456789abcdef',
    name,
    description: `${name} (bench)`,
    platform_name: platform,
    groups: [],
    enabled,
    created_by: 'admin@example.com',
    created_timestamp: c.isoFrac(700 + rnd.int(0, 300), 9, rnd),
    modified_by: 'admin@example.com',
    modified_timestamp: c.isoFrac(rnd.int(10, 200), 9, rnd),
    ioa_rule_groups: [],
    prevention_settings: [
      {
        name: 'Cloud Machine Learning',
        settings: [
          slider('CloudAntiMalware', 'Cloud Anti-malware', detection, prevention),
          slider('AdwarePUP', 'Adware & PUP', 'MODERATE', 'MODERATE'),
        ],
      },
      {
        name: 'Sensor Machine Learning',
        settings: [slider('OnSensorMLSlider', 'Sensor Anti-malware', detection, prevention)],
      },
      {
        name: 'Sensor Capabilities',
        settings: [
          toggle('NextGenAV', 'Quarantine & Security Center Registration', true),
          toggle('SensorTamperingProtection', 'Sensor Tampering Protection', tamper),
        ],
      },
      {
        name: 'Execution Blocking',
        settings: [
          toggle('CustomBlacklisting', 'Custom Blocking', true),
          toggle('PreventSuspiciousProcesses', 'Suspicious Processes', true),
          toggle('IntelPrevention', 'Intelligence-Sourced Threats', true),
        ],
      },
      {
        name: 'Ransomware',
        settings: [
          toggle('BackupDeletion', 'Backup Deletion', true),
          toggle('Cryptowall', 'Cryptowall', true),
          toggle('FileEncryption', 'File Encryption', true),
          toggle('VolumeShadowCopyProtect', 'Volume Shadow Copy - Protect', true),
        ],
      },
    ],
  };
}

/** Generates `count` hosts; returns the device record factory and the policies document. */
export function crowdstrikeExport({ seed, anchorMs, count }) {
  const rnd = createRandom(seed, 'crowdstrike');
  const c = clock(anchorMs);
  const cid = rnd.hex(32);
  const policies = POLICY_DEFS.map((d) => policy(d, c, rnd));
  const hostnames = [];
  const device = (i) => {
    const platform = rnd.weighted([
      ['Windows', 75],
      ['Mac', 12],
      ['Linux', 13],
    ]);
    const server = platform === 'Linux' ? rnd.chance(0.8) : platform === 'Windows' ? rnd.chance(0.12) : false;
    const dept = rnd.pick(DEPTS);
    // ~0.4% re-imaged hosts: the same hostname again under a new AID, the old record gone stale
    const reimaged = hostnames.length > 100 && rnd.chance(0.004);
    const hostname = reimaged
      ? rnd.pick(hostnames)
      : platform === 'Mac'
        ? `MAC-${dept}-${i}`
        : server
          ? `${platform === 'Linux' ? 'lnx' : 'SRV'}-${dept.toLowerCase()}-${i}`
          : `WS-${dept}-${i}`;
    if (!reimaged && hostnames.length < 5000) hostnames.push(hostname);
    const seen = reimaged
      ? rnd.int(20, 200) + rnd.next()
      : rnd.weighted([
          [0, 93],
          [1, 3],
          [2, 3.5],
          [3, 0.5],
        ]);
    const lastSeenDays = reimaged
      ? seen
      : seen === 0
        ? rnd.next() * 3
        : seen === 1
          ? 3 + rnd.next() * 10.9
          : seen === 2
            ? 14.1 + rnd.next() * 76
            : null;
    const minor = rnd.weighted([
      [22, 40],
      [21, 28],
      [20, 24],
      [19, 3],
      [18, 1],
      [-1, 0.2],
    ]);
    const agentVersion = minor < 0 ? '' : `7.${minor}.${rnd.int(16000, 19999)}.0`;
    const rfm = rnd.weighted([
      ['no', 95.5],
      ['yes', 2.5],
      ['', 1],
      ['Unknown', 1],
    ]);
    const windowsPolicy = rnd.weighted([
      ['04', 55],
      ['01', 20],
      ['06', 8],
      ['07', 1.5],
      ['08', 3],
      ['09', 0.5],
      ['0c', 0.3],
      ['05', 0],
      ['missing', 0.3],
      ['none', 0.2],
    ]);
    const suffix =
      platform === 'Windows'
        ? server
          ? rnd.weighted([
              ['05', 90],
              ['01', 9],
              ['08', 1],
            ])
          : windowsPolicy
        : platform === 'Mac'
          ? rnd.weighted([
              ['0b', 85],
              ['02', 15],
            ])
          : rnd.weighted([
              ['0a', 80],
              ['03', 20],
            ]);
    const pid = suffix === 'missing' ? MISSING_POLICY : suffix === 'none' ? undefined : policyId(suffix);
    const firstSeen = c.iso(30 + rnd.int(0, 900));
    const osVersion =
      platform === 'Windows'
        ? server
          ? rnd.pick(['Windows Server 2019', 'Windows Server 2022', 'Windows Server 2016'])
          : rnd.weighted([
              ['Windows 11', 60],
              ['Windows 10', 40],
            ])
        : platform === 'Mac'
          ? rnd.pick(['Sonoma (14)', 'Sequoia (15)', 'Ventura (13)'])
          : rnd.pick(['RHEL 9.4', 'Ubuntu 22.04', 'Ubuntu 24.04', 'Debian 12', 'Amazon Linux 2023']);
    const d = {
      device_id: rnd.hex(32),
      cid,
      agent_load_flags: rnd.pick(['0', '1', '3']),
      agent_local_time: lastSeenDays === null ? undefined : c.isoFrac(lastSeenDays + 0.0001, 3, rnd),
      agent_version: agentVersion,
      bios_manufacturer:
        platform === 'Mac'
          ? 'Apple Inc.'
          : rnd.pick(['Dell Inc.', 'LENOVO', 'HP', 'VMware, Inc.', 'Microsoft Corporation']),
      bios_version: `${rnd.int(1, 3)}.${rnd.int(0, 30)}.${rnd.int(0, 9)}`,
      config_id_base: String(rnd.int(60000000, 69999999)),
      config_id_build: String(rnd.int(16000, 19999)),
      config_id_platform: platform === 'Windows' ? '3' : platform === 'Mac' ? '4' : '8',
      external_ip: `203.0.113.${rnd.int(1, 254)}`,
      mac_address: rnd.mac('-'),
      hostname: rnd.chance(0.001) ? '' : hostname,
      first_seen: firstSeen,
      last_seen: lastSeenDays === null ? undefined : c.isoFrac(lastSeenDays, rnd.chance(0.3) ? 9 : 0, rnd),
      local_ip: `10.${rnd.int(0, 40)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}`,
      machine_domain: 'corp.example.com',
      major_version: platform === 'Windows' ? '10' : platform === 'Mac' ? '23' : '5',
      minor_version: platform === 'Windows' ? '0' : String(rnd.int(0, 15)),
      os_version: osVersion,
      os_build: platform === 'Windows' ? rnd.pick(['19045', '22631', '26100', '20348', '17763']) : undefined,
      kernel_version: platform === 'Linux' ? `5.${rnd.int(4, 15)}.0-${rnd.int(100, 500)}-generic` : undefined,
      linux_sensor_mode:
        platform === 'Linux'
          ? rnd.weighted([
              ['Kernel Mode', 90],
              ['User Mode', 10],
            ])
          : undefined,
      platform_id: platform === 'Windows' ? '0' : platform === 'Mac' ? '1' : '3',
      platform_name: platform,
      product_type_desc: server
        ? rnd.weighted([
            ['Server', 95],
            ['Domain Controller', 5],
          ])
        : 'Workstation',
      reduced_functionality_mode: rfm,
      status: rnd.weighted([
        ['normal', 99.4],
        ['contained', 0.3],
        ['containment_pending', 0.1],
        ['lift_containment_pending', 0.2],
      ]),
      device_policies: {
        prevention:
          pid === undefined
            ? undefined
            : {
                policy_type: 'prevention',
                policy_id: pid,
                applied: rnd.chance(0.99),
                settings_hash: rnd.hex(8),
                assigned_date: c.isoFrac(rnd.int(30, 400), 9, rnd),
                applied_date: c.isoFrac(rnd.int(1, 29), 9, rnd),
                rule_groups: [],
              },
        sensor_update: {
          policy_type: 'sensor-update',
          policy_id: `s${rnd.hex(31)}`,
          applied: true,
          settings_hash: `tagged|${rnd.int(1, 30)};101`,
          assigned_date: c.iso(rnd.int(30, 400)),
          applied_date: c.iso(rnd.int(1, 29)),
          uninstall_protection: rnd.weighted([
            ['ENABLED', 98],
            ['MAINTENANCE_MODE', 1],
            ['DISABLED', 1],
          ]),
        },
        device_control: {
          policy_type: 'device-control',
          policy_id: `d${rnd.hex(31)}`,
          applied: true,
          assigned_date: c.iso(rnd.int(30, 400)),
          applied_date: c.iso(rnd.int(1, 29)),
        },
        firewall: {
          policy_type: 'firewall',
          policy_id: `f${rnd.hex(31)}`,
          applied: true,
          assigned_date: c.iso(rnd.int(30, 400)),
          applied_date: c.iso(rnd.int(1, 29)),
          rule_set_id: rnd.hex(32),
        },
      },
      groups: [`g${rnd.hex(31)}`],
      group_hash: rnd.hex(32),
      tags: rnd.chance(0.6) ? [`FalconGroupingTags/${dept}`] : [],
      system_manufacturer: platform === 'Mac' ? 'Apple Inc.' : rnd.pick(['Dell Inc.', 'LENOVO', 'HP', 'VMware, Inc.']),
      system_product_name:
        platform === 'Mac'
          ? rnd.pick(['MacBookPro18,3', 'Mac14,2', 'Mac15,6'])
          : server
            ? rnd.pick(['VMware7,1', 'PowerEdge R650', 'ProLiant DL380 Gen10'])
            : rnd.pick(['Latitude 7440', 'OptiPlex 7010', 'ThinkPad T14 Gen 4', 'EliteBook 840 G9']),
      serial_number: rnd.hex(10).toUpperCase(),
      modified_timestamp: c.iso(lastSeenDays ?? 100),
      meta: { version: String(rnd.int(100, 9999)) },
    };
    return d;
  };
  return {
    writeDevices(fd, writeSync) {
      const head = `{"meta":{"query_time":${(count / 50000).toFixed(6)},"powered_by":"device-api","trace_id":"${rnd.uuid()}","pagination":{"offset":0,"limit":${count},"total":${count}}},"resources":[`;
      return writeJsonRecords(fd, writeSync, head, { count }, device, '],"errors":[]}');
    },
    policies: {
      meta: { query_time: 0.0041, powered_by: 'prevention-policies', trace_id: rnd.uuid() },
      resources: policies,
      errors: [],
    },
  };
}
