/**
 * The engine on large firewall documents, in process: an nftables ruleset (one device), AWS
 * security groups (one device per group) and a canonical document with many devices of another
 * source (where a per-device question over `doc.rules` was quadratic). Per document: the median
 * CPU time of the adapter, of evaluate() with every firewall rule, with all but
 * firewall.egress-restricted, and with that rule alone.
 *
 *   npm run build && node --expose-gc bench/diagnose/firewall-engine.mjs [--rules 20000] [--runs 9]
 *     [--compare path/to/other/dist]   (e.g. a build of the commit before: both builds run in this
 *                                       process, their runs interleaved, so load on a shared
 *                                       machine falls on both alike)
 *     [--sources nftables,aws-security-groups,canonical]   (default: all three)
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { awsSecurityGroupsExport, nftablesExport } from '../gen/firewall.mjs';
import { DIST, options } from '../lib/common.mjs';

const opts = options();
const count = Number(opts.rules ?? 20_000);
const runs = Number(opts.runs ?? 9);
const only = new Set(String(opts.sources ?? 'nftables,aws-security-groups,canonical').split(','));
const gc = globalThis.gc ?? (() => {});
const asOf = new Date('2026-11-01T00:00:00Z');

/** A build's adapter entry points, evaluate() and its catalogue (engine/load-packs.js before compileCatalog). */
async function build(dir) {
  const load = (rel) => import(pathToFileURL(join(dir, rel)).href);
  const [{ runAdapter }, { adapterFor }, { evaluate }] = await Promise.all(
    ['adapters/run-adapter.js', 'adapters/registry.js', 'engine/evaluate.js'].map(load),
  );
  let catalog;
  try {
    const [{ readRuleFiles }, { compileCatalog }] = await Promise.all(
      ['config/rule-files.js', 'engine/compile-catalog.js'].map(load),
    );
    catalog = compileCatalog(readRuleFiles());
  } catch {
    catalog = (await load('engine/load-packs.js')).loadCatalog();
  }
  return { dir, runAdapter, adapterFor, evaluate, catalog };
}

/** CPU time of this process (not wall time: on a busy machine that mostly measures the neighbours). */
function cpuMs(f) {
  gc();
  const t = process.cpuUsage();
  const value = f();
  const used = process.cpuUsage(t);
  return { ms: (used.user + used.system) / 1000, value };
}

function packOf(ruleIds) {
  const requirement = { id: 'all', title: 'all', citation: 'bench', family: 'bench', rationale: '' };
  const requirements = [{ ...requirement, rules: ruleIds, manual: false, informational: false }];
  return { id: 'bench', version: 'bench', title: 'bench', parameters: {}, file: 'bench', sha256: '', requirements };
}

/** Many devices of a source that is not AWS, each with its own rules (one in five allows all out). */
function manyDevices(devices, rulesPerDevice) {
  const doc = { devices: [], rules: [] };
  for (let d = 0; d < devices; d++) {
    const id = `fw-${d}`;
    const device = { id, source: 'canonical', name: id, defaultInbound: 'deny', defaultOutbound: 'deny' };
    doc.devices.push({ ...device, internetInterfaces: ['eth0'], origin: { part: 'body' } });
    for (let r = 0; r < rulesPerDevice; r++) {
      const open = r === 0 && d % 5 === 0;
      const rule = { id: `${id}-${r}`, device: id, enabled: true, action: 'allow', interface: 'eth0' };
      doc.rules.push({
        ...rule,
        direction: r % 2 ? 'inbound' : 'outbound',
        protocol: open ? 'any' : 'tcp',
        sources: ['10.0.0.0/8'],
        destinations: open ? ['0.0.0.0/0'] : ['192.0.2.0/24'],
        ports: open ? [] : [{ from: 443, to: 443 }],
        log: false,
        exposure: 'internal',
        description: null,
        origin: { part: 'body' },
      });
    }
  }
  return doc;
}

const EXPORTS = {
  nftables: () => ({ part: 'body', value: nftablesExport({ seed: 'firewall-engine', count }) }),
  'aws-security-groups': () => ({ part: 'groups', value: awsSecurityGroupsExport({ seed: 'firewall-engine', count }) }),
};

/** One measurement per build, interleaved: [label, per-build closures returning a result]. */
function* tasks(source, builds) {
  const made = EXPORTS[source]?.();
  const bytes = made && Buffer.from(JSON.stringify(made.value));
  const adapt = (b) =>
    b.runAdapter(b.adapterFor(source), [{ name: made.part, bytes }], { clients: [], internetInterfaces: ['eth0'] });
  const documents = builds.map((b) => (made ? adapt(b).document : manyDevices(Math.round(count / 10), 10)));
  if (made) yield ['adapter', builds.map((b) => () => adapt(b).warnings.length)];
  const firewall = [...builds[0].catalog.rules.values()].filter((r) => r.kind === 'firewall').map((r) => r.id);
  const sets = {
    'all firewall rules': firewall,
    'all but egress-restricted': firewall.filter((id) => id !== 'firewall.egress-restricted'),
    'egress-restricted alone': ['firewall.egress-restricted'],
  };
  for (const [label, ids] of Object.entries(sets)) {
    yield [
      label,
      builds.map((b, i) => {
        const catalog = { rules: b.catalog.rules, packs: new Map([['bench', packOf(ids)]]) };
        const snapshots = [{ id: 's', kind: 'firewall', source, instance: 'i', document: documents[i] }];
        return () => b.evaluate({ catalog, packIds: ['bench'], asOf, snapshots }).findings.length;
      }),
    ];
  }
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const builds = await Promise.all([opts.compare, DIST].filter(Boolean).map(build));
for (const source of ['nftables', 'aws-security-groups', 'canonical']) {
  if (!only.has(source)) continue;
  for (const [label, fns] of tasks(source, builds)) {
    for (const f of fns) f(); // warm-up
    const times = fns.map(() => []);
    let results = [];
    for (let i = 0; i < runs; i++)
      results = fns.map((f, k) => {
        const { ms, value } = cpuMs(f);
        times[k].push(ms);
        return value;
      });
    const figures = builds.map((b, k) => ({ build: b.dir, medianMs: Number(median(times[k]).toFixed(1)) }));
    console.log(JSON.stringify({ source, label, results, figures }));
  }
}
