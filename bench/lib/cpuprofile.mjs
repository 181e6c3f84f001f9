/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`): the functions with the most self time, and
 * self time by module (a dist/ file, a node_modules package, node internals, GC). Idle time is
 * left out of the percentages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './common.mjs';

function where(url) {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.startsWith('node:')) return 'node internals';
  if (path.startsWith(ROOT)) return relative(ROOT, path);
  return path;
}

const VM_ENTRIES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/**
 * Self time per function and per module of one .cpuprofile, and the inclusive (self + callees)
 * time of the project's own functions (dist/…): where each use case spends its time. `top` rows
 * of each. `fromFirstRequest`: drop a server's start-up (module loading, migrations, the
 * self-signed signer's key generation): every sample before its first 200 ms of continuous idle
 * time, which is when it listens and the bench mints a token in another process.
 */
export function summariseProfile(file, top = 15, { fromFirstRequest = false } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let first = 0;
  if (fromFirstRequest) {
    let idleUs = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const idle = byId.get(profile.samples[i]).callFrame.functionName === '(idle)';
      idleUs = idle ? idleUs + (profile.timeDeltas[i] ?? 0) : 0;
      if (idleUs >= 200_000) {
        first = i;
        break;
      }
    }
  }
  const selfUs = new Map();
  for (let i = first; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fns = new Map();
  const mods = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame: cf } = byId.get(id);
    const name = cf.functionName || '(anonymous)';
    if (name === '(idle)') continue;
    total += us;
    const mod = VM_ENTRIES.has(name) ? name : cf.url ? where(cf.url) : '(no URL: builtins, new Function)';
    const key = `${name} ${cf.url ? `${where(cf.url)}:${cf.lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    mods.set(mod, (mods.get(mod) ?? 0) + us);
  }
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    const seen = new Set();
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const cf = byId.get(x).callFrame;
      const w = cf.url ? where(cf.url) : '';
      if (!w.startsWith('dist/')) continue;
      const key = `${cf.functionName || '(anonymous)'} ${w}:${cf.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const rows = (m, n = top) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: Number(((100 * us) / total).toFixed(1)) }));
  return {
    file: relative(ROOT, file),
    sampledMs: Math.round(total / 1000),
    fromFirstRequest: fromFirstRequest && first > 0,
    functions: rows(fns),
    modules: rows(mods),
    inclusive: rows(inclusive, top + 10),
  };
}

/** The newest .cpuprofile in a directory (node names them by time and pid). */
export function newestProfile(dir) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return join(dir, files[files.length - 1]);
}

/** Every .cpuprofile in a directory, largest sample time first. */
export function profilesIn(dir, opts) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summariseProfile(join(dir, f), 15, opts))
    .sort((a, b) => b.sampledMs - a.sampledMs);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()) && process.argv[2]) {
  const server = process.argv.includes('--from-first-request');
  for (const p of process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map((f) => summariseProfile(f, 25, { fromFirstRequest: server }))) {
    console.log(`${p.file}: ${p.sampledMs} ms sampled`);
    for (const r of p.modules)
      console.log(`  module ${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(7)} ms  ${r.name}`);
    for (const r of p.functions)
      console.log(`  self   ${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(7)} ms  ${r.name}`);
    for (const r of p.inclusive)
      console.log(`  incl   ${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(7)} ms  ${r.name}`);
  }
}

/**
 * The event loop's longest stalls in one .cpuprofile: runs of consecutive samples that are not
 * `(idle)` (a loop turn that does not return to idle holds every other request), the longest
 * `top` first, each with its duration and the functions it spent its time in — by self time, and
 * by the innermost function of this repository (dist/…) on each sample's stack.
 */
export function longestStalls(file, top = 5, minMs = 50) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) =>
    `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const ownFrame = (id) => {
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (n.callFrame.url.includes('/dist/')) return label(n);
    }
    return '(none of ours)';
  };
  const runs = [];
  let run;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (n.callFrame.functionName === '(idle)') {
      if (run) runs.push(run);
      run = undefined;
      continue;
    }
    run ??= { ms: 0, self: new Map(), ours: new Map() };
    run.ms += dt;
    const s = label(n);
    run.self.set(s, (run.self.get(s) ?? 0) + dt);
    const o = ownFrame(n.id);
    run.ours.set(o, (run.ours.get(o) ?? 0) + dt);
  }
  if (run) runs.push(run);
  const head = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, v]) => `${Math.round(v)} ms ${k}`);
  return runs
    .filter((r) => r.ms >= minMs)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top)
    .map((r) => ({ ms: Math.round(r.ms), self: head(r.self), ours: head(r.ours) }));
}
