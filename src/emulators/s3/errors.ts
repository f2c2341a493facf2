/** S3's error wire shape: XML `<Error>` with Code, Message, the resource, RequestId and HostId. */
import type { DenyKind, ServiceResponse } from '../plugin.ts';
import { s3HostId, s3RequestId } from '../common/request-id.ts';
import { errorDocument } from './xml.ts';

export function s3ErrorResponse(
  code: string,
  message: string,
  status: number,
  method: string,
  extra: Readonly<Record<string, string>> = {},
): ServiceResponse {
  const requestId = s3RequestId();
  const hostId = s3HostId();
  const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId };
  // A HEAD response has no body: the SDK reads the status alone (404 → NotFound).
  if (method === 'HEAD')
    return { status, headers: { ...headers, 'content-length': '0' }, body: Buffer.alloc(0) };
  const body = errorDocument([
    ['Code', code],
    ['Message', message],
    ...Object.entries(extra),
    ['RequestId', requestId],
    ['HostId', hostId],
  ]);
  return {
    status,
    headers: { ...headers, 'content-type': 'application/xml', 'content-length': String(body.length) },
    body,
  };
}

/** How S3 words each gateway refusal (code, HTTP status). */
const DENIALS: Record<DenyKind, readonly [string, number]> = {
  AccessDenied: ['AccessDenied', 403],
  SignatureDoesNotMatch: ['SignatureDoesNotMatch', 403],
  InvalidAccessKeyId: ['InvalidAccessKeyId', 403],
  UnrecognizedClientException: ['InvalidAccessKeyId', 403],
  RequestTimeTooSkewed: ['RequestTimeTooSkewed', 403],
  // S3 treats an unsigned request as anonymous: anonymous is then denied.
  MissingAuthenticationToken: ['AccessDenied', 403],
  IncompleteSignature: ['AuthorizationHeaderMalformed', 400],
  InvalidToken: ['InvalidToken', 400],
  XAmzContentSHA256Mismatch: ['XAmzContentSHA256Mismatch', 400],
  InvalidRequest: ['InvalidRequest', 400],
};

export function s3Denial(kind: DenyKind, message: string, method: string): ServiceResponse {
  const [code, status] = DENIALS[kind];
  return s3ErrorResponse(code, message || 'Access Denied', status, method);
}
