/**
 * Where the bucket and key are in an S3 request:
 * - virtual-hosted: `<bucket>.s3.<region>.amazonaws.com` (also `.s3.amazonaws.com`, `.s3-<region>…`)
 *   and `<bucket>.localhost` — what the SDK builds without `forcePathStyle`;
 * - path-style: `s3.<region>.amazonaws.com/<bucket>/<key>` and any other host such as
 *   `127.0.0.1:<port>/<bucket>/<key>` — what the SDK builds with `forcePathStyle`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
import type { ServiceRequest } from '../plugin.ts';

export interface S3Address {
  readonly bucket?: string;
  readonly key?: string;
  readonly style: 'virtual-host' | 'path';
}

const AWS_VIRTUAL_HOST = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/;
const LOCAL_VIRTUAL_HOST = /^(.+)\.localhost$/;

function decodePathPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function bucketFromHost(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  const match = AWS_VIRTUAL_HOST.exec(host) ?? LOCAL_VIRTUAL_HOST.exec(host);
  if (!match) return undefined;
  // `s3.<region>.amazonaws.com` itself has no `.s3` after a label, so it never matches: path style.
  return match[1];
}

export function s3Address(req: ServiceRequest): S3Address {
  const path = req.url.pathname;
  const hostBucket = bucketFromHost(req.headers['host']);
  if (hostBucket !== undefined) {
    const key = path.length > 1 ? decodePathPart(path.slice(1)) : undefined;
    return { bucket: hostBucket, key, style: 'virtual-host' };
  }
  const rest = path.startsWith('/') ? path.slice(1) : path;
  if (rest === '') return { style: 'path' };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decodePathPart(rest), style: 'path' };
  const key = rest.slice(slash + 1);
  return {
    bucket: decodePathPart(rest.slice(0, slash)),
    key: key === '' ? undefined : decodePathPart(key),
    style: 'path',
  };
}
