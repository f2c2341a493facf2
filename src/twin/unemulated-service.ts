/**
 * Answers for a service the twin does not run (CloudWatch, EventBridge…), in the wire protocol the
 * client spoke, so that its SDK reports a clear error instead of failing to parse one. The gateway
 * still traces the network path first: from an isolated subnet such a call never reaches AWS at
 * all, and that — not the missing emulator — is what the caller sees.
 */
import type { DenyKind, ServiceRequest, ServiceResponse } from '../emulators/plugin.ts';
import { JSON_DENIALS } from '../emulators/common/json-denials.ts';
import { jsonRequestId } from '../emulators/common/request-id.ts';
import {
  isQueryRequest,
  queryDenial,
  queryError,
  queryParameters,
} from '../emulators/common/query-protocol.ts';
import { escapeXml } from '../emulators/common/xml-escape.ts';

/** How a request is encoded, read from what every SDK sends for each protocol. */
export type WireProtocol = 'cbor' | 'json' | 'query' | 'rest-json' | 'rest-xml';

export function wireProtocolOf(req: ServiceRequest): WireProtocol {
  if (req.headers['smithy-protocol'] === 'rpc-v2-cbor') return 'cbor';
  if (req.headers['x-amz-target'] !== undefined) return 'json';
  if (isQueryRequest(req)) return 'query';
  if ((req.headers['content-type'] ?? '').includes('json')) return 'rest-json';
  return 'rest-xml';
}

/** The operation's name where the protocol carries it (X-Amz-Target, Action=, the CBOR path). */
export function operationOf(req: ServiceRequest, protocol: WireProtocol): string {
  switch (protocol) {
    case 'json':
      return req.headers['x-amz-target']?.split('.').at(-1) ?? 'Unknown';
    case 'query':
      return queryParameters(req).get('Action') ?? 'Unknown';
    case 'cbor':
      // /service/<ServiceName>/operation/<OperationName>
      return /\/operation\/([^/]+)$/.exec(req.url.pathname)?.[1] ?? 'Unknown';
    default:
      return 'Unknown';
  }
}

/** 501 NotImplemented: the request arrived, and the twin says plainly that it cannot serve it. */
export function notEmulated(service: string, operation: string, req: ServiceRequest): ServiceResponse {
  const what = operation === 'Unknown' ? `service '${service}'` : `${service}:${operation}`;
  return errorIn(
    wireProtocolOf(req),
    'NotImplemented',
    `The twin does not emulate ${what}; it runs S3, DynamoDB, Secrets Manager, KMS, STS (GetCallerIdentity), SQS, SNS, API Gateway, Lambda (and its Invoke API) and RDS.`,
    501,
  );
}

/** A gateway refusal (bad signature, unknown key…) in the request's protocol. */
export function refusedIn(req: ServiceRequest, kind: DenyKind, message: string): ServiceResponse {
  const protocol = wireProtocolOf(req);
  if (protocol === 'query') return queryDenial(kind, message);
  // JSON-family services answer every refusal with 400 (REST-JSON ones with 403).
  const code = JSON_DENIALS[kind];
  return errorIn(protocol, code, message, protocol === 'rest-json' || protocol === 'rest-xml' ? 403 : 400);
}

function errorIn(protocol: WireProtocol, code: string, message: string, status: number): ServiceResponse {
  const requestId = jsonRequestId();
  switch (protocol) {
    case 'query':
      return queryError(code, message, status);
    case 'cbor':
      return respond(status, 'application/cbor', cborErrorBody(code, message), requestId, {
        'smithy-protocol': 'rpc-v2-cbor',
      });
    case 'json':
      return respond(
        status,
        'application/x-amz-json-1.1',
        Buffer.from(JSON.stringify({ __type: code, message })),
        requestId,
        { 'x-amzn-errortype': code },
      );
    case 'rest-json':
      return respond(status, 'application/json', Buffer.from(JSON.stringify({ message })), requestId, {
        'x-amzn-errortype': code,
      });
    case 'rest-xml':
      return respond(
        status,
        'text/xml',
        Buffer.from(
          `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(code)}</Code>` +
            `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        ),
        requestId,
      );
  }
}

function respond(
  status: number,
  contentType: string,
  body: Buffer,
  requestId: string,
  extra: Record<string, string> = {},
): ServiceResponse {
  return {
    status,
    headers: {
      'content-type': contentType,
      'content-length': String(body.length),
      'x-amzn-requestid': requestId,
      ...extra,
    },
    body,
  };
}

/** `{"__type": code, "message": message}` as a CBOR map (RFC 8949: major types 5 and 3). */
function cborErrorBody(code: string, message: string): Buffer {
  return Buffer.concat([
    Buffer.from([0xa2]),
    cborText('__type'),
    cborText(code),
    cborText('message'),
    cborText(message),
  ]);
}

function cborText(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const n = bytes.length;
  const head =
    n < 24
      ? Buffer.from([0x60 + n])
      : n < 0x100
        ? Buffer.from([0x78, n])
        : Buffer.from([0x79, n >> 8, n & 0xff]);
  return Buffer.concat([head, bytes]);
}
