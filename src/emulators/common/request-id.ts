import { randomBytes, randomUUID } from 'node:crypto';

/** S3-style request id: 16 upper-case hex characters. */
export function s3RequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** S3's x-amz-id-2: an opaque base64 token. */
export function s3HostId(): string {
  return randomBytes(32).toString('base64');
}

/** JSON services use a UUID for x-amzn-RequestId. */
export function jsonRequestId(): string {
  return randomUUID();
}
