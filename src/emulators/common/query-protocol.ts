/**
 * The AWS query protocol (STS, and the older XML services): the parameters arrive form-encoded in
 * the body of a POST (or in the query string of a GET), `Action=<Operation>&Version=<date>`; the
 * answer is `<OperationResponse><OperationResult>…</OperationResult><ResponseMetadata>…`, and an
 * error is `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code>…</Code><Message>…`.
 */
import type { DenyKind, ServiceRequest, ServiceResponse } from '../plugin.ts';
import { jsonRequestId } from './request-id.ts';
import { escapeXml } from './xml-escape.ts';

/** The request's parameters: the form body of a POST, else the query string. */
export function queryParameters(req: ServiceRequest): URLSearchParams {
  const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  return form ? new URLSearchParams(req.body.toString('utf8')) : new URLSearchParams(req.url.search);
}

/** Whether a request speaks the query protocol (`Action=` in a form body or the query string). */
export function isQueryRequest(req: ServiceRequest): boolean {
  return queryParameters(req).has('Action');
}

function xmlResponse(status: number, body: string, requestId: string): ServiceResponse {
  const bytes = Buffer.from(body, 'utf8');
  return {
    status,
    headers: {
      'content-type': 'text/xml',
      'content-length': String(bytes.length),
      'x-amzn-requestid': requestId,
    },
    body: bytes,
  };
}

/** A successful answer; `result` is the already-escaped XML inside `<ActionResult>`. */
export function queryResponse(action: string, namespace: string, result: string): ServiceResponse {
  const requestId = jsonRequestId();
  return xmlResponse(
    200,
    `<${action}Response xmlns="${namespace}">\n` +
      `  <${action}Result>\n${result}  </${action}Result>\n` +
      `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n` +
      `</${action}Response>\n`,
    requestId,
  );
}

/** An error; 5xx codes are the service's fault (`Receiver`), the rest the caller's (`Sender`). */
export function queryError(
  code: string,
  message: string,
  status: number,
  namespace?: string,
): ServiceResponse {
  const requestId = jsonRequestId();
  const xmlns = namespace ? ` xmlns="${namespace}"` : '';
  return xmlResponse(
    status,
    `<ErrorResponse${xmlns}>\n  <Error>\n    <Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>\n` +
      `    <Code>${escapeXml(code)}</Code>\n    <Message>${escapeXml(message)}</Message>\n  </Error>\n` +
      `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    requestId,
  );
}

/** `<Name>value</Name>`, escaped, indented for a result element. */
export function queryMember(name: string, value: string): string {
  return `    <${name}>${escapeXml(value)}</${name}>\n`;
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** A gateway refusal as the query services word it: code and status (their common errors). */
const QUERY_DENIALS: Record<DenyKind, { code: string; status: number; message?: string }> = {
  AccessDenied: { code: 'AccessDenied', status: 403 },
  SignatureDoesNotMatch: { code: 'SignatureDoesNotMatch', status: 403 },
  InvalidAccessKeyId: { code: 'InvalidClientTokenId', status: 403, message: INVALID_TOKEN },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403, message: INVALID_TOKEN },
  InvalidToken: { code: 'InvalidClientTokenId', status: 403, message: INVALID_TOKEN },
  // STS (like the other query services) reports clock skew as an expired signature ("Signature expired: … is now earlier than …").
  RequestTimeTooSkewed: { code: 'SignatureDoesNotMatch', status: 403 },
  MissingAuthenticationToken: { code: 'MissingAuthenticationToken', status: 403 },
  IncompleteSignature: { code: 'IncompleteSignature', status: 400 },
  XAmzContentSHA256Mismatch: { code: 'SignatureDoesNotMatch', status: 403 },
  InvalidRequest: { code: 'InvalidRequest', status: 400 },
};

/** How the query services word a gateway refusal: code, HTTP status and the message, if fixed. */
export function queryDenialOf(kind: DenyKind): { code: string; status: number; message?: string } {
  return QUERY_DENIALS[kind];
}

/** A gateway refusal (bad signature, unknown key, denied…) in the query protocol's shape. */
export function queryDenial(kind: DenyKind, message: string, namespace?: string): ServiceResponse {
  const denial = QUERY_DENIALS[kind];
  return queryError(denial.code, denial.message ?? message, denial.status, namespace);
}

/**
 * A query request's members as a tree: `A.B.1.C=v` → `{A: {B: {1: {C: 'v'}}}}` (Action, Version and
 * the presigned `X-Amz-*` parameters left out). Each service folds the numbered levels into lists
 * and maps as its own protocol says.
 */
export function queryParameterTree(req: ServiceRequest): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [key, value] of queryParameters(req)) {
    if (key === 'Action' || key === 'Version' || key.startsWith('X-Amz-')) continue;
    const parts = key.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = (typeof next === 'object' && next !== null ? next : (node[part] = {})) as Record<
        string,
        unknown
      >;
    }
    node[parts[parts.length - 1]] = value;
  }
  return tree;
}
