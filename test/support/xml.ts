// Layer: tests. Imports nothing.
// A strict XML 1.0 well-formedness check (no DTD), returning the element tree so that tests can
// also look at the structure. It rejects: characters XML cannot hold, a bad or undeclared entity
// reference, `<` or an unescaped `&` in text or attribute values, `]]>` in text, duplicate
// attributes, mismatched or unclosed tags, `--` inside a comment, and anything but whitespace,
// comments and processing instructions around the single root element.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (character data and CDATA), references resolved. */
  text: string;
}

export class XmlError extends Error {}

const CHAR = /^[\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const NAME = /^[A-Za-z_:\u00C0-\u{EFFFF}][-A-Za-z0-9_:.\u00B7\u00C0-\u{EFFFF}]*/u;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

export function parseXml(doc: string): XmlElement {
  if (!CHAR.test(doc)) {
    const bad = [...doc].findIndex((c) => !CHAR.test(c));
    throw new XmlError(`character not allowed in XML at offset ${bad}`);
  }
  let i = 0;
  const fail = (msg: string): never => {
    throw new XmlError(`${msg} at offset ${i}: ${JSON.stringify(doc.slice(i, i + 30))}`);
  };
  const skipSpace = () => {
    while (i < doc.length && ' \t\r\n'.includes(doc[i]!)) i++;
  };
  const name = (): string => {
    const m = NAME.exec(doc.slice(i));
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };
  /** Resolves references in `s` (text or an attribute value), which must hold no `<`. */
  const resolve = (s: string, where: string): string =>
    s.replace(/&([^;]*);|&|</g, (all, ref: string | undefined) => {
      if (all === '<') fail(`"<" in ${where}`);
      if (ref === undefined) fail(`"&" not starting a reference in ${where}`);
      const num = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref!);
      if (num) {
        const cp = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
        const ch = cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        if (ch === '' || !CHAR.test(ch)) fail(`reference to a character XML cannot hold in ${where}`);
        return ch;
      }
      const e = ENTITIES[ref!];
      if (e === undefined) fail(`undeclared entity &${ref}; in ${where}`);
      return e!;
    });
  const misc = () => {
    for (;;) {
      skipSpace();
      if (doc.startsWith('<!--', i)) comment();
      else if (doc.startsWith('<?', i)) pi();
      else return;
    }
  };
  const comment = () => {
    const end = doc.indexOf('-->', i + 4);
    if (end < 0) fail('unclosed comment');
    if (doc.slice(i + 4, end).includes('--') || doc[end - 1] === '-') fail('"--" inside a comment');
    i = end + 3;
  };
  const pi = () => {
    i += 2;
    const target = name();
    if (target.toLowerCase() === 'xml') fail('XML declaration not at the start');
    const end = doc.indexOf('?>', i);
    if (end < 0) fail('unclosed processing instruction');
    i = end + 2;
  };
  const element = (): XmlElement => {
    if (doc[i] !== '<') fail('expected an element');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      if (doc.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (doc[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const key = name();
      skipSpace();
      if (doc[i] !== '=') fail('expected "="');
      i++;
      skipSpace();
      const q = doc[i];
      if (q !== '"' && q !== "'") fail('expected a quoted attribute value');
      const end = doc.indexOf(q!, i + 1);
      if (end < 0) fail('unclosed attribute value');
      if (Object.hasOwn(el.attrs, key)) fail(`duplicate attribute ${key}`);
      el.attrs[key] = resolve(doc.slice(i + 1, end), `attribute ${key}`);
      i = end + 1;
    }
    for (;;) {
      const lt = doc.indexOf('<', i);
      if (lt < 0) fail(`unclosed element <${el.name}>`);
      const text = doc.slice(i, lt);
      if (text.includes(']]>')) fail('"]]>" in text');
      el.text += resolve(text, 'text');
      i = lt;
      if (doc.startsWith('</', i)) {
        i += 2;
        const close = name();
        if (close !== el.name) fail(`</${close}> closes <${el.name}>`);
        skipSpace();
        if (doc[i] !== '>') fail('expected ">"');
        i++;
        return el;
      }
      if (doc.startsWith('<!--', i)) comment();
      else if (doc.startsWith('<![CDATA[', i)) {
        const end = doc.indexOf(']]>', i);
        if (end < 0) fail('unclosed CDATA section');
        el.text += doc.slice(i + 9, end);
        i = end + 3;
      } else if (doc.startsWith('<?', i)) pi();
      else if (doc.startsWith('<!', i)) fail('declarations are not allowed here');
      else el.children.push(element());
    }
  };

  if (doc.charCodeAt(0) === 0xfeff) i = 1;
  if (doc.startsWith('<?xml', i)) {
    const end = doc.indexOf('?>', i);
    if (end < 0) fail('unclosed XML declaration');
    if (!/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][-A-Za-z0-9._]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/.test(doc.slice(i, end))) {
      fail('malformed XML declaration');
    }
    i = end + 2;
  }
  misc();
  if (doc.startsWith('<!DOCTYPE', i)) fail('DOCTYPE is not supported by this check');
  const root = element();
  misc();
  if (i !== doc.length) fail('content after the root element');
  return root;
}

/** Every element named `name` below (and including) `el`, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => findAll(c, name))];
}
