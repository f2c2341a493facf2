/**
 * S3 condition keys read off the request's headers: how it was signed (s3:authType,
 * s3:signatureversion, s3:signatureAge, s3:x-amz-content-sha256) and what it asks for (the ACL
 * grant headers, encryption, storage class). Sources:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html and the
 * S3 condition keys of the Service Authorization Reference.
 */
import type { ServiceRequest } from '../plugin.ts';

const SIGV4 = 'AWS4-HMAC-SHA256';

/** Request headers that are condition keys of the same name (`s3:<header>`). */
const HEADER_KEYS = [
  'x-amz-acl',
  'x-amz-grant-full-control',
  'x-amz-grant-read',
  'x-amz-grant-read-acp',
  'x-amz-grant-write',
  'x-amz-grant-write-acp',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-storage-class',
] as const;

/** `20261126T040000Z` → epoch milliseconds (NaN when malformed). */
function amzDateMs(value: string): number {
  return Date.UTC(
    Number(value.slice(0, 4)),
    Number(value.slice(4, 6)) - 1,
    Number(value.slice(6, 8)),
    Number(value.slice(9, 11)),
    Number(value.slice(11, 13)),
    Number(value.slice(13, 15)),
  );
}

/** Adds the request's S3 condition keys to `keys`; `now` for s3:signatureAge. */
export function addRequestConditionKeys(
  req: ServiceRequest,
  keys: Record<string, string | string[]>,
  now: number,
): void {
  for (const header of HEADER_KEYS) {
    const value = req.headers[header];
    if (value !== undefined) keys[`s3:${header}`] = value;
  }
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    if (!authorization.startsWith(SIGV4)) return;
    keys['s3:authType'] = 'REST-HEADER';
    keys['s3:signatureversion'] = SIGV4;
    // Only for the Authorization header form ("not … as a query string parameter").
    const payload = req.headers['x-amz-content-sha256'];
    if (payload !== undefined) keys['s3:x-amz-content-sha256'] = payload;
    return;
  }
  if (req.url.search === '') return;
  const query = req.url.searchParams;
  if (query.get('X-Amz-Algorithm') !== SIGV4) return;
  keys['s3:authType'] = 'REST-QUERY-STRING';
  keys['s3:signatureversion'] = SIGV4;
  // "The length of time, in milliseconds" — set for presigned URLs, the form it applies to.
  const signed = amzDateMs(query.get('X-Amz-Date') ?? '');
  if (Number.isFinite(signed)) keys['s3:signatureAge'] = String(Math.max(0, now - signed));
}
