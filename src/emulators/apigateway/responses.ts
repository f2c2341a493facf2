/**
 * API Gateway's own answers ("gateway responses"): JSON bodies, `x-amzn-ErrorType`, and the
 * request id headers every response carries. Status codes and types follow the documented
 * gateway response types; bodies are what API Gateway really sends (docs/runtime-semantics.md).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { DenyKind, ServiceResponse } from '../plugin.ts';

export interface ResponseIds {
  readonly requestId: string;
  readonly extendedRequestId: string;
}

export function newResponseIds(): ResponseIds {
  // x-amz-apigw-id looks like 'BbFzTFgkoAMEJaQ=': 10 random bytes in base64.
  return { requestId: randomUUID(), extendedRequestId: randomBytes(10).toString('base64') };
}

export function idHeaders(ids: ResponseIds): Record<string, string> {
  return {
    'x-amzn-requestid': ids.requestId,
    'x-amz-apigw-id': ids.extendedRequestId,
    'x-amzn-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  };
}

export function gatewayResponse(
  status: number,
  errorType: string,
  body: Record<string, string>,
  ids: ResponseIds = newResponseIds(),
): ServiceResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': errorType,
      ...idHeaders(ids),
    },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** No resource/method for the request (and a request to the API root without a stage). */
export const missingAuthenticationToken = (ids?: ResponseIds) =>
  gatewayResponse(
    403,
    'MissingAuthenticationTokenException',
    { message: 'Missing Authentication Token' },
    ids,
  );

/** Throttled: the method's or the account's token bucket is empty (gateway response THROTTLED). */
export const tooManyRequests = (ids?: ResponseIds): ServiceResponse => ({
  ...gatewayResponse(429, 'TooManyRequestsException', { message: 'Too Many Requests' }, ids),
  refusal: "throttled: the method's or the account's token bucket is empty",
});

/** Request validation failed (gateway responses BAD_REQUEST_PARAMETERS / BAD_REQUEST_BODY). */
export const badRequest = (message: string, ids?: ResponseIds): ServiceResponse => ({
  ...gatewayResponse(400, 'BadRequestException', { message }, ids),
  refusal: `request validation: ${message}`,
});

/** Blocked by the stage's AWS WAF web ACL (gateway response WAF_FILTERED, 403). */
export const wafFiltered = (ids?: ResponseIds) =>
  gatewayResponse(403, 'ForbiddenException', { message: 'Forbidden' }, ids);

/** A stage that is not deployed. */
export const forbidden = (ids?: ResponseIds) =>
  gatewayResponse(403, 'ForbiddenException', { message: 'Forbidden' }, ids);

/** Integration failure: Lambda error, malformed proxy response, unsupported integration. */
export const internalServerError = (ids?: ResponseIds, status = 502) =>
  gatewayResponse(status, 'InternalServerErrorException', { message: 'Internal server error' }, ids);

/** An API id nothing is deployed under (LocalStack's wording; on AWS the name would not resolve). */
export const noSuchApi = (apiId: string, ids?: ResponseIds) =>
  gatewayResponse(
    404,
    'NotFoundException',
    { message: `The API id '${apiId}' does not correspond to a deployed API Gateway API` },
    ids,
  );

/**
 * The refusal API Gateway sends for each reason the twin's gateway may stop a request.
 * Note the capital M in `{"Message": …}` for authorization denials, as API Gateway sends it.
 */
export function denyResponse(kind: DenyKind, message: string): ServiceResponse {
  switch (kind) {
    case 'AccessDenied':
      return gatewayResponse(403, 'AccessDeniedException', { Message: message });
    case 'MissingAuthenticationToken':
      return missingAuthenticationToken();
    case 'SignatureDoesNotMatch':
    case 'RequestTimeTooSkewed':
      return gatewayResponse(403, 'InvalidSignatureException', { message });
    case 'IncompleteSignature':
      return gatewayResponse(403, 'IncompleteSignatureException', { message });
    case 'InvalidAccessKeyId':
    case 'UnrecognizedClientException':
    case 'InvalidToken':
      return gatewayResponse(403, 'UnrecognizedClientException', {
        message: 'The security token included in the request is invalid.',
      });
    case 'XAmzContentSHA256Mismatch':
    case 'InvalidRequest':
      return gatewayResponse(400, 'BadRequestException', { message });
  }
}

/**
 * API Gateway's denial message. It masks the account id in the ARN except its last 4 digits:
 * `User: anonymous is not authorized to perform: execute-api:Invoke on resource:
 * arn:aws:execute-api:us-west-2:********2543:abc/prod/GET/ with an explicit deny`.
 */
export function accessDeniedMessage(
  principal: string | undefined,
  resourceArn: string,
  explicit: boolean,
): string {
  const masked = resourceArn.replace(/^(arn:[^:]+:execute-api:[^:]*:)(\d{8})(\d{4}):/, '$1********$3:');
  return `User: ${principal ?? 'anonymous'} is not authorized to perform: execute-api:Invoke on resource: ${masked}${
    explicit ? ' with an explicit deny' : ''
  }`;
}
