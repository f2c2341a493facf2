/**
 * SQS's errors in both of its protocols. JSON (AWS JSON 1.0): `{"__type": "<namespace>#<Shape>",
 * "message"}` plus `x-amzn-query-error: <query code>;Sender|Receiver`, which SDK v3 (query
 * compatible) reads first; query: `<ErrorResponse><Error><Type>…<Code>…`. Shape names, query codes
 * and statuses are the SDK model's (`awsQueryError` traits of @aws-sdk/client-sqs); sources in
 * docs/emulator-semantics.md, "SQS".
 */
import type { DenyKind, ServiceResponse } from '../plugin.ts';
import { JSON_DENIALS } from '../common/json-denials.ts';
import { queryDenialOf, queryError } from '../common/query-protocol.ts';
import { jsonRequestId } from '../common/request-id.ts';
import { ServiceError } from '../common/service-error.ts';

export const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

interface ErrorShape {
  /** `__type` of the JSON protocol. */
  readonly type: string;
  /** `<Code>` of the query protocol, and the first half of `x-amzn-query-error`. */
  readonly queryCode: string;
  readonly status: number;
}

const sqs = (shape: string, queryCode: string, status = 400): ErrorShape => ({
  type: `com.amazonaws.sqs#${shape}`,
  queryCode,
  status,
});

/** The errors the emulator raises, by the name the SDK gives them. */
export const SQS_ERRORS = {
  QueueDoesNotExist: sqs('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'),
  ReceiptHandleIsInvalid: sqs('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404),
  MessageNotInflight: sqs('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight'),
  EmptyBatchRequest: sqs('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest'),
  TooManyEntriesInBatchRequest: sqs(
    'TooManyEntriesInBatchRequest',
    'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  ),
  BatchEntryIdsNotDistinct: sqs(
    'BatchEntryIdsNotDistinct',
    'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  ),
  InvalidBatchEntryId: sqs('InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId'),
  BatchRequestTooLong: sqs('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong'),
  PurgeQueueInProgress: sqs('PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', 403),
  InvalidAttributeName: sqs('InvalidAttributeName', 'InvalidAttributeName'),
  InvalidMessageContents: sqs('InvalidMessageContents', 'InvalidMessageContents'),
  // Not in the SDK model: the query protocol's generic validation codes (not verified for JSON).
  InvalidParameterValue: sqs('InvalidParameterValueException', 'InvalidParameterValue'),
  MissingParameter: sqs('MissingRequiredParameterException', 'MissingParameter'),
  NotImplemented: { type: 'NotImplemented', queryCode: 'NotImplemented', status: 501 },
} satisfies Record<string, ErrorShape>;

export type SqsErrorName = keyof typeof SQS_ERRORS;

/** An SQS error raised inside the emulator; `handle` answers it in the request's protocol. */
export function sqsError(name: SqsErrorName, message: string): ServiceError {
  return new ServiceError(name, message, SQS_ERRORS[name].status);
}

export type Protocol = 'json' | 'query';

function jsonErrorResponse(
  type: string,
  queryCode: string,
  message: string,
  status: number,
): ServiceResponse {
  const body = Buffer.from(JSON.stringify({ __type: type, message }), 'utf8');
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(body.length),
      'x-amzn-requestid': jsonRequestId(),
      'x-amzn-query-error': `${queryCode};${status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body,
  };
}

/** A ServiceError (an SQS_ERRORS name, or any other code) in the request's protocol. */
export function errorResponse(protocol: Protocol, error: ServiceError): ServiceResponse {
  const shape: ErrorShape = (SQS_ERRORS as Record<string, ErrorShape>)[error.code] ?? {
    type: error.code,
    queryCode: error.code,
    status: error.status,
  };
  return protocol === 'json'
    ? jsonErrorResponse(shape.type, shape.queryCode, error.message, shape.status)
    : queryError(shape.queryCode, error.message, shape.status, SQS_NAMESPACE);
}

/**
 * A gateway refusal. The query code and status are the query services' common errors
 * (AccessDenied 403, SignatureDoesNotMatch 403, InvalidClientTokenId 403…); in JSON the same
 * code goes into `x-amzn-query-error` and `__type` names the JSON services' exception.
 */
export function denialResponse(protocol: Protocol, kind: DenyKind, message: string): ServiceResponse {
  const query = queryDenialOf(kind);
  const text = query.message ?? message;
  if (protocol === 'query') return queryError(query.code, text, query.status, SQS_NAMESPACE);
  return jsonErrorResponse(`com.amazon.coral.service#${JSON_DENIALS[kind]}`, query.code, text, query.status);
}
