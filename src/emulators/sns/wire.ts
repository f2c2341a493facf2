/**
 * SNS's wire protocol: the AWS query protocol (what @aws-sdk/client-sns 3.1169 sends:
 * `AwsQueryProtocol`, `Action=Publish&Version=2010-03-31`, form-encoded). Maps are
 * `<Name>.entry.N.Name` / `.Value.<member>`, lists `<Name>.member.N.<member>`; answers are XML with
 * lists as `<member>` elements and maps as `<entry><key/><value/></entry>`.
 */
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { queryParameterTree, queryParameters, queryResponse } from '../common/query-protocol.ts';
import { escapeXml } from '../common/xml-escape.ts';
import { SNS_NAMESPACE } from './errors.ts';

export type Input = Record<string, unknown>;

export function operationOf(req: ServiceRequest): string {
  return queryParameters(req).get('Action') ?? 'Unknown';
}

/** `{ member: { "1": … } }` → arrays, `{ entry: { "1": {Name, Value} } }` → maps, recursively. */
function fold(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && (keys[0] === 'member' || keys[0] === 'entry')) {
    const items = Object.entries(record[keys[0]] as Record<string, unknown>)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => fold(item));
    if (keys[0] === 'member') return items;
    const map: Record<string, unknown> = {};
    for (const item of items as Array<Record<string, unknown>>)
      if (typeof item.Name === 'string') map[item.Name] = item.Value;
    return map;
  }
  const out: Input = {};
  for (const key of keys) out[key] = fold(record[key]);
  return out;
}

/** The request's members, in the API reference's shape. */
export function inputOf(req: ServiceRequest): Input {
  const tree = queryParameterTree(req);
  return fold(tree) as Input;
}

function xmlOf(value: unknown, indent: string): string {
  let xml = '';
  for (const [key, member] of Object.entries(value as Input)) {
    if (member === undefined) continue;
    if (Array.isArray(member)) {
      xml += `${indent}<${key}>\n`;
      for (const item of member)
        xml +=
          typeof item === 'object' && item !== null
            ? `${indent}  <member>\n${xmlOf(item, indent + '    ')}${indent}  </member>\n`
            : `${indent}  <member>${escapeXml(String(item))}</member>\n`;
      xml += `${indent}</${key}>\n`;
    } else if (member instanceof Map) {
      xml += `${indent}<${key}>\n`;
      for (const [k, v] of member as Map<string, string>)
        xml += `${indent}  <entry>\n${indent}    <key>${escapeXml(k)}</key>\n${indent}    <value>${escapeXml(v)}</value>\n${indent}  </entry>\n`;
      xml += `${indent}</${key}>\n`;
    } else if (typeof member === 'object' && member !== null) {
      xml += `${indent}<${key}>\n${xmlOf(member, indent + '  ')}${indent}</${key}>\n`;
    } else {
      xml += `${indent}<${key}>${escapeXml(String(member))}</${key}>\n`;
    }
  }
  return xml;
}

/** A successful answer; a `Map` member is written as an attribute map (`entry`/`key`/`value`). */
export function outputResponse(operation: string, output: Input): ServiceResponse {
  return queryResponse(operation, SNS_NAMESPACE, xmlOf(output, '    '));
}
