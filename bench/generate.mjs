#!/usr/bin/env node
/**
 * The bench data generator: realistic large exports in the vendors' own shapes, deterministic
 * from a seed and an anchor time (the "now" the exports' timestamps are relative to). The same
 * (seed, anchor, scale) always writes the same bytes (bench/out/data/manifest.json lists their
 * SHA-256).
 *
 *   node bench/generate.mjs [--seed 20261126] [--anchor 2026-11-26T00:00:00Z] [--scale 1] [--force]
 *
 * At scale 1: 100,000 endpoints per EDR source (crowdstrike devices + policies, sentinelone
 * agents), 50,000 users per IdP (okta users + factors + roles, entra registrations + users +
 * policies), 20,000 firewall rules (10,000 nftables, 10,000 aws-security-groups), 2,000
 * technicians (ninjaone technicians + activities); plus a ~50 MB SentinelOne export for the big
 * ingest and a ~20 KB nftables ruleset for the CI ingest. Each generator's header says its mix.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crowdstrikeExport } from './gen/crowdstrike.mjs';
import { awsSecurityGroupsExport, nftablesExport } from './gen/firewall.mjs';
import { entraExport, oktaExport } from './gen/identity.mjs';
import { ninjaoneExport } from './gen/ninjaone.mjs';
import { sentineloneExport } from './gen/sentinelone.mjs';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** The generator's own code, hashed: reuse of generated data is keyed on it, so an edited generator regenerates. */
export function generatorHash() {
  const files = [
    'generate.mjs',
    'lib/prng.mjs',
    ...readdirSync(join(BENCH_DIR, 'gen'))
      .filter((f) => f.endsWith('.mjs'))
      .sort()
      .map((f) => `gen/${f}`),
  ];
  const h = createHash('sha256');
  for (const f of files)
    h.update(f)
      .update('\0')
      .update(readFileSync(join(BENCH_DIR, f)))
      .update('\0');
  return h.digest('hex').slice(0, 16);
}
export const DEFAULT_SEED = 20261126;
/** the big ingest body: just under POSTURE_MAX_SNAPSHOT_BYTES' default of 50 MiB (52,428,800) */
export const BIG_EXPORT_BYTES = 50_000_000;
/** the CI ingest body */
export const CI_EXPORT_BYTES = 20_000;

/** Today at 00:00 UTC: the default anchor, so that "last seen 3 days ago" means that when the service judges it now. */
export function todayUtc() {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())).toISOString();
}

function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function write(path, producer) {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    return producer(fd);
  } finally {
    closeSync(fd);
  }
}

const writeJson = (path, value) => write(path, (fd) => writeSync(fd, JSON.stringify(value)));

/** The nftables CI ruleset closest to `CI_EXPORT_BYTES` (rule count found by bisection; deterministic). */
function ciRuleset(seed) {
  let lo = 5;
  let hi = 400;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (
      JSON.stringify(nftablesExport({ seed, count: mid, stream: 'nftables-ci', marker: true })).length <=
      CI_EXPORT_BYTES
    )
      lo = mid;
    else hi = mid - 1;
  }
  return { rules: lo, doc: nftablesExport({ seed, count: lo, stream: 'nftables-ci', marker: true }) };
}

/**
 * Writes every export under `outDir` (default bench/out/data) unless the manifest says the same
 * (generator code, seed, anchor, scale) is already there. Returns the manifest.
 */
