/** The targets of the bench issue, judged on the medians, and bench/RESULTS.md rendered from results.json. */

const f = (s, unit = '', digits) => {
  if (!s) return 'n/a';
  const d = (x) => (digits === undefined ? String(x) : x.toFixed(digits));
  return s.min === s.max ? `${d(s.median)}${unit}` : `${d(s.median)}${unit} (${d(s.min)}–${d(s.max)})`;
};

/** [{id, title, goal, measured, status: PASS|MISS|SKIP|ERROR|INFO, summary}] */
export function targets(results) {
  const p = results.parts;
  const out = [];
  const unavailable = (id, title, goal, key) => {
    if (results.errors[key])
      return { id, title, goal, measured: '—', status: 'ERROR', summary: `broke: ${results.errors[key]}` };
    if (!p[key]) return { id, title, goal, measured: '—', status: 'SKIP', summary: 'not run (--only)' };
    if (p[key].skipped) return { id, title, goal, measured: '—', status: 'SKIP', summary: p[key].skipped };
    return undefined;
  };
  const add = (t) =>
    out.push({
      ...t,
      summary: t.summary ?? `${t.measured} (goal ${t.goal})${t.marginal ? ' — marginal: a run missed' : ''}`,
    });

  add(
    unavailable(
      'a.engine',
      'Engine: endpoint rules over 100k endpoints vs JSON.parse of the export',
      '≤ 2.0x',
      'engine',
    ) ??
      (() => {
        const e = p.engine;
        return {
          id: 'a.engine',
          title: `Engine: ${e.rules.length} endpoint rules over ${e.endpoints.toLocaleString('en')} endpoints vs JSON.parse of the export`,
          goal: '≤ 2.0x',
          measured: `${f(e.ratio, 'x', 2)} — evaluate ${f(e.evaluateMs, ' ms', 0)} / JSON.parse ${f(e.parseMs, ' ms', 0)}`,
          status: e.ratio.median <= 2.0 ? 'PASS' : 'MISS',
          marginal: e.ratio.median <= 2.0 && e.ratio.max > 2.0,
        };
      })(),
  );
  add(
    unavailable('a.cli', '`posture evaluate` vs jq (3 checks, one process), whole process', '≥ 2x faster', 'cli') ??
      (() => {
        const c = p.cli;
        return {
          id: 'a.cli',
          title: '`posture evaluate` vs jq (three checks, one process), whole process',
          goal: 'posture ≥ 2x faster',
          measured: `jq/posture = ${f(c.speedupVsJqOne, 'x', 2)} — posture ${f(c.postureSeconds, ' s', 2)}, jq ${f(c.jqOneSeconds, ' s', 2)}`,
          status: c.speedupVsJqOne.median >= 2 ? 'PASS' : 'MISS',
          marginal: c.speedupVsJqOne.median >= 2 && c.speedupVsJqOne.min < 2,
        };
      })(),
  );
  const ingest = (id, key, db, judged) =>
    unavailable(
      id,
      `Ingest over HTTP (${db})`,
      judged ? '≥ 0.1x bare, 0 errors, p99 < 250 ms' : 'informational',
      key,
    ) ??
    (() => {
      const i = p[key];
      const bad = i.posture.errors + i.posture.non2xx + i.posture.timeouts;
      const pass = i.ratio.median >= 0.1 && bad === 0 && i.posture.p99.median < 250;
      const marginal = pass && (i.ratio.min < 0.1 || i.posture.p99.max >= 250);
      return {
        id,
        title: `Ingest over HTTP, ${db}: ~${(i.bodyBytes / 1000).toFixed(0)} KB nftables exports, ${i.connections} connections, ${i.duration} s`,
        goal: judged ? '≥ 0.1x bare, 0 errors, p99 < 250 ms' : 'informational (the target is on PostgreSQL)',
        measured: `${f(i.ratio, 'x', 3)} of bare (${f(i.posture.rps, ' req/s')} vs ${f(i.bare.rps, ' req/s')}); p99 ${f(i.posture.p99, ' ms')}; errors/non-2xx/timeouts ${i.posture.errors}/${i.posture.non2xx}/${i.posture.timeouts}`,
        status: judged ? (pass ? 'PASS' : 'MISS') : 'INFO',
        marginal: judged && marginal,
      };
    })();
  add(ingest('b.ingest', 'ingestPostgres', 'PostgreSQL', true));
  add(ingest('b.ingest.pglite', 'ingestPglite', 'PGlite', false));
  add(
    unavailable('c.big', '50 MB export over HTTP on PostgreSQL: server peak RSS growth / body', '≤ 5x', 'big') ??
      (() => {
        const b = p.big;
        return {
          id: 'c.big',
          title: `${(b.bodyBytes / 1e6).toFixed(0)} MB SentinelOne export over HTTP on PostgreSQL: server peak RSS growth / body size`,
          goal: '≤ 5x',
          measured: `${f(b.ratio, 'x', 2)} (+${f(b.growthMB, ' MB', 0)}); ingest ${f(b.seconds, ' s', 1)}`,
          status: b.ratio.median <= 5 ? 'PASS' : 'MISS',
          marginal: b.ratio.median <= 5 && b.ratio.max > 5,
        };
      })(),
  );
  add(
    unavailable('d.report', '10,000-finding report: render + sign', '< 5 s and < 500 MB', 'report') ??
      (() => {
        const r = p.report;
        const pass = r.seconds.median < 5 && r.maxRssMB.median < 500;
        return {
          id: 'd.report',
          title: `${r.findings.toLocaleString('en')}-finding report (${r.pages} pages): render + sign, own process`,
          goal: '< 5 s and < 500 MB peak RSS',
          measured: `${f(r.seconds, ' s', 2)}, peak RSS ${f(r.maxRssMB, ' MB', 0)}`,
          status: pass ? 'PASS' : 'MISS',
          marginal: pass && (r.seconds.max >= 5 || r.maxRssMB.max >= 500),
        };
      })(),
  );
  return out;
}

