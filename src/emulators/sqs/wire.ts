/**
 * SQS's two wire protocols, read into one input shape and written back from one output shape.
 * AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`, SDK v3 since 3.447, botocore since 1.31.x):
 * members as the API reference names them. Query (`Action=<Operation>`, form body or query string;
 * AWS CLI v1 before that change, older SDKs): flattened lists (`AttributeName.1`,
 * `MessageAttribute.1.Name`, `MessageAttribute.1.Value.StringValue`, `SendMessageBatchRequestEntry.1.Id`…),
 * answered in XML under the 2012-11-05 namespace.
 */
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { parseJsonObject, targetOperation } from '../common/json-protocol.ts';
import {
  isQueryRequest,
  queryParameterTree,
  queryParameters,
  queryResponse,
} from '../common/query-protocol.ts';
import { jsonRequestId } from '../common/request-id.ts';
import { escapeXml } from '../common/xml-escape.ts';
import { SQS_NAMESPACE, type Protocol } from './errors.ts';

export const TARGET_PREFIX = 'AmazonSQS';

export function protocolOf(req: ServiceRequest): Protocol {
  return req.headers['x-amz-target'] === undefined && isQueryRequest(req) ? 'query' : 'json';
}

export function operationOf(req: ServiceRequest): string {
  if (protocolOf(req) === 'query') return queryParameters(req).get('Action') ?? 'Unknown';
  return targetOperation(req, TARGET_PREFIX) ?? 'Unknown';
}

export type Input = Record<string, unknown>;

/** Query list parameters and the JSON members they become. */
const LISTS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
};
/** Query map parameters (`<Name>.N.Name` / `<Name>.N.Value…`) and their JSON members. */
const MAPS: Readonly<Record<string, string>> = {
  MessageAttribute: 'MessageAttributes',
  MessageSystemAttribute: 'MessageSystemAttributes',
  Attribute: 'Attributes',
};
const NUMBERS = new Set([
  'MaxNumberOfMessages',
  'VisibilityTimeout',
  'WaitTimeSeconds',
  'DelaySeconds',
  'MaxResults',
]);

/** `{ "1": {...}, "2": {...} }` index objects → ordered arrays / maps, recursively. */
function fold(node: Record<string, unknown>): Input {
  const out: Input = {};
  for (const [key, value] of Object.entries(node)) {
    if (LISTS[key] !== undefined && typeof value === 'object' && value !== null) {
      const items = Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([, item]) =>
          typeof item === 'object' && item !== null ? fold(item as Record<string, unknown>) : item,
        );
      out[LISTS[key]] = items;
    } else if (MAPS[key] !== undefined && typeof value === 'object' && value !== null) {
      const map: Record<string, unknown> = {};
      for (const entry of Object.values(value as Record<string, Record<string, unknown>>)) {
        if (typeof entry.Name !== 'string') continue;
        map[entry.Name] =
          typeof entry.Value === 'object' && entry.Value !== null
            ? fold(entry.Value as Record<string, unknown>)
            : entry.Value;
      }
      out[MAPS[key]] = map;
    } else if (NUMBERS.has(key) && typeof value === 'string' && /^-?\d+$/.test(value)) {
      out[key] = Number(value);
    } else {
      out[key] = typeof value === 'object' && value !== null ? fold(value as Record<string, unknown>) : value;
    }
  }
  return out;
}

/** The request's members, in the JSON protocol's shape whichever protocol carried them. */
export function inputOf(req: ServiceRequest): Input {
  if (protocolOf(req) === 'json') return parseJsonObject(req.body);
  const tree = queryParameterTree(req);
  const input = fold(tree);
  // The query protocol may name the queue by the request path instead of a QueueUrl parameter.
  if (input.QueueUrl === undefined && /^\/\d{12}\/[^/]+\/?$/.test(req.url.pathname))
    input.QueueUrl = req.url.pathname;
  return input;
}

/** A successful answer: JSON as given, or the XML the query protocol's operation returns. */
export function outputResponse(protocol: Protocol, operation: string, output: Input): ServiceResponse {
  if (protocol === 'json') {
    const body = Buffer.from(JSON.stringify(output), 'utf8');
    return {
      status: 200,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(body.length),
        'x-amzn-requestid': jsonRequestId(),
      },
      body,
    };
  }
  return queryResponse(
    operation,
    SQS_NAMESPACE,
    xmlMembers(output, '    ', MEMBER_ELEMENTS[operation] ?? {}),
  );
}

/** Element names of list members in the query protocol's flattened XML. */
const MEMBER_ELEMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ListQueues: { QueueUrls: 'QueueUrl' },
  ReceiveMessage: { Messages: 'Message' },
  SendMessageBatch: { Successful: 'SendMessageBatchResultEntry', Failed: 'BatchResultErrorEntry' },
  DeleteMessageBatch: { Successful: 'DeleteMessageBatchResultEntry', Failed: 'BatchResultErrorEntry' },
  ChangeMessageVisibilityBatch: {
    Successful: 'ChangeMessageVisibilityBatchResultEntry',
    Failed: 'BatchResultErrorEntry',
  },
};

/** Maps (Attributes, MessageAttributes) flatten to repeated `<Attribute><Name/><Value/>` elements. */
const MAP_ELEMENTS: Readonly<Record<string, string>> = {
  Attributes: 'Attribute',
  MessageAttributes: 'MessageAttribute',
};

function xmlMembers(value: Input, indent: string, lists: Readonly<Record<string, string>>): string {
  let xml = '';
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    if (Array.isArray(member)) {
      const element = lists[key] ?? key;
      for (const item of member)
        xml +=
          typeof item === 'object' && item !== null
            ? `${indent}<${element}>\n${xmlMembers(item as Input, indent + '  ', {})}${indent}</${element}>\n`
            : `${indent}<${element}>${escapeXml(String(item))}</${element}>\n`;
    } else if (MAP_ELEMENTS[key] !== undefined && typeof member === 'object' && member !== null) {
      const element = MAP_ELEMENTS[key];
      for (const [name, entry] of Object.entries(member as Record<string, unknown>)) {
        const inner =
          typeof entry === 'object' && entry !== null
            ? `\n${xmlMembers(entry as Input, indent + '    ', {})}${indent}  `
            : escapeXml(String(entry));
        xml += `${indent}<${element}>\n${indent}  <Name>${escapeXml(name)}</Name>\n${indent}  <Value>${inner}</Value>\n${indent}</${element}>\n`;
      }
    } else if (typeof member === 'object' && member !== null) {
      xml += `${indent}<${key}>\n${xmlMembers(member as Input, indent + '  ', {})}${indent}</${key}>\n`;
    } else {
      xml += `${indent}<${key}>${escapeXml(String(member))}</${key}>\n`;
    }
  }
  return xml;
}