export function generate({
  seed = DEFAULT_SEED,
  anchor = todayUtc(),
  scale = 1,
  bigBytes = BIG_EXPORT_BYTES,
  outDir = join(BENCH_DIR, 'out', 'data'),
  force = false,
  log = () => {},
} = {}) {
  const manifestPath = join(outDir, 'manifest.json');
  const want = { generator: generatorHash(), seed, anchor, scale, bigBytes };
  if (!force && existsSync(manifestPath)) {
    const have = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const same = Object.entries(want).every(([k, v]) => have[k] === v);
    const intact =
      same &&
      Object.entries(have.files).every(
        ([p, f]) => existsSync(join(outDir, p)) && statSync(join(outDir, p)).size === f.bytes,
      );
    if (intact) {
      log(`data: reusing ${relative(process.cwd(), outDir)} (seed ${seed}, anchor ${anchor}, scale ${scale})`);
      return { ...have, dir: outDir };
    }
  }
  const anchorMs = Date.parse(anchor);
  if (Number.isNaN(anchorMs)) throw new Error(`--anchor must be an ISO time (got ${anchor})`);
  const n = (full) => Math.max(10, Math.round(full * scale));
  const files = {};
  const started = Date.now();
  const record = (rel, records, extra = {}) => {
    const path = join(outDir, rel);
    files[rel] = { bytes: statSync(path).size, records, sha256: sha256File(path), ...extra };
    log(`  ${rel}: ${(files[rel].bytes / 1e6).toFixed(1)} MB, ${records} records`);
  };
  log(`data: generating into ${relative(process.cwd(), outDir)} (seed ${seed}, anchor ${anchor}, scale ${scale})`);

  const endpoints = n(100_000);
  const cs = crowdstrikeExport({ seed, anchorMs, count: endpoints });
  write(join(outDir, 'crowdstrike/devices.json'), (fd) => cs.writeDevices(fd, writeSync));
  record('crowdstrike/devices.json', endpoints);
  writeJson(join(outDir, 'crowdstrike/policies.json'), cs.policies);
  record('crowdstrike/policies.json', cs.policies.resources.length);

  const s1 = sentineloneExport({ seed, anchorMs });
  write(join(outDir, 'sentinelone/agents.json'), (fd) => s1.writeAgents(fd, writeSync, { count: endpoints }));
  record('sentinelone/agents.json', endpoints);
  const big = sentineloneExport({ seed, anchorMs, stream: 'sentinelone-big', marker: true });
  const bigOut = write(join(outDir, 'sentinelone/agents-big.json'), (fd) =>
    big.writeAgents(fd, writeSync, { maxBytes: bigBytes }),
  );
  record('sentinelone/agents-big.json', bigOut.records, { marker: 'BENCH-RUN-0000' });

  const users = n(50_000);
  const okta = oktaExport({ seed, anchorMs, count: users });
  write(join(outDir, 'okta/users.json'), (fd) => okta.writeUsers(fd, writeSync));
  record('okta/users.json', users);
  write(join(outDir, 'okta/factors.json'), (fd) => okta.writeFactors(fd, writeSync));
  record('okta/factors.json', users);
  write(join(outDir, 'okta/roles.json'), (fd) => okta.writeRoles(fd, writeSync));
  record('okta/roles.json', null);
  const entra = entraExport({ seed, anchorMs, count: users });
  write(join(outDir, 'entra/registrations.json'), (fd) => entra.writeRegistrations(fd, writeSync));
  record('entra/registrations.json', users);
  write(join(outDir, 'entra/users.json'), (fd) => entra.writeUsers(fd, writeSync));
  record('entra/users.json', users);
  writeJson(join(outDir, 'entra/policies.json'), entra.policies);
  record('entra/policies.json', entra.policies.value.length);

  const fwRules = n(10_000);
  const nft = nftablesExport({ seed, count: fwRules });
  writeJson(join(outDir, 'nftables/ruleset.json'), nft);
  record('nftables/ruleset.json', nft.nftables.filter((x) => x.rule).length);
  const ci = ciRuleset(seed);
  writeJson(join(outDir, 'nftables/ci-template.json'), ci.doc);
  record('nftables/ci-template.json', ci.doc.nftables.filter((x) => x.rule).length, { marker: 'ci-build 000000000' });
  const aws = awsSecurityGroupsExport({ seed, count: fwRules });
  writeJson(join(outDir, 'aws-security-groups/groups.json'), aws);
  record('aws-security-groups/groups.json', aws.SecurityGroups.length);

  const techs = n(2_000);
  const ninja = ninjaoneExport({ seed, anchorMs, count: techs });
  write(join(outDir, 'ninjaone/technicians.json'), (fd) => ninja.writeTechnicians(fd, writeSync));
  record('ninjaone/technicians.json', techs);
  write(join(outDir, 'ninjaone/activities.json'), (fd) => ninja.writeActivities(fd, writeSync));
  record('ninjaone/activities.json', null);

  const manifest = { ...want, generatedInMs: Date.now() - started, files };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  log(`data: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...manifest, dir: outDir };
}

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') out.force = true;
    else if (a === '--seed') out.seed = Number(argv[++i]);
    else if (a === '--anchor') out.anchor = argv[++i];
    else if (a === '--scale') out.scale = Number(argv[++i]);
    else if (a === '--big-bytes') out.bigBytes = Number(argv[++i]);
    else if (a === '--out') out.outDir = argv[++i];
    else throw new Error(`unknown option ${a}`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  generate({ ...args(process.argv.slice(2)), log: (m) => console.log(m) });
}
