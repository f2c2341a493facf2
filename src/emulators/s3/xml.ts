/** Just enough XML for S3: escaping, building elements, and reading the few request bodies S3 takes. */
import { escapeXml } from '../common/xml-escape.ts';

export { escapeXml };
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export type XmlChild = string | XmlChild[] | undefined | false;

/** `<name>children</name>`; a string child is text (escaped), nested arrays are flattened. */
export function element(name: string, ...children: XmlChild[]): string {
  return `<${name}>${children
    .flat(Infinity as 1)
    .filter((c): c is string => typeof c === 'string')
    .join('')}</${name}>`;
}

export function text(name: string, value: string | number | boolean | undefined): string | undefined {
  return value === undefined ? undefined : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A response document: declaration + root element in S3's namespace. */
export function document(root: string, ...children: XmlChild[]): Buffer {
  const body = element(root, ...children).replace(`<${root}>`, `<${root} xmlns="${S3_NAMESPACE}">`);
  return Buffer.from(DECLARATION + body, 'utf8');
}

/** Error documents have no namespace. */
export function errorDocument(fields: ReadonlyArray<readonly [string, string]>): Buffer {
  return Buffer.from(
    DECLARATION + element('Error', ...fields.map(([name, value]) => text(name, value))),
    'utf8',
  );
}

export function unescapeXml(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Text of every `<name>…</name>` inside `xml` (no nesting of the same name). */
export function childTexts(xml: string, name: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  for (const m of xml.matchAll(pattern)) out.push(m[1]);
  return out;
}
