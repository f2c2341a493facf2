/**
 * How the JSON-protocol services (DynamoDB, Secrets Manager, KMS) word a gateway refusal:
 * every one is an HTTP 400 with `__type` naming the exception. Sources in docs/emulator-semantics.md.
 */
import type { DenyKind } from '../plugin.ts';

export const JSON_DENIALS: Record<DenyKind, string> = {
  AccessDenied: 'AccessDeniedException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  InvalidAccessKeyId: 'UnrecognizedClientException',
  UnrecognizedClientException: 'UnrecognizedClientException',
  // JSON services report clock skew as an expired signature.
  RequestTimeTooSkewed: 'InvalidSignatureException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidToken: 'UnrecognizedClientException',
  XAmzContentSHA256Mismatch: 'InvalidSignatureException',
  InvalidRequest: 'InvalidSignatureException',
};
