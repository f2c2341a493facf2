/**
 * SNS's errors in its query protocol: `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code>…`
 * under the 2010-03-31 namespace (the `xmlNamespace` of @aws-sdk/client-sns). Codes and statuses
 * are the SDK model's (`NotFound` 404, `InvalidParameter` 400, …); sources in
 * docs/emulator-semantics.md, "SNS".
 */
import type { DenyKind, ServiceResponse } from '../plugin.ts';
import { queryDenial, queryError } from '../common/query-protocol.ts';
import { ServiceError } from '../common/service-error.ts';

export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

const STATUS = {
  NotFound: 404,
  InvalidParameter: 400,
  EmptyBatchRequest: 400,
  TooManyEntriesInBatchRequest: 400,
  BatchEntryIdsNotDistinct: 400,
  InvalidBatchEntryId: 400,
  NotImplemented: 501,
} as const;

export type SnsErrorName = keyof typeof STATUS;

export function snsError(name: SnsErrorName, message: string): ServiceError {
  return new ServiceError(name, message, STATUS[name]);
}

export function errorResponse(error: ServiceError): ServiceResponse {
  return queryError(error.code, error.message, error.status, SNS_NAMESPACE);
}

export function denialResponse(kind: DenyKind, message: string): ServiceResponse {
  return queryDenial(kind, message, SNS_NAMESPACE);
}
