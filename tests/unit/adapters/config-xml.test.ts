import {
  attribute,
  children,
  element,
  MAX_XML_ATTRIBUTES,
  MAX_XML_CHARS,
  MAX_XML_DEPTH,
  MAX_XML_ELEMENTS,
  parseConfigXml,
  path,
  present,
  text,
  value,
} from '../../../src/adapters/firewall/config-xml.js';
import { buildXmlTree } from '../../../src/adapters/firewall/config-xml-build.js';
import { pfsenseAdapter } from '../../../src/adapters/firewall/pfsense.js';
import { AppError } from '../../../src/core/errors.js';
import { runAdapter } from '../../../src/adapters/run-adapter.js';
import { AdapterInputError } from '../../../src/adapters/types.js';

const OPTS = { part: 'body', arrayTags: new Set(['rule', 'alias']), arrayParents: new Set(['interfaces']) };

function refusal(xml: string): AdapterInputError {
  try {
    parseConfigXml(xml, OPTS);
  } catch (e) {
    if (e instanceof AdapterInputError) return e;
    throw e;
  }
  throw new Error('expected the document to be refused');
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<pfsense><system><hostname>&lol9;</hostname></system></pfsense>`;

describe('parseConfigXml: the tree', () => {
  const xml = `<?xml version="1.0"?>
<pfsense>
  <interfaces><wan><ipaddr>dhcp</ipaddr></wan></interfaces>
  <filter>
    <rule uuid="r-1">
      <disabled/>
      <log></log>
      <descr><![CDATA[a <b> & c]]></descr>
      <note>x &amp; y &#60;z&#x3E; &unknown;</note>
      <tracker>0100000101</tracker>
    </rule>
  </filter>
</pfsense>`;
  const parsed = parseConfigXml(xml, OPTS);
  const rule = children(element(parsed.root, 'filter'), 'rule')[0];

  it('keeps the root name, attributes and repeated elements as arrays (even when single)', () => {
    expect(parsed.rootName).toBe('pfsense');
    expect(Array.isArray(element(parsed.root, 'filter')!.rule)).toBe(true);
    expect(Array.isArray(path(parsed.root, 'interfaces')!.wan)).toBe(true);
    expect(attribute(rule, 'uuid')).toBe('r-1');
  });

  it('tells a presence-only boolean from an absent one', () => {
    expect(present(rule, 'disabled')).toBe(true);
    expect(present(rule, 'log')).toBe(true);
    expect(text(rule, 'disabled')).toBe('');
    expect(present(rule, 'quick')).toBe(false);
    expect(text(rule, 'quick')).toBeUndefined();
  });

  it('keeps values as strings (no number parsing: leading zeros survive)', () => {
    expect(value(rule, 'tracker')).toBe('0100000101');
  });

  it('reads CDATA and decodes only the predefined and numeric entities', () => {
    expect(text(rule, 'descr')).toBe('a <b> & c');
    expect(text(rule, 'note')).toBe('x & y <z> &unknown;');
    const refs = parseConfigXml('<p><h>&#0; &#x110000; &amp;amp; a&#x41;</h></p>', OPTS);
    expect(value(refs.root, 'h')).toBe('&#0; &#x110000; &amp; aA');
  });

  it('knows the line each element starts on', () => {
    expect(parsed.lineOf(rule)).toBe(5);
    expect(parsed.lineOf(element(parsed.root, 'filter'))).toBe(4);
    expect(parsed.lineOf(undefined)).toBeUndefined();
  });

  it('renames prototype-polluting element names instead of using them', () => {
    const p = parseConfigXml('<a><__proto__><polluted>1</polluted></__proto__><constructor>x</constructor></a>', OPTS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(value(p.root, '_constructor')).toBe('x');
    expect(value(p.root, 'constructor')).toBeUndefined();
  });
});

describe('parseConfigXml: refusals', () => {
  it('a billion-laughs document is refused quickly, nothing expanded', () => {
    const start = performance.now();
    const err = refusal(BILLION_LAUGHS);
    expect(performance.now() - start).toBeLessThan(200);
    expect(err.status).toBe(400);
    expect(err.problems[0]).toEqual({
      message: 'DOCTYPE and ENTITY declarations are not accepted in a config.xml export',
      part: 'body',
      line: 2,
    });
  });

  it('a billion-laughs document posted to the pfsense source is refused quickly', () => {
    const start = performance.now();
    let err: unknown;
    try {
      runAdapter(pfsenseAdapter, [{ name: 'body', bytes: Buffer.from(BILLION_LAUGHS) }], { clients: [] });
    } catch (e) {
      err = e;
    }
    expect(performance.now() - start).toBeLessThan(500);
    expect(err).toBeInstanceOf(AdapterInputError);
    expect((err as AdapterInputError).status).toBe(400);
  });

  it('an external entity (XXE) is refused', () => {
    const err = refusal('<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<p>&x;</p>');
    expect(err.problems[0]!.line).toBe(2);
  });

  it('a lone ENTITY declaration (any case) is refused', () => {
    expect(refusal('<p>\n<!entity x "y"></p>').problems[0]!.line).toBe(2);
  });

  it('an undeclared entity reference is left as text, never resolved', () => {
    expect(value(parseConfigXml('<p><h>&xxe;</h></p>', OPTS).root, 'h')).toBe('&xxe;');
  });

  it('malformed XML → 400 with line and column, never the text content', () => {
    const err = refusal('<p>\n  <a>password123</b>\n</p>');
    expect(err.status).toBe(400);
    expect(err.problems[0]).toMatchObject({ part: 'body', line: 2 });
    expect(err.problems[0]!.message).toMatch(/^malformed XML: .+ at line 2, column \d+$/);
    expect(err.problems[0]!.message).not.toContain('password123');
  });

  it('several roots or none → 400 (two roots of the same name too)', () => {
    expect(refusal('<a/><b/>').status).toBe(400);
    expect(refusal('<a/><a/>').status).toBe(400);
    const twice = refusal('<pfsense><system/></pfsense>\n<pfsense><filter/></pfsense>');
    expect(twice.problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/only one root/) });
    expect(refusal('just text').status).toBe(400);
    expect(refusal('<a/>trailing text').status).toBe(400);
    expect(refusal('').status).toBe(400);
  });
});

describe('parseConfigXml: limits → 413 export_too_complex', () => {
  function tooComplex(xml: string): AppError {
    try {
      parseConfigXml(xml, OPTS);
    } catch (e) {
      if (e instanceof AppError && e.code === 'export_too_complex') return e;
      throw e;
    }
    throw new Error('expected the document to be refused as too complex');
  }
  const attrs = (n: number) => Array.from({ length: n }, (_, i) => `a${i}="v"`).join(' ');

  it(`nesting deeper than ${MAX_XML_DEPTH}`, () => {
    const deep = '<a>'.repeat(MAX_XML_DEPTH + 5) + '</a>'.repeat(MAX_XML_DEPTH + 5);
    expect(tooComplex(deep).errors[0]).toMatchObject({ part: 'body', message: expect.stringMatching(/nests deeper/) });
    const ok = '<a>'.repeat(MAX_XML_DEPTH) + '</a>'.repeat(MAX_XML_DEPTH);
    expect(parseConfigXml(ok, OPTS).rootName).toBe('a');
  });

  it(`more than ${MAX_XML_ATTRIBUTES} attributes on one element, with its line`, () => {
    expect(parseConfigXml(`<p><x ${attrs(MAX_XML_ATTRIBUTES)}/></p>`, OPTS).rootName).toBe('p');
    const err = tooComplex(`<p>\n<x ${attrs(MAX_XML_ATTRIBUTES + 1)}/></p>`);
    expect(err.errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/more than 256 attributes/) });
  });

  it('200,000 attributes on one element are refused at the 257th, quickly', () => {
    const start = performance.now();
    tooComplex(`<p><x ${attrs(200_000)}/></p>`);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it(`more than ${MAX_XML_ELEMENTS} elements in all`, () => {
    const err = tooComplex(`<p>${'<f/>'.repeat(MAX_XML_ELEMENTS)}</p>`);
    expect(err.errors[0]!.message).toMatch(/more than 1000000 elements/);
  });

  it(`a document over ${MAX_XML_CHARS} characters, before parsing`, () => {
    const big = `<a>${' '.repeat(MAX_XML_CHARS)}</a>`;
    const start = performance.now();
    expect(tooComplex(big).errors[0]!.message).toMatch(/larger than/);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('buildXmlTree: the work is linear in the document', () => {
  const shapes: Record<string, (n: number) => string> = {
    'attributes on one element': (n) =>
      `<p>${`<x ${Array.from({ length: 250 }, (_, i) => `a${i}="v"`).join(' ')}/>`.repeat(n)}</p>`,
    'sibling <filter> elements': (n) => `<p>${'<filter><rule><type>pass</type></rule></filter>'.repeat(n)}</p>`,
    'nesting to the limit': (n) => `<p>${`${'<a>'.repeat(60)}t${'</a>'.repeat(60)}`.repeat(n)}</p>`,
    'long text': (n) => `<p><t>${'x&amp;y '.repeat(n * 100)}</t></p>`,
  };
  it.each(Object.keys(shapes))(
    '%s: parser events at most double when the input doubles, and never exceed its length',
    (name) => {
      const counts = [100, 200, 400].map((n) => {
        const xml = shapes[name]!(n);
        const { events } = buildXmlTree(xml, { arrayTags: new Set() });
        expect(events).toBeLessThanOrEqual(xml.length);
        return events;
      });
      expect(counts[1]! / counts[0]!).toBeLessThanOrEqual(2.05);
      expect(counts[2]! / counts[1]!).toBeLessThanOrEqual(2.05);
    },
  );
});
