import {
  attribute,
  children,
  decodeEntities,
  element,
  MAX_XML_CHARS,
  MAX_XML_DEPTH,
  parseConfigXml,
  path,
  present,
  text,
  value,
} from '../../../src/adapters/firewall/config-xml.js';
import { pfsenseAdapter } from '../../../src/adapters/firewall/pfsense.js';
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
    expect(decodeEntities('&#0; &#x110000; &amp;amp;')).toBe('&#0; &#x110000; &amp;');
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
    expect(err.problems[0]!.message).toMatch(/^malformed XML: InvalidTag at line 2, column \d+$/);
    expect(err.problems[0]!.message).not.toContain('password123');
  });

  it('several roots or none → 400', () => {
    expect(refusal('<a/><b/>').status).toBe(400);
    expect(refusal('just text').status).toBe(400);
    expect(refusal('').status).toBe(400);
  });

  it(`nesting deeper than ${MAX_XML_DEPTH} → 400`, () => {
    const deep = '<a>'.repeat(MAX_XML_DEPTH + 5) + '</a>'.repeat(MAX_XML_DEPTH + 5);
    expect(refusal(deep).problems[0]!.message).toMatch(/nests deeper/);
  });

  it(`a document over ${MAX_XML_CHARS} characters → 400 before parsing`, () => {
    const big = `<a>${' '.repeat(MAX_XML_CHARS)}</a>`;
    const start = performance.now();
    expect(refusal(big).problems[0]!.message).toMatch(/larger than/);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
