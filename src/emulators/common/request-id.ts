/**
 * Request ids as the services shape them. They only need to be unique, not unpredictable: a
 * random per-process prefix and a counter, instead of fresh random bytes on every response (the
 * random generator showed in the gateway's CPU profile).
 */
import { randomBytes, randomUUID } from 'node:crypto';

let counter = 0;
const uuidPrefix = randomUUID().slice(0, 24); // 8-4-4-4- : version and variant bits included
const s3Prefix = randomBytes(3).toString('hex').toUpperCase();
const hostPrefix = randomBytes(24).toString('base64');

function next(): number {
  counter = (counter + 1) % 2 ** 40;
  return counter;
}

/** S3-style request id: 16 upper-case hex characters. */
export function s3RequestId(): string {
  return s3Prefix + next().toString(16).toUpperCase().padStart(10, '0');
}

/** S3's x-amz-id-2: an opaque base64 token (44 characters, as 32 bytes encode). */
export function s3HostId(): string {
  return hostPrefix + Buffer.from(next().toString(16).padStart(16, '0'), 'hex').toString('base64');
}

/** JSON services and CloudTrail use a UUID (v4-shaped: the prefix carries its version bits). */
export function jsonRequestId(): string {
  return uuidPrefix + next().toString(16).padStart(12, '0');
}
