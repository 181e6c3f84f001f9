/**
 * config.xml parsing at 1x, 2x and 4x of the shapes that stalled fast-xml-parser (issue 14): many
 * attributes on elements, many sibling `<filter>` elements, many rules. Times parseConfigXml
 * (src/adapters/firewall/config-xml.ts) alone, median of 3. Not run by `npm run bench`.
 *
 *   npm run build && node bench/config-xml.mjs [--dist path/to/another/dist]
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, options } from './lib/common.mjs';

const opts = options();
const { parseConfigXml } = await import(pathToFileURL(join(opts.dist ?? DIST, 'adapters/firewall/config-xml.js')).href);
const attrs = (n) => Array.from({ length: n }, (_, i) => `attr${i}="v"`).join(' ');
const shapes = [
  ['attributes on one element', 50_000, (n) => `<pfsense><system ${attrs(n)}/></pfsense>`],
  ['250 attributes per element', 50_000, (n) => `<pfsense>${`<x ${attrs(250)}/>`.repeat(n / 250)}</pfsense>`],
  [
    'sibling <filter> elements',
    25_000,
    (n) => `<pfsense>${'<filter><rule><type>pass</type></rule></filter>'.repeat(n)}</pfsense>`,
  ],
  [
    'rules in one <filter>',
    25_000,
    (n) =>
      `<pfsense><filter>${'<rule><type>pass</type><descr><![CDATA[x]]></descr><source><any/></source></rule>'.repeat(n)}</filter></pfsense>`,
  ],
];
const parseOpts = { part: 'body', arrayTags: new Set(['rule', 'filter']) };

console.log('| shape | n | MB | ms (median of 3) | answer |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, base, make] of shapes) {
  for (const k of [1, 2, 4]) {
    const xml = make(base * k);
    const times = [];
    let answer = 'parsed';
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      try {
        parseConfigXml(xml, parseOpts);
      } catch (e) {
        answer = e.code ?? `${e.status ?? ''} ${e.message.slice(0, 40)}`;
      }
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${base * k} | ${(xml.length / 1e6).toFixed(1)} | ${times[1].toFixed(0)} | ${answer} |`);
  }
}