const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );

export function renderMarkdown(results) {
  const { config: c, machine: m, parts: p } = results;
  const L = [];
  L.push('# Posture benchmarks');
  L.push('');
  L.push(
    `Generated by \`npm run bench${c.mode === 'quick' ? ' -- --quick' : ''}\` (bench/run.mjs) — do not edit by hand; \`bench/results.json\` has every run.`,
  );
  L.push('');
  L.push(
    `- **Machine**: ${m.cpuModel} × ${m.cpuCount} CPUs, ${m.totalMemoryGiB} GiB RAM, ${m.platform}, Node ${m.node}; load average ${m.loadAverageAtStart?.join(' ')} at the start${m.loadAverageAtEnd ? `, ${m.loadAverageAtEnd.join(' ')} at the end` : ''}`,
  );
  L.push(
    `- **Date**: ${m.date}; mode **${c.mode}** (${c.runs} runs per figure${c.ingest.runs !== c.runs ? `, ${c.ingest.runs} for ingest` : ''}; figures are *median (min–max)*); total ${results.elapsedSeconds} s`,
  );
  if (results.code)
    L.push(
      `- **Code**: ${results.code.commit}${results.code.subject ? ` (“${results.code.subject}”)` : ''}${results.code.uncommittedInSrcOrRules?.length ? `, with uncommitted changes to ${results.code.uncommittedInSrcOrRules.join(', ')}` : ''}; dist/ built from it by \`npm run build\` at the start`,
    );
  L.push(
    `- **Data**: seed ${c.seed}, anchor ${c.anchor} (the exports' "now"), scale ${c.scale}, generator ${results.data.generator} (\`node bench/generate.mjs --seed ${c.seed} --anchor ${c.anchor} --scale ${c.scale}\` rewrites the same bytes; SHA-256 in results.json)`,
  );
  if (p.ingestPostgres?.postgres)
    L.push(
      `- **PostgreSQL**: ${p.ingestPostgres.postgres.split(' on ')[0]} on the same machine (127.0.0.1), a fresh database per server, dropped afterwards`,
    );
  L.push('');
  L.push('## Targets');
  L.push('');
  L.push(
    table(
      ['', 'what', 'goal', 'measured: median (min–max)', 'result'],
      results.targets.map((t) => [
        t.id,
        t.title,
        t.goal,
        t.measured,
        `**${t.status}**${t.marginal ? ' (marginal: at least one run missed)' : ''}`,
      ]),
    ),
  );
  if (Object.keys(results.errors).length) {
    L.push('');
    for (const [k, v] of Object.entries(results.errors)) L.push(`- **${k} broke**: ${v}`);
  }

  if (p.engine) {
    const e = p.engine;
    L.push('', '## a. Engine in process (CrowdStrike, endpoint rules)', '');
    L.push(
      `${e.endpoints.toLocaleString('en')} endpoints (${(e.rawBytes / 1e6).toFixed(0)} MB devices + policies export). JSON.parse = raw bytes → UTF-8 string → \`JSON.parse\` for both parts. evaluate = \`evaluate()\` (src/engine/evaluate.ts) with one pack holding the ${e.rules.length} endpoint rules, over the adapter's canonical document, findings included (${e.findings.toLocaleString('en')}). One warm-up, then ${e.ratio.runs.length} interleaved runs, \`gc()\` before each. The adapter step between the two (decode, parse, vendor schema, normalise, canonical schema) took ${e.adapterMs} ms once.`,
    );
    L.push('');
    L.push(
      table(
        ['', 'ms', 'x JSON.parse'],
        [
          ['JSON.parse of the export', f(e.parseMs, '', 0), '1'],
          ['evaluate(), all endpoint rules', f(e.evaluateMs, '', 0), f(e.ratio, '', 2)],
          ...Object.entries(e.perRule).map(([id, r]) => [
            `evaluate(), \`${id}\` alone (${r.findings.toLocaleString('en')} findings; fail ${r.counts.fail}, unknown ${r.counts.insufficient_evidence}, n/a ${r.counts.not_applicable})`,
            f(r.ms, '', 0),
            String(r.ratioToParse),
          ]),
        ],
      ),
    );
  }
  if (p.cli && !p.cli.skipped) {
    const x = p.cli;
    L.push('', '## a. `posture evaluate` vs jq, whole process', '');
    L.push(
      `Wall time from spawn to exit, stdout to /dev/null, ${(x.exportBytes / 1e6).toFixed(0)} MB export, ${x.jqVersion}, one warm-up each, runs interleaved.`,
    );
    L.push('', '```', x.command, x.jqCommand, '```', '');
    L.push(
      table(
        ['', 'seconds', 'jq time / posture time'],
        [
          ['`posture evaluate` (every endpoint rule of every pack, JSON findings)', f(x.postureSeconds, '', 2), '1'],
          [
            'jq, the three checks in one process (bench/jq/all.jq)',
            f(x.jqOneSeconds, '', 2),
            f(x.speedupVsJqOne, '', 2),
          ],
          [
            'jq, three processes in a row (rfm.jq, stale.jq, prevention.jq)',
            f(x.jqThreeSeconds, '', 2),
            f(x.speedupVsJqThree, '', 2),
          ],
        ],
      ),
    );
    L.push(
      '',
      `posture wrote ${x.postureFindings.toLocaleString('en')} findings (${(x.postureOutputBytes / 1e6).toFixed(0)} MB of JSON). What each found:`,
      '',
    );
    L.push(
      table(
        ['check', 'jq', 'posture', 'posture rule'],
        Object.entries(x.agreement).map(([k, a]) => [k, a.jq, a.posture, a.rule]),
      ),
    );
  }
  for (const [key, db] of [
    ['ingestPostgres', 'PostgreSQL'],
    ['ingestPglite', 'PGlite'],
  ]) {
    const i = p[key];
    if (!i) continue;
    L.push('', `## b. Ingest over HTTP — ${db}`, '');
    if (i.skipped) {
      L.push(`**Skipped**: ${i.skipped}`);
      continue;
    }
    L.push(
      `autocannon, ${i.connections} connections, ${i.duration} s per run, every request a different ~${(i.bodyBytes / 1000).toFixed(1)} KB nftables export (${i.probe.itemCount} rules), round-robin over ${i.tenants} client tenants; the Posture server (\`node dist/cli/index.js serve\`) and the bare express endpoint (bench/bare-server.mjs) each in their own process, the bare one measured right before Posture in each run. Every ingest runs the evaluation of the tenant's packs. ${i.distinctBodies.toLocaleString('en')} distinct bodies were sent.`,
    );
    L.push('');
    L.push(
      table(
        [
          'run',
          'Posture req/s',
          'p50 ms',
          'p99 ms',
          'errors / non-2xx / timeouts',
          'bare req/s',
          'bare p99 ms',
          'ratio',
        ],
        i.runs.map((r, n) => [
          n + 1,
          r.posture.rps,
          r.posture.p50,
          r.posture.p99,
          `${r.posture.errors} / ${r.posture.non2xx} / ${r.posture.timeouts}`,
          r.bare.rps,
          r.bare.p99,
          r.ratio,
        ]),
      ),
    );
    L.push(
      '',
      `Median: Posture ${f(i.posture.rps, ' req/s')}, p50 ${f(i.posture.p50, ' ms')}, p99 ${f(i.posture.p99, ' ms')}; bare ${f(i.bare.rps, ' req/s')}; ratio ${f(i.ratio, 'x', 4)}.`,
    );
  }
  if (p.big) {
    const b = p.big;
    L.push('', '## c. A 50 MB export over HTTP on PostgreSQL', '');
    if (b.skipped) L.push(`**Skipped**: ${b.skipped}`);
    else {
      L.push(
        `SentinelOne agents export of ${b.bodyBytes.toLocaleString('en')} bytes (${b.runs[0].itemCount.toLocaleString('en')} agents; under the default POSTURE_MAX_SNAPSHOT_BYTES of 52,428,800). A fresh server and database per run, one small warm-up ingest, then the big one; growth = peak RSS during the request − RSS just before it (${b.runs[0].peakSource}; VmRSS polled every 20 ms as a cross-check).`,
      );
      L.push('');
      L.push(
        table(
          ['run', 'ingest s', 'RSS before MB', 'peak MB', 'polled peak MB (at s)', 'growth MB', 'growth / body'],
          b.runs.map((r, n) => [
            n + 1,
            r.seconds,
            r.rssBeforeMB,
            r.peakMB,
            `${r.sampledPeakMB} (${r.sampledPeakAtSeconds ?? '?'})`,
            r.growthMB,
            `${r.ratio}x`,
          ]),
        ),
      );
    }
  }
  if (p.report) {
    const r = p.report;
    L.push('', '## d. A 10,000-finding report', '');
    L.push(
      `\`largeReportData(${r.findings})\` (tests/fixtures/reports/report-data.ts), renderReport + addSignaturePlaceholder + signPdf with a self-signed signer, each run a fresh process: ${r.pages} pages, ${(r.pdfBytes / 1e6).toFixed(1)} MB, byte-identical across runs: ${r.deterministic ? 'yes' : 'no'}.`,
    );
    L.push('');
    L.push(
      table(
        ['', 'median (min–max)'],
        [
          ['render + sign, s', f(r.seconds, '', 2)],
          ['of which render, s', f(r.renderSeconds, '', 2)],
          ['of which sign, s', f(r.signSeconds, '', 3)],
          ['peak RSS of the process, MB (maxRSS)', f(r.maxRssMB, '', 0)],
          ['peak RSS before rendering (data built), MB', f(r.maxRssBeforeRenderMB, '', 0)],
        ],
      ),
    );
  }
  if (p.dataset) {
    L.push('', '## The generated data', '');
    L.push(
      'Every export through its real adapter and every pack (asOf = the anchor). Per rule: fail % / unknown (insufficient evidence) % of all the items it iterates, then (in brackets) fail % of the items it applies to (not n/a). Unknowns of 100% are what the vendor does not export (Falcon has no threat count, SentinelOne no tamper state, Okta no conditional access, NinjaOne no per-client access list).',
    );
    L.push('');
    const rows = [];
    for (const d of p.dataset) {
      const rules = Object.entries(d.rules)
        .map(([id, r]) => `${id.split('.')[1]} ${r.failOfAllPct}/${r.unknownOfAllPct} (${r.failPct})`)
        .join(', ');
      rows.push([d.source, d.kind, d.items.toLocaleString('en'), (d.bytes / 1e6).toFixed(1), rules]);
    }
    L.push(table(['source', 'kind', 'items', 'MB', 'rule fail % / unknown %'], rows));
  }
  const profiles = Object.entries(results.profiles ?? {});
  if (profiles.length) {
    L.push('', '## CPU profiles of the misses (and of marginal passes)', '');
    L.push(
      'Separate runs under the V8 profiler (`node --cpu-prof`, or the inspector around `evaluate()` alone), never the measured runs. Self time, idle excluded.',
    );
    for (const [name, pr] of profiles) {
      if (!pr) continue;
      L.push(
        '',
        `### ${name} (${pr.sampledMs.toLocaleString('en')} ms sampled${pr.fromFirstRequest ? ' from the first HTTP request on: start-up left out' : ''}; ${pr.file})`,
        '',
      );
      L.push(
        table(
          ['module', 'self %', 'self ms'],
          pr.modules.slice(0, 8).map((r) => [r.name, r.pct, r.ms]),
        ),
      );
      L.push('');
      L.push(
        table(
          ['function (self time)', 'self %', 'self ms'],
          pr.functions.slice(0, 12).map((r) => [`\`${r.name}\``, r.pct, r.ms]),
        ),
      );
      if (pr.inclusive?.length) {
        L.push('');
        L.push(
          table(
            ['Posture function (inclusive: self + callees; synchronous stacks only)', 'incl. %', 'incl. ms'],
            pr.inclusive.slice(0, 12).map((r) => [`\`${r.name}\``, r.pct, r.ms]),
          ),
        );
      }
    }
  }
  L.push('', '## Notes', '');
  L.push(
    `- The load generator (autocannon), the server under test and PostgreSQL share this machine's ${m.cpuCount} CPUs; the bare endpoint is measured under the same conditions, which is what the ratio is for.`,
  );
  L.push(
    '- A target is judged on the median; PGlite ingest is reported for information (the target names PostgreSQL).',
  );
  if (c.mode === 'quick')
    L.push(
      '- **Quick mode** is a smoke check: a tenth of the data (10,000 endpoints), a 10 MB export for c, one 5 s run per server for b. Its figures are not the results; `npm run bench` writes those to bench/RESULTS.md.',
    );
  return L.join('\n') + '\n';
}
