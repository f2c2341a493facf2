/** Successful S3 responses: request ids on every one, XML bodies in S3's namespace. */
import { createHash } from 'node:crypto';
import type { ServiceResponse } from '../plugin.ts';
import { s3HostId, s3RequestId } from '../common/request-id.ts';

export function s3Response(
  status: number,
  headers: Record<string, string> = {},
  body: ServiceResponse['body'] = Buffer.alloc(0),
): ServiceResponse {
  const all: Record<string, string> = {
    'x-amz-request-id': s3RequestId(),
    'x-amz-id-2': s3HostId(),
    ...headers,
  };
  if (Buffer.isBuffer(body) && all['content-length'] === undefined)
    all['content-length'] = String(body.length);
  return { status, headers: all, body };
}

export function xmlResponse(xml: Buffer, headers: Record<string, string> = {}): ServiceResponse {
  return s3Response(200, { 'content-type': 'application/xml', ...headers }, xml);
}

/** S3's canonical user id for an account: 64 hex characters (ours is derived, stable). */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`s3-canonical-user:${accountId}`).digest('hex');
}

/** `"<hex>"` — ETags are quoted on the wire and in XML. */
export const quoted = (etag: string): string => `"${etag}"`;
export const unquoted = (etag: string): string => etag.replace(/^"|"$/g, '');
